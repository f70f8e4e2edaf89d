/**
 * Incremental text sync is a faster path than sending whole texts: a keystroke carries the range it
 * changed and the server's TextDocuments applies it. Property: under seeded edits (typed and deleted
 * characters, pasted and cut lines, several changes in one notification), a document kept up to date by
 * ranges gets exactly the diagnostics that a document sent the same text whole gets (rule, message, range,
 * severity, related information), through the built server over stdio.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient, WORK_URI } from './client';
import { corpus } from '../corpus';
import { rng } from '../fuzz/harness';

const RANGED = `${WORK_URI}/ranged.topology.yaml`;
const WHOLE = `${WORK_URI}/whole.topology.yaml`;

interface Change {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** One seeded edit: what a user does in a topology file, at a random place. */
function randomChange(text: string, r: () => number): Change {
  const at = Math.floor(r() * (text.length + 1));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at) + 1;
  const pick = r();
  if (pick < 0.35) return { start: at, end: at, text: 'abc-:9 [{,}]#\n'[Math.floor(r() * 14)] };
  if (pick < 0.6) return { start: at, end: Math.min(text.length, at + 1 + Math.floor(r() * 3)), text: '' };
  if (pick < 0.75) return { start: lineStart, end: lineEnd, text: '' };
  if (pick < 0.9) return { start: lineStart, end: lineStart, text: text.slice(lineStart, lineEnd) };
  return { start: at, end: at, text: '\n      - to: x-1\n' };
}

/** Diagnostics without what differs by design between the two documents: the URI and the data's root. */
function comparable(ds: readonly Diagnostic[], uri: string): unknown[] {
  return ds.map((d) => ({
    code: d.code,
    message: d.message,
    range: d.range,
    severity: d.severity,
    key: (d.data as { key?: string } | undefined)?.key,
    related: (d.relatedInformation ?? []).map((x) => ({ same: x.location.uri === uri, range: x.location.range, message: x.message })),
  }));
}

test('a document kept by incremental changes gets the diagnostics of the same text sent whole, and of a fresh open of the final text (seeded edits over the corpus)', async () => {
  const files = corpus(6, 101);
  const c = new TestClient();
  try {
    await c.initialize(false);
    let version = 1;
    for (const [n, file] of files.entries()) {
      const r = rng(7_000 + n);
      let doc = TextDocument.create(RANGED, 'topology', version, file.text);
      const opened = [c.analysed(RANGED, version, 30_000), c.analysed(WHOLE, version, 30_000)];
      if (n === 0) {
        await c.open(RANGED, file.text, version);
        await c.open(WHOLE, file.text, version);
      } else {
        await c.change(RANGED, file.text, version);
        await c.change(WHOLE, file.text, version);
      }
      await Promise.all(opened);
      for (let step = 0; step < 8; step++) {
        version++;
        // One to three changes per notification, each on the text the previous one left (LSP's order).
        const changes: { range: ReturnType<typeof rangeOf>; text: string }[] = [];
        for (let k = 0, count = 1 + Math.floor(r() * 3); k < count; k++) {
          const ch = randomChange(doc.getText(), r);
          const range = rangeOf(doc, ch);
          changes.push({ range, text: ch.text });
          doc = TextDocument.update(doc, [{ range, text: ch.text }], version);
        }
        // An edit that changes no diagnostic publishes none (publisher.ts): wait for the analysis, then
        // compare what the client holds.
        const ranged = c.analysed(RANGED, version, 30_000);
        const whole = c.analysed(WHOLE, version, 30_000);
        await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: RANGED, version }, contentChanges: changes });
        await c.change(WHOLE, doc.getText(), version);
        const [a, b] = await Promise.all([ranged, whole]);
        assert.deepEqual(comparable(a, RANGED), comparable(b, WHOLE), `${file.name}, edit ${step + 1}`);
      }
      // After the sequence, what the edited document holds (published only where it changed, read through
      // the cached chunks, entries and models) is what a fresh open of the final text gets.
      const fresh = `${WORK_URI}/fresh-${n}.topology.yaml`;
      const first = c.forVersion(fresh, 1);
      await c.open(fresh, doc.getText(), 1);
      assert.deepEqual(comparable(c.held(RANGED), RANGED), comparable((await first).diagnostics, fresh), `${file.name}: after the edits, against a fresh open`);
      await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: fresh } });
      version++;
    }
    assert.equal(await c.shutdown(), 0);
  } finally {
    c.proc.kill();
  }
});

function rangeOf(doc: TextDocument, ch: Change) {
  return { start: doc.positionAt(ch.start), end: doc.positionAt(ch.end) };
}
