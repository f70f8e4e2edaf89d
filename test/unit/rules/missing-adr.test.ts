/**
 * missing-adr: an `accept` entry whose `adr` path (relative to the file) names a file that does not
 * exist. A warning at the path. It needs a host that can tell whether a file exists: without one it
 * reports nothing. Always on (its severity can change, `off` is ignored) and cannot be accepted. Fix:
 * create the record from the ADR template.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectClean, marked, URI, yaml } from '../../helpers';
import { analyze, fixesFor, parseFile, RULES, type AnalysisResult, type RuleSettings } from '../../../server/src/core';

const RULE = 'missing-adr';

/** Analyses with a host whose file system holds exactly `files` (URIs), and records what it was asked. */
function runWith(text: string, files: readonly string[] = [], settings: RuleSettings = {}): AnalysisResult & { asked: string[] } {
  const asked: string[] = [];
  const result = analyze([parseFile(URI, text, RULES)], RULES, settings, {
    exists: (uri) => {
      asked.push(uri);
      return files.includes(uri);
    },
  });
  return { ...result, asked };
}

/** The marked spans must be exactly the rule's findings (in order); returns them. */
function expectMissing(src: string, files: readonly string[] = [], settings: RuleSettings = {}) {
  const { text, spans } = marked(src);
  const found = runWith(text, files, settings).findings.filter((f) => f.rule === RULE);
  assert.deepEqual(
    found.map((f) => text.slice(f.span.start, f.span.end)),
    spans.map((s) => text.slice(s.start, s.end)),
  );
  assert.deepEqual(found.map((f) => f.span), spans);
  return found;
}

const CALL = yaml`
  topology: t
  services:
    web:
      calls:
        - to: api
          accept:
            - rule: sync-chain
              reason: Payment must confirm first
              adr: «docs/adr/0007-sync-payment.md»   # written last week
    api: {}
`;

const ADR = 'file:///test/docs/adr/0007-sync-payment.md';

describe('missing-adr', () => {
  test('without a host nothing can be checked, so nothing is reported', () => {
    expectClean(RULE, marked(CALL).text);
  });

  test('the ADR exists: nothing reported, and the host was asked for the path relative to the file', () => {
    const r = runWith(marked(CALL).text, [ADR]);
    assert.deepEqual(r.findings.filter((f) => f.rule === RULE), []);
    assert.deepEqual(r.asked, [ADR]);
  });

  test('an accept with no adr asks nothing', () => {
    const r = runWith('topology: t\nservices:\n  a: { accept: [{ rule: fan-out, reason: fine }] }\n');
    assert.deepEqual(r.asked, []);
  });

  test('the ADR is missing: a warning at the path', () => {
    const [f] = expectMissing(CALL);
    assert.equal(f.severity, 'warning');
    assert.equal(f.messageId, 'missing');
    assert.ok(f.message.includes("The decision record 'docs/adr/0007-sync-payment.md' does not exist. Whoever reads this accept later cannot find why"), f.message);
    assert.equal(f.accepted, undefined);
  });

  test('every element that can carry an accept: service, call, publish, subscribe, use, store, event, flow', () => {
    const src = yaml`
      topology: t
      services:
        a:
          accept: [{ rule: fan-out, adr: «adr/1.md» }]
          calls: [{ to: b, accept: [{ rule: sync-chain, adr: «adr/2.md» }] }]
          publishes: [{ event: e, accept: [{ rule: dual-write, adr: «adr/3.md» }] }]
          uses: [{ store: d, accept: [{ rule: shared-database, adr: «adr/4.md» }] }]
        b:
          subscribes: [{ event: e, accept: [{ rule: sensitive-event-data, adr: «adr/5.md» }] }]
      datastores:
        d: { accept: [{ rule: shared-database, adr: «adr/6.md» }] }
      events:
        e: { accept: [{ rule: orphan-event, adr: «adr/7.md» }] }
      flows:
        f: { entry: a, accept: [{ rule: chain-latency, adr: «adr/8.md» }] }
    `;
    expectMissing(src);
    // The ones that exist are not reported.
    expectMissing(src.replace(/«(adr\/[2-8]\.md)»/g, '$1'), [2, 3, 4, 5, 6, 7, 8].map((n) => `file:///test/adr/${n}.md`));
  });

  test('paths are relative to the file: ../ and ./ resolve, an absolute path stays absolute', () => {
    const src = 'topology: t\nservices:\n  a:\n    accept:\n      - { rule: fan-out, adr: ../shared/adr/1.md }\n      - { rule: hub, adr: ./adr/2.md }\n      - { rule: self-call, adr: /srv/adr/3.md }\n';
    const r = runWith(src);
    assert.deepEqual(r.asked, ['file:///shared/adr/1.md', 'file:///test/adr/2.md', 'file:///srv/adr/3.md']);
    assert.equal(r.findings.filter((f) => f.rule === RULE).length, 3);
  });

  test('a severity from the settings or the rules block applies; off does not (always on)', () => {
    const text = marked(CALL).text;
    assert.equal(runWith(text, [], { 'missing-adr': 'error' }).findings.find((f) => f.rule === RULE)?.severity, 'error');
    assert.equal(runWith(text + 'rules:\n  missing-adr: info\n').findings.find((f) => f.rule === RULE)?.severity, 'info');
    assert.equal(runWith(text, [], { 'missing-adr': 'off' }).findings.filter((f) => f.rule === RULE).length, 1);
    assert.equal(runWith(text + 'rules:\n  missing-adr: off\n').findings.filter((f) => f.rule === RULE).length, 1);
  });

  test('cannot be accepted: an accept for missing-adr changes nothing, and no accept fix is offered', () => {
    const src = 'topology: t\nservices:\n  a:\n    accept:\n      - { rule: fan-out, adr: adr/1.md }\n      - { rule: missing-adr, reason: later }\n';
    const r = runWith(src);
    const [f] = r.findings.filter((x) => x.rule === RULE);
    assert.equal(f.accepted, undefined);
    assert.deepEqual(fixesFor(f, r, RULES).map((x) => x.title), ['Create the decision record 1.md']);
  });

  describe('fixes', () => {
    test('create the record: a file at the missing path, from the template, with the decision in it; no text edits', () => {
      const text = marked(CALL).text;
      const r = runWith(text);
      const [finding] = r.findings.filter((f) => f.rule === RULE);
      const fixes = fixesFor(finding, r, RULES);
      assert.deepEqual(fixes.map((f) => f.title), ['Create the decision record 0007-sync-payment.md']);
      const [fix] = fixes;
      assert.deepEqual(fix.edits, []);
      assert.equal(fix.creates?.length, 1);
      const { uri, text: adr } = fix.creates[0];
      assert.equal(uri, ADR);
      // The record's number comes from the file name; the label and the rule from the accept it answers.
      assert.match(adr, /^# 0007\. Accept sync-chain on the call web → api\n/);
      for (const section of ['## Context', '## Options', '## Decision', '## Consequences']) assert.ok(adr.includes(`\n${section}\n`), `no ${section}`);
      assert.ok(adr.includes('> Accepted: Payment must confirm first'), adr);
      assert.match(adr, /- Status: proposed\n- Date: \d{4}-\d{2}-\d{2}\n- Finding: `sync-chain`/);
      // Once the file exists, the finding is gone.
      assert.deepEqual(runWith(text, [uri]).findings.filter((f) => f.rule === RULE), []);
    });

    test('an accept with no reason and no number in the file name', () => {
      const src = 'topology: t\nservices:\n  a:\n    accept: [{ rule: fan-out, adr: decisions/fan-out.md }]\n';
      const r = runWith(src);
      const [fix] = fixesFor(r.findings.find((f) => f.rule === RULE)!, r, RULES);
      assert.equal(fix.creates![0].uri, 'file:///test/decisions/fan-out.md');
      assert.match(fix.creates![0].text, /^# 0001\. Accept fan-out on service a\n/);
      assert.ok(fix.creates![0].text.includes('> A fan-out finding was accepted.'));
    });

    test('a file name with a space: the title shows it as written, the URI is encoded', () => {
      const src = 'topology: t\nservices:\n  a:\n    accept: [{ rule: fan-out, adr: "adr/0003-why we fan out.md" }]\n';
      const r = runWith(src);
      const [fix] = fixesFor(r.findings.find((f) => f.rule === RULE)!, r, RULES);
      assert.equal(fix.title, 'Create the decision record 0003-why we fan out.md');
      assert.equal(fix.creates![0].uri, 'file:///test/adr/0003-why%20we%20fan%20out.md');
    });
  });
});
