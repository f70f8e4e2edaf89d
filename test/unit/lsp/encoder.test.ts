/**
 * The server's JSON encoder (lsp/encoder.ts) writes what vscode-jsonrpc's own encoder writes
 * (`Buffer.from(JSON.stringify(msg))`): for a diagnostics notification the same text with every character
 * outside ASCII as a `\uXXXX` escape (so the same JSON), for every other message the same bytes. Checked
 * for the diagnostics of a generated system under seeded edits, with one encoder throughout (so its cache
 * of each diagnostic's bytes is used and must not go stale), and for the shapes it must leave to
 * JSON.stringify.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Message } from 'vscode-languageserver/node';
import { Workspace } from '../../../server/src/lsp/workspace';
import { diagnosticsOf } from '../../../server/src/lsp/convert';
import { jsonEncoder } from '../../../server/src/lsp/encoder';
import { generateTopology, typeKeystroke } from '../../generate';
import { xorshift32 } from '../../prng';

const URI = 'file:///w/encoder.topology.yaml';
const OPTIONS = { charset: 'utf-8' as const };

/** What vscode-jsonrpc's default encoder writes for a message. */
const reference = (msg: unknown) => Buffer.from(JSON.stringify(msg, undefined, 0), 'utf-8');

/** The same JSON text in ASCII: each UTF-16 unit outside it written as `\uXXXX`. */
const inAscii = (msg: unknown) => {
  let out = '';
  for (const c of JSON.stringify(msg, undefined, 0)) {
    for (let i = 0; i < c.length; i++) {
      const u = c.charCodeAt(i);
      out += u < 0x80 ? c[i] : `\\u${u.toString(16).padStart(4, '0')}`;
    }
  }
  return Buffer.from(out, 'latin1');
};

/** Encodes with `encoder`, checks that the bytes are the JSON of `msg`, and returns them. */
async function encoded(encoder: ReturnType<typeof jsonEncoder>, msg: unknown): Promise<Buffer> {
  const b = Buffer.from(await encoder.encode(msg as Message, OPTIONS));
  assert.deepEqual(JSON.parse(b.toString('utf-8')), JSON.parse(JSON.stringify(msg)));
  return b;
}

const publish = (params: unknown) => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params }) as Message;

test('the diagnostics of every keystroke are encoded as the default encoder does', async () => {
  const rand = xorshift32(23);
  let text = generateTopology(80, 9);
  const ws = new Workspace({}, () => undefined);
  const encoder = jsonEncoder();
  let last: Diagnostic[] | undefined;
  let kept = 0;
  for (let v = 1; v <= 60; v++) {
    if (v > 1) text = typeKeystroke(text, rand, 0.3);
    ws.open(URI, text, v);
    ws.analyze(URI, {});
    const doc = TextDocument.create(URI, 'topology', v, text);
    const got = diagnosticsOf(doc, ws.findingsIn(URI), () => doc, true, last);
    if (!got) continue;
    if (last) kept += got.filter((d) => last!.includes(d)).length;
    last = got;
    const msg = publish({ uri: URI, version: v, diagnostics: got });
    assert.deepEqual(await encoded(encoder, msg), inAscii(msg), `version ${v}`);
  }
  // The cache was used: most diagnostics of a publication were the last one's objects.
  assert.ok(kept > 500, `only ${kept} diagnostics were kept from one publication to the next`);
});

test('every other shape is encoded by JSON.stringify, to the same bytes', async () => {
  const encoder = jsonEncoder();
  const d: Diagnostic = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, severity: 2, code: 'x', source: 'topolint', message: 'a → b \u{1F600} \ud800 "quoted" \u0000', data: { key: 'x:0', root: URI } };
  const withToJson = { ...d, toJSON: () => ({ replaced: true }) };
  // The notification as vscode-languageserver sends it: in ASCII.
  const notifications: unknown[] = [
    publish({ uri: URI, version: 3, diagnostics: [d, d] }),
    publish({ uri: URI, diagnostics: [d] }),
    publish({ uri: URI, version: undefined, diagnostics: [d] }),
    publish({ uri: URI, version: null, diagnostics: [] }),
    publish({ uri: 'file:///é/ü "q".topology.yaml', version: 1, diagnostics: [d] }),
  ];
  for (const msg of notifications) assert.deepEqual(await encoded(encoder, msg), inAscii(msg), JSON.stringify(msg));
  // Items JSON.stringify writes differently inside a list, shapes outside the notification's, and other
  // messages: vscode-jsonrpc's bytes.
  const messages: unknown[] = [
    publish({ uri: URI, version: 1, diagnostics: [d, undefined, null] }),
    publish({ uri: URI, version: 1, diagnostics: [d, , d] }), // eslint-disable-line no-sparse-arrays
    publish({ uri: URI, version: 1, diagnostics: [withToJson] }),
    publish({ version: 1, uri: URI, diagnostics: [d] }),
    publish({ uri: URI, version: 1, diagnostics: [d], extra: 1 }),
    { method: 'textDocument/publishDiagnostics', jsonrpc: '2.0', params: { uri: URI, diagnostics: [d] } },
    { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: URI, diagnostics: [d] }, id: 1 },
    { jsonrpc: '2.0', id: 7, result: { items: [d], ok: '→' } },
    { jsonrpc: '2.0', method: 'topolint/graphChanged', params: { uri: URI, version: 2 } },
  ];
  for (const msg of messages) assert.deepEqual(await encoded(encoder, msg), reference(msg), JSON.stringify(msg));
  // A diagnostic already encoded is the same in the next list.
  const again = publish({ uri: URI, version: 4, diagnostics: [d] });
  assert.deepEqual(await encoded(encoder, again), inAscii(again));
});
