/**
 * large-sync-payload: a sync call whose payload is over `max` (default 1MB). A warning at `payload`. No
 * quick fix of its own (passing a reference or paging changes the interface, not one line).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, diffLines, expectClean, findingsOf, marked, run, yaml } from '../../helpers';
import { ruleTester, type InvalidCase, type ValidCase } from '../../rule-tester';
import { fixesFor, RULES } from '../../../server/src/core';

const RULE = 'large-sync-payload';
const plain = (s: string) => marked(s).text;

const UPLOAD = yaml`
  topology: t
  services:
    web:
      calls:
        - to: media
          operation: Upload
          timeout: 10s
          payload: «8MB»   # a photo
    media: {}
`;

const valid: ValidCase[] = [
  { name: 'exactly 1MB', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, payload: 1MB }] }\n  b: {}\n' },
  { name: 'a small payload', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, payload: 4KB }] }\n  b: {}\n' },
  { name: 'near miss: an asynchronous call with a large payload', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, style: async, payload: 50MB }] }\n  b: {}\n' },
  { name: 'no payload given', text: 'topology: t\nservices:\n  a: { calls: [{ to: b }] }\n  b: {}\n' },
  { name: 'max 10MB from the settings (in bytes)', text: plain(UPLOAD), settings: { 'large-sync-payload': { max: 10 * 1024 * 1024 } } },
  { name: "max 10MB from the file's rules block", text: plain(UPLOAD) + 'rules:\n  large-sync-payload: { max: 10MB }\n' },
  { name: 'off in the settings', text: plain(UPLOAD), settings: { 'large-sync-payload': 'off' } },
];

const invalid: InvalidCase[] = [
  {
    name: '8MB per call: a warning at the payload',
    src: UPLOAD,
    expected: [{ messageId: 'large', severity: 'warning', accepted: false, includes: ['The call web → media moves 8MB per call, over the limit of 1MB. The caller waits', 'Pass a reference to the data in a shared store'] }],
  },
  { name: 'one byte over', src: 'topology: t\nservices:\n  a: { calls: [{ to: b, payload: «1048577» }] }\n  b: {}\n', expected: [{ includes: ['moves 1048577 bytes per call, over the limit of 1MB.'] }] },
  {
    name: 'max 100KB from the settings',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, payload: «200KB» }] }\n  b: {}\n',
    settings: { 'large-sync-payload': { max: 100 * 1024 } },
    expected: [{ includes: ['moves 200KB per call, over the limit of 100KB'] }],
  },
  {
    name: "max 100KB from the file's rules block wins over the settings",
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, payload: «200KB» }] }\n  b: {}\nrules:\n  large-sync-payload: { max: 100KB }\n',
    settings: { 'large-sync-payload': { max: 1024 ** 3 } },
    expected: [{ includes: ['over the limit of 100KB'] }],
  },
  { name: 'severity from the settings', src: UPLOAD, settings: { 'large-sync-payload': 'error' }, expected: [{ severity: 'error' }] },
  {
    name: 'accept on the call: accepted',
    src: 'topology: t\nservices:\n  a: { calls: [{ to: b, payload: «2MB», accept: [{ rule: large-sync-payload, reason: rare admin export }] }] }\n  b: {}\n',
    expected: [{ accepted: true }],
  },
];

describe('large-sync-payload', () => {
  ruleTester(RULE, { valid, invalid });

  describe('fixes', () => {
    test('pass a reference (block): the payload becomes a reference, with a note; the finding is gone', () => {
      const text = plain(UPLOAD);
      const after = applyFix(text, RULE, /Pass a reference/);
      assert.deepEqual(diffLines(text, after), {
        removed: ['        payload: 8MB   # a photo'],
        added: ['        payload: 1KB   # a reference: the body is stored where the callee reads it   # a photo'],
      });
      expectClean(RULE, after);
    });

    test('pass a reference (flow): no comment inside the flow map', () => {
      const src = 'topology: t\nservices:\n  a: { calls: [{ to: b, payload: 5MB }] }\n  b: {}\n';
      const after = applyFix(src, RULE, /Pass a reference/);
      assert.equal(after, 'topology: t\nservices:\n  a: { calls: [{ to: b, payload: 1KB }] }\n  b: {}\n');
      expectClean(RULE, after);
    });

    test('pass a reference, then accept: the accept entry goes on the call, the comment kept', () => {
      const text = plain(UPLOAD);
      const r = run(text);
      assert.deepEqual(fixesFor(findingsOf(r, RULE)[0], r, RULES).map((f) => f.title), [
        'Pass a reference instead of the data on the call web → media (payload: 1KB; store the body where both can read it)',
        'Accept large-sync-payload on the call web → media',
      ]);
      const after = applyFix(text, RULE, /^Accept large-sync-payload on /);
      assert.deepEqual(diffLines(text, after), { removed: [], added: ['        accept:', '          - rule: large-sync-payload', '            reason: "TODO: why this trade-off is acceptable"'] });
      assert.ok(after.includes('        payload: 8MB   # a photo\n'));
      assert.ok(findingsOf(run(after), RULE)[0].accepted);
    });
  });
});
