/**
 * event-too-large: an event's payload over the largest message its broker takes (an error), or from
 * `warnAt` (default 80%) of it (a warning). The limit is the event's `maxSize`, else the rule's `max`
 * (default 1MB, Kafka's default). Reported at `payload`; the message says where the limit comes from.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'event-too-large';
const plain = (s: string) => marked(s).text;

const BIG = yaml`
  topology: t
  services:
    catalog: { publishes: [{ event: catalog-exported, delivery: outbox }] }
    search: { subscribes: [{ event: catalog-exported }] }
  events:
    catalog-exported:
      broker: kafka
      payload: «2MB»   # the whole catalogue
`;

/** One event with the given keys (flow style), published and consumed. */
const event = (keys: string) => `topology: t\nservices:\n  p: { publishes: [{ event: e, delivery: outbox }] }\n  s: { subscribes: [{ event: e }] }\nevents:\n  e: { ${keys} }\n`;

const valid: ValidCase[] = [
  { name: 'kafka, 800KB: 78% of 1MB, below the 80% warning', text: event('broker: kafka, payload: 800KB') },
  { name: 'no payload given', text: event('broker: kafka') },
  { name: 'a large limit: 5MB of a 10MB maxSize', text: event('broker: kafka, payload: 5MB, maxSize: 10MB') },
  { name: 'warnAt 0.9 from the settings: 850KB is 83%', text: event('payload: 850KB'), settings: { 'event-too-large': { warnAt: 0.9 } } },
  { name: 'max 2MB from the settings: 1.5MB is 75%', text: event('payload: 1.5MB'), settings: { 'event-too-large': { max: 2 * 1024 * 1024 } } },
  { name: "max 2MB from the file's rules block", text: event('payload: 1.5MB') + 'rules:\n  event-too-large: { max: 2MB }\n' },
  { name: 'off in the settings', text: plain(BIG), settings: { 'event-too-large': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: 'kafka and no maxSize: 2MB is over the 1MB default, an error at the payload',
    src: BIG,
    expected: [{ messageId: 'over', severity: 'error', accepted: false, includes: ["'catalog-exported' carries 2MB, more than the 1MB Kafka takes by default. The broker will reject it.", 'Publish a reference instead'] }],
  },
  {
    name: 'no broker and no maxSize: the limit is an assumption, and the message says so',
    src: event('payload: «900KB»'),
    // 921600 / 1048576 = 87.9%
    expected: [{ messageId: 'near', severity: 'warning', includes: ["'e' carries 900KB, 88% of the 1MB limit assumed for its broker (no maxSize given). A little growth and the broker rejects it."] }],
  },
  {
    name: 'another broker with no maxSize, over the assumed limit: it says how to correct it',
    src: event('broker: rabbitmq, payload: «2MB»'),
    expected: [{ messageId: 'over', severity: 'error', includes: ['more than the 1MB limit assumed for its broker (no maxSize given). A broker with that limit rejects it (set maxSize if yours takes more).'] }],
  },
  { name: 'exactly 80%: a warning', src: event('payload: «838861»'), expected: [{ messageId: 'near', severity: 'warning', includes: ['carries 819.2KB, 80% of'] }] },
  { name: 'exactly the limit: a warning, not yet an error', src: event('broker: kafka, payload: «1MB»'), expected: [{ messageId: 'near', severity: 'warning', includes: ['100% of the 1MB Kafka takes by default'] }] },
  { name: 'one byte over the limit: an error', src: event('broker: kafka, payload: «1048577»'), expected: [{ messageId: 'over', severity: 'error' }] },
  {
    name: 'maxSize given: over it, whatever the broker',
    src: event('broker: sqs, maxSize: 256KB, payload: «300KB»'),
    expected: [{ messageId: 'over', includes: ["'e' carries 300KB, more than the 256KB its broker takes (maxSize). The broker will reject it."] }],
  },
  { name: 'maxSize given: near it', src: event('maxSize: 256KB, payload: «210KB»'), expected: [{ messageId: 'near', includes: ['82% of the 256KB its broker takes (maxSize)'] }] },
  {
    name: 'max 512KB from the settings: even for kafka the limit is the assumed one',
    src: event('broker: kafka, payload: «600KB»'),
    settings: { 'event-too-large': { max: 512 * 1024 } },
    expected: [{ messageId: 'over', includes: ['more than the 512KB limit assumed for its broker'] }],
  },
  {
    name: "warnAt 50% from the file's rules block",
    src: event('payload: «600KB»') + 'rules:\n  event-too-large: { warnAt: 50% }\n',
    expected: [{ messageId: 'near', includes: ['59% of the 1MB'] }],
  },
  { name: 'a severity from the settings applies to both kinds', src: BIG, settings: { 'event-too-large': 'info' }, expected: [{ severity: 'info' }] },
  {
    name: 'accept on the event: accepted',
    src: event('payload: «3MB», accept: [{ rule: event-too-large, reason: our broker takes 10MB }]'),
    expected: [{ accepted: true }],
  },
];

describe('event-too-large', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    const text = plain(BIG);

    test('the fixes: the claim check first, then publish just an id, then split, then accept', () => {
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), [
        "Claim check: publish where the body is stored (content: reference, payload: 1KB); adds the bucket 'catalog-exported-bodies' that 'catalog' writes the body to",
        'Publish just an id and let consumers fetch the body (content: id, payload: 1KB)',
        "Split 'catalog-exported' in two events of 1MB each ('catalog-exported' and 'catalog-exported-part-2'); each half is still near the limit, so a warning remains",
        "Accept event-too-large on event 'catalog-exported'",
      ]);
    });

    test('claim check (one publisher): content: reference, a bucket the publisher owns and writes, no new finding', () => {
      const after = applyFix(text, RULE, /Claim check/);
      const r = run(after);
      const e = r.system.events.get('catalog-exported')!;
      assert.equal(e.content, 'reference');
      assert.equal(e.payload?.value, 1024);
      const store = r.system.datastores.get('catalog-exported-bodies')!;
      assert.equal(store.storeKind, 'bucket');
      assert.equal(store.owner?.value, 'catalog');
      assert.deepEqual(r.system.services.get('catalog')!.uses.map((u) => [u.store.id, u.access]), [['catalog-exported-bodies', 'write']]);
      expectClean(RULE, after);
      // The store is the publisher's own: no shared-database, no file drop, nothing new at all.
      const before = run(text).findings.filter((f) => f.rule !== RULE).map((f) => f.rule).sort();
      assert.deepEqual(r.findings.map((f) => f.rule).sort(), before);
      assert.ok(after.includes('    payload: 1KB   # the whole catalogue\n'), after);
    });

    test('claim check with two publishers: no shared bucket, and the title says each stores the body', () => {
      const src = yaml`
        topology: t
        services:
          a: { publishes: [{ event: e, delivery: outbox }] }
          b: { publishes: [{ event: e, delivery: outbox }] }
          c: { subscribes: [{ event: e }] }
        events:
          e: { broker: kafka, payload: 3MB }
      `;
      const after = applyFix(src, RULE, /Claim check: .*; each publisher stores the body$/);
      assert.deepEqual(diffLines(src, after), { removed: ['  e: { broker: kafka, payload: 3MB }'], added: ['  e: { broker: kafka, payload: 1KB, content: reference }'] });
      expectClean(RULE, after);
    });

    test('split (flow): a second event with the other half, published and consumed where the first is', () => {
      const src = event('broker: kafka, payload: 1.5MB');
      const r = run(src);
      const titles = fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title);
      assert.equal(titles[2], "Split 'e' in two events of 768KB each ('e' and 'e-part-2')");
      const after = applyFix(src, RULE, /^Split/);
      assert.equal(
        after,
        [
          'topology: t',
          'services:',
          '  p: { publishes: [{ event: e, delivery: outbox }, { event: e-part-2, delivery: outbox }] }',
          '  s: { subscribes: [{ event: e }, { event: e-part-2 }] }',
          'events:',
          '  e: { broker: kafka, payload: 768KB }',
          '  e-part-2:',
          '    broker: kafka',
          '    payload: 768KB',
          `    description: "The second half of e, split off to stay under the broker's limit"`,
          '',
        ].join('\n'),
      );
      expectClean(RULE, after);
      assert.deepEqual(run(after).findings.filter((f) => f.rule === 'orphan-event'), []);
    });

    test('split (block): halves still near the limit say a warning remains, and it does', () => {
      const title = "Split 'catalog-exported' in two events of 1MB each ('catalog-exported' and 'catalog-exported-part-2'); each half is still near the limit, so a warning remains";
      const r = run(text);
      assert.ok(fixesFor(findingsOf(r, RULE)[0], r, RULES).some((f) => f.title === title));
      const after = applyFix(text, RULE, /^Split/);
      assert.ok(after.includes('    payload: 1MB   # the whole catalogue\n  catalog-exported-part-2:\n    broker: kafka\n    payload: 1MB\n'), after);
      assert.deepEqual(findingsOf(run(after), RULE).map((f) => f.severity), ['warning', 'warning']);
    });

    test('publish just an id (block): content added, payload replaced, the comment kept', () => {
      const after = applyFix(text, RULE, /Publish just an id/);
      assert.deepEqual(diffLines(text, after), { removed: ['    payload: 2MB   # the whole catalogue'], added: ['    payload: 1KB   # the whole catalogue', '    content: id'] });
      expectClean(RULE, after);
      assert.equal(run(after).system.events.get('catalog-exported')!.content, 'id');
    });

    test('publish just an id (flow): the event stays a flow map, content: full replaced', () => {
      const src = event('content: full, payload: 5MB');
      const after = applyFix(src, RULE, /Publish just an id/);
      assert.deepEqual(diffLines(src, after), { removed: ['  e: { content: full, payload: 5MB }'], added: ['  e: { content: id, payload: 1KB }'] });
      expectClean(RULE, after);
    });

    test('publish just an id (flow, no content yet): both edits land, at the same place', () => {
      const src = event('payload: 5MB');
      const after = applyFix(src, RULE, /Publish just an id/);
      assert.deepEqual(diffLines(src, after), { removed: ['  e: { payload: 5MB }'], added: ['  e: { payload: 1KB, content: id }'] });
      expectClean(RULE, after);
    });

    test('accept: an accept entry on the event', () => {
      const after = applyFix(text, RULE, /^Accept event-too-large on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['    accept:', '      - rule: event-too-large', '        reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
