/**
 * The "Accept <rule> on <element> and record it in an ADR" fix (core/adr.ts): offered when the host knows
 * where decision records go. It adds an `accept` entry whose `adr` is the new record's path relative to
 * the topology file, and creates the record, numbered after the highest record in the folder, from a
 * template with the finding's message and the options in play.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { diffLines, findingsOf, URI, yaml } from '../helpers';
import { analyze, applyEdits, fixesFor, parseFile, RULES, type AnalysisResult, type Fix } from '../../server/src/core';
import type { Host } from '../../server/src/core/rule';
import { relativePath } from '../../server/src/core/adr';

const HOST: Host = {
  adrFolder: () => 'file:///test/docs/adr/',
  list: () => ['0001-x.md', '0007-y.md'],
};

function runWith(text: string, host: Host = HOST, uri = URI): AnalysisResult {
  return analyze([parseFile(uri, text, RULES)], RULES, {}, host);
}

function adrFix(result: AnalysisResult, rule: string): Fix | undefined {
  const finding = findingsOf(result, rule)[0];
  assert.ok(finding, `no ${rule} finding`);
  return fixesFor(finding, result, RULES).find((f) => /record it in an ADR/.test(f.title));
}

const CHAIN = yaml`
  topology: shop
  services:
    web:
      exposure: external
      calls:
        - to: api   # first hop
          timeout: 1s
    api: { calls: [{ to: orders, timeout: 1s }] }
    orders: { calls: [{ to: payment, timeout: 1s }] }
    payment: { versions: [v1] }
  rules:
    no-fallback: off
    unversioned-interface: off
`;

const NAME = '0008-sync-chain-web-api.md';

describe('ADR: accept and record the decision', () => {
  test('the fix comes right after the plain accept, numbered after the highest record (0007 → 0008)', () => {
    const r = runWith(CHAIN);
    const titles = fixesFor(findingsOf(r, 'sync-chain')[0], r, RULES).map((f) => f.title);
    assert.deepEqual(titles.slice(-2), ['Accept sync-chain on the call web → api', `Accept sync-chain on the call web → api and record it in an ADR (docs/adr/${NAME})`]);
  });

  test('it creates the record in the host’s folder, from the template, with the finding’s message', () => {
    const r = runWith(CHAIN);
    const message = findingsOf(r, 'sync-chain')[0].message;
    const fix = adrFix(r, 'sync-chain')!;
    assert.equal(fix.creates?.length, 1);
    const [{ uri, text }] = fix.creates;
    assert.equal(uri, `file:///test/docs/adr/${NAME}`);
    assert.match(text, /^# 0008\. Accept sync-chain on the call web → api\n\n- Status: proposed\n- Date: \d{4}-\d{2}-\d{2}\n- Finding: `sync-chain` \(a synchronous chain from an entry that blocks through too many services\)\n/);
    for (const section of ['## Context', '## Options', '## Decision', '## Consequences']) assert.ok(text.includes(`\n${section}\n`), `no ${section}`);
    assert.ok(text.includes(`> ${message}\n`), 'the finding’s message is quoted in the context');
    // The options of a communication smell: the three styles, each with what is good and bad about it.
    assert.ok(text.includes('### Option 1: Keep the synchronous, blocking call'));
    assert.ok(text.includes('### Option 2: Asynchronous request-response (over a queue)'));
    assert.ok(text.includes('### Option 3: Event-driven: publish a fact and let consumers react'));
    assert.equal(text.match(/^- Good: /gm)?.length, 3);
    assert.equal(text.match(/^- Bad: /gm)?.length, 3);
  });

  test('the accept entry links the record by its path relative to the topology file; the finding is then accepted', () => {
    const r = runWith(CHAIN);
    const fix = adrFix(r, 'sync-chain')!;
    const after = applyEdits(CHAIN, fix.edits);
    assert.deepEqual(diffLines(CHAIN, after), {
      removed: [],
      added: ['        accept:', '          - rule: sync-chain', '            reason: "TODO: why this trade-off is acceptable"', `            adr: docs/adr/${NAME}`],
    });
    const again = runWith(after, { ...HOST, exists: (u) => u === fix.creates![0].uri });
    const [f] = findingsOf(again, 'sync-chain');
    assert.equal(f.accepted?.reason, 'TODO: why this trade-off is acceptable');
    // The link resolves to the created file, so missing-adr has nothing to say ...
    assert.deepEqual(findingsOf(again, 'missing-adr'), []);
    // ... until the file is not there.
    assert.equal(findingsOf(runWith(after, { ...HOST, exists: () => false }), 'missing-adr').length, 1);
  });

  test('flow style: the accept entry is a flow map with the adr', () => {
    const src = 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: { calls: [{ to: c }] }\n  c: { calls: [{ to: d }] }\n  d: {}\n';
    const r = runWith(src);
    const fix = adrFix(r, 'sync-chain')!;
    const after = applyEdits(src, fix.edits);
    assert.deepEqual(diffLines(src, after), {
      removed: ['  a: { calls: [{ to: b }] }'],
      added: ['  a: { calls: [{ to: b, accept: [{ rule: sync-chain, reason: "TODO: why this trade-off is acceptable", adr: "docs/adr/0008-sync-chain-a-b.md" }] }] }'],
    });
    assert.ok(findingsOf(runWith(after), 'sync-chain')[0].accepted);
  });

  test('an empty folder starts at 0001; names without a number do not count', () => {
    const r = runWith(CHAIN, { adrFolder: () => 'file:///test/docs/adr/', list: () => ['README.md', 'template.md', '12-old.md'] });
    assert.equal(adrFix(r, 'sync-chain')!.creates![0].uri, 'file:///test/docs/adr/0001-sync-chain-web-api.md');
    const none = runWith(CHAIN, { adrFolder: () => 'file:///test/docs/adr/' });
    assert.equal(adrFix(none, 'sync-chain')!.creates![0].uri, 'file:///test/docs/adr/0001-sync-chain-web-api.md');
  });

  test('a topology file in a subfolder links the record with ../', () => {
    const r = runWith(CHAIN, HOST, 'file:///test/systems/shop.topology.yaml');
    const fix = adrFix(r, 'sync-chain')!;
    assert.ok(fix.title.endsWith(`(../docs/adr/${NAME})`), fix.title);
    // A path that starts with '.' is quoted (a plain scalar starting with '.' could read as a number).
    assert.ok(applyEdits(CHAIN, fix.edits).includes(`adr: "../docs/adr/${NAME}"`));
  });

  test('relativePath: same folder, below, above, and across', () => {
    assert.equal(relativePath('file:///a/b/x.yaml', 'file:///a/b/y.md'), 'y.md');
    assert.equal(relativePath('file:///a/b/x.yaml', 'file:///a/b/c/d/y.md'), 'c/d/y.md');
    assert.equal(relativePath('file:///a/b/x.yaml', 'file:///a/y.md'), '../y.md');
    assert.equal(relativePath('file:///a/b/x.yaml', 'file:///a/c/y.md'), '../c/y.md');
  });

  test('the options follow the rule: common data for shared-database, versions for interfaces, sync/async for failures', () => {
    const shared = runWith('topology: t\nservices:\n  a: { uses: [{ store: db }] }\n  b: { uses: [{ store: db, access: read }] }\ndatastores:\n  db: { owner: a }\n');
    const s = adrFix(shared, 'shared-database')!.creates![0].text;
    assert.ok(s.includes('### Option 1: Common data (a shared store)') && s.includes("### Option 2: Go through the owner's API"), s);

    const lockstep = runWith('topology: t\nservices:\n  a: { deployTogether: [b] }\n  b: {}\n');
    const l = adrFix(lockstep, 'lockstep-deploy')!.creates![0].text;
    assert.ok(l.includes('### Option 1: Version the interface and run old and new side by side') && l.includes('### Option 2: Deploy in lock-step'), l);

    const timeout = runWith('topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n');
    const t = adrFix(timeout, 'missing-timeout')!.creates![0].text;
    assert.ok(t.includes('### Option 1: Keep the synchronous, blocking call') && t.includes('### Option 2: Asynchronous request-response'), t);
    assert.ok(!t.includes('### Option 3'), t);
  });

  test('not offered without an ADR folder, for a rule that cannot be accepted, or for an accepted finding', () => {
    const noFolder = runWith(CHAIN, { list: HOST.list });
    assert.equal(adrFix(noFolder, 'sync-chain'), undefined);
    assert.ok(fixesFor(findingsOf(noFolder, 'sync-chain')[0], noFolder, RULES).some((f) => f.title === 'Accept sync-chain on the call web → api'));

    const structural = runWith('topology: t\nservices:\n  a: { calls: [{ to: ghost }] }\n');
    assert.ok(!fixesFor(findingsOf(structural, 'unknown-reference')[0], structural, RULES).some((f) => f.title.startsWith('Accept')));

    const hop = '      - to: api   # first hop\n';
    assert.ok(CHAIN.includes(hop));
    const accepted = runWith(CHAIN.replace(hop, hop + '        accept: [{ rule: sync-chain, reason: ok }]\n'));
    assert.ok(findingsOf(accepted, 'sync-chain')[0].accepted);
    assert.deepEqual(fixesFor(findingsOf(accepted, 'sync-chain')[0], accepted, RULES), []);
  });
});
