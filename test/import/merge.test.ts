/** --merge: adds what is missing, never changes or removes what was written by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importCompose } from '../../server/src/import/compose';
import { mergeInto } from '../../server/src/import/merge';
import { applyEdits } from '../../server/src/core/yamledit';
import { importK8s } from '../../server/src/import/k8s';
import { assertStructurallyClean, ROOT } from './helpers';

const PATH = 'examples/import/compose.yaml';
const m = importCompose(PATH, readFileSync(resolve(ROOT, PATH), 'utf8'));

const HAND = `# Our booking system, written by hand.
topology: bookings   # the name we use in ADRs
defaults: { timeout: 2s }

services:
  gateway:
    exposure: external
    calls:
      - to: bookings   # checked by the SRE team
        timeout: 800ms
        style: async   # deliberately different from what Compose says
  bookings: { calls: [{ to: rooms, timeout: 1s }] }
  rooms:
    # nothing declared yet

datastores:
  bookings-db: { kind: database, owner: bookings }   # owned by bookings
`;

test('merge keeps every hand-written line and comment, and adds only what is missing', () => {
  const r = mergeInto(HAND, m);
  // Merging only inserts: the original text is the new text with the insertions taken out, and every
  // original line but the flow map that gained an entry is still whole.
  let at = 0;
  for (const ch of HAND) {
    at = r.text.indexOf(ch, at) + 1;
    assert.ok(at > 0, `lost: ${JSON.stringify(ch)}\n---\n${r.text}`);
  }
  const lines = new Set(r.text.split('\n'));
  for (const l of HAND.split('\n')) if (!l.startsWith('  bookings: {')) assert.ok(lines.has(l), `changed: ${JSON.stringify(l)}`);
  assert.deepEqual(r.added.sort(), [
    'call gateway → rooms',
    'datastore cache',
    'service notifier',
    'use bookings → bookings-db',
    'use rooms → cache',
  ]);
  assert.deepEqual(r.skipped, []);
  assert.match(r.text, /bookings: \{ calls: \[\{ to: rooms, timeout: 1s \}\], uses: \[\{ store: bookings-db \}\] \}/);
  assert.match(r.text, /^ {6}- to: rooms # from services\.gateway depends_on$/m);
  assert.match(r.text, /^ {8}style: async {3}# deliberately different/m, 'a differing style is not changed');
  assertStructurallyClean(r.text);
  // The insertions, as edits of the original text, give the same result (what the editor applies).
  assert.equal(applyEdits(HAND, r.insertions.map((x) => ({ span: { start: x.offset, end: x.offset }, newText: x.text }))), r.text);
  // Merging again adds nothing.
  const again = mergeInto(r.text, m);
  assert.deepEqual(again.added, []);
  assert.equal(again.text, r.text);
});

test('merge into a file without datastores adds the section; a broken file is left alone', () => {
  const r = mergeInto('topology: t\nservices:\n  gateway: {}\n', m);
  assert.match(r.text, /\ndatastores:\n {2}bookings-db: # from services\.bookings-db image postgres:16\n/);
  assertStructurallyClean(r.text);
  const broken = 'topology: t\nservices: [\n';
  const b = mergeInto(broken, m);
  assert.equal(b.text, broken);
  assert.equal(b.added.length, 0);
  assert.match(b.skipped[0], /not a readable topology/);
});

test('merge records insertions into lists it created itself, as edits of the original text', () => {
  const k = importK8s(['shop.yaml', 'data.yaml', 'catalog.yaml'].map((f) => ({ path: f, text: readFileSync(resolve(ROOT, 'examples/import/k8s', f), 'utf8') })));
  const hand = 'topology: t\nservices:\n  orders: {}\n  storefront:\n    team: web\n';
  const r = mergeInto(hand, k);
  assert.ok(r.added.includes('use orders → orders-db') && r.added.includes('use orders → redis-cache'), r.added.join(', '));
  assert.equal(applyEdits(hand, r.insertions.map((x) => ({ span: { start: x.offset, end: x.offset }, newText: x.text }))), r.text);
  assertStructurallyClean(r.text);
});
