import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens, CompletionList, DocumentLink, DocumentSymbol, FoldingRange, Hover, Location, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient, WORK_URI } from './client';

const URI = `${WORK_URI}/features.topology.yaml`;

// ‸ marks where the cursor goes for each request (several marks: numbered by order).
const SRC = `topology: shop
services:
  web:
    exposure: external
    calls:
      - to: check‸out
        st‸yle: sync
        timeout: 1s
  checkout:
    description: Places orders
    calls:
      - to: payment
        style: as‸ync
        ‸
    uses:
      - store: orders-db
    accept:
      - rule: sync-ch‸ain
        reason: fine
        adr: docs/adr/0001-x.md
  payment: {}
datastores:
  orders-db:
    owner: checkout
`;

function cursors(src: string): { text: string; at: number[] } {
  const at: number[] = [];
  let text = '';
  for (const ch of src) {
    if (ch === '‸') at.push(text.length);
    else text += ch;
  }
  return { text, at };
}

const { text: TEXT, at: AT } = cursors(SRC);
const doc = TextDocument.create(URI, 'topology', 1, TEXT);
const pos = (i: number) => doc.positionAt(AT[i]);

async function opened(): Promise<TestClient> {
  const c = new TestClient();
  await c.initialize();
  const d = c.forVersion(URI, 1);
  await c.open(URI, TEXT, 1);
  await d;
  return c;
}

test('hover: a summary card on a service, guidance on a style key and on a value, a rule on an accept', async () => {
  const c = await opened();
  try {
    const card = await c.conn.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: pos(0) });
    const v = (card.contents as { value: string }).value;
    // Short by default: what it is, its numbers, and a link to the rest.
    assert.match(v, /\*\*service `checkout`\*\*/);
    assert.match(v, /Places orders/);
    assert.match(v, /calls 1 · called by 1/);
    assert.doesNotMatch(v, /called by: `web`/);
    const link = /\[Show all\]\(command:topolint\.showCard\?([^ )]+)/.exec(v);
    assert.ok(link, v);
    const [uri, at, full] = JSON.parse(decodeURIComponent(link[1])) as [string, { line: number; character: number }, string];
    assert.equal(uri, URI);
    assert.deepEqual(at, pos(0));
    assert.match(full, /called by: `web`/);
    assert.match(full, /uses: `orders-db \(readwrite\)`/);
    assert.ok(v.split('\n').length < full.split('\n').length, 'the short card is shorter');
    const key = await c.conn.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: pos(1) });
    assert.match((key.contents as { value: string }).value, /Synchronous, blocking[\s\S]*Asynchronous request-response/);
    const value = await c.conn.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: pos(2) });
    const vv = (value.contents as { value: string }).value;
    assert.match(vv, /^\*\*style: async\*\*/);
    assert.doesNotMatch(vv, /Synchronous, blocking/);
    const rule = await c.conn.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: pos(4) });
    assert.match((rule.contents as { value: string }).value, /\*\*sync-chain\*\* \(warning\)/);
  } finally {
    c.proc.kill();
  }
});

test('completion: keys of a call not yet written, enum values, ids where a reference goes', async () => {
  const c = await opened();
  try {
    const keys = await c.conn.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri: URI }, position: pos(3) });
    const labels = keys.items.map((i) => i.label);
    for (const k of ['timeout', 'retries', 'idempotent', 'perRequest', 'protocol']) assert.ok(labels.includes(k), `${k} missing from ${labels}`);
    for (const k of ['to', 'style']) assert.ok(!labels.includes(k), `${k} is already there`);
    // Type a value position: `        retries: ` then ask; and a reference: `      - to: `.
    const edited = TEXT.slice(0, AT[3]) + 'idempotent: ' + TEXT.slice(AT[3]);
    const p = c.forVersion(URI, 2);
    await c.change(URI, edited, 2);
    await p;
    const d2 = TextDocument.create(URI, 'topology', 2, edited);
    const vals = await c.conn.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri: URI }, position: d2.positionAt(AT[3] + 'idempotent: '.length) });
    assert.deepEqual(vals.items.map((i) => i.label), ['true', 'false']);
    const refText = TEXT.replace('      - to: payment\n', '      - to: \n');
    const d3 = TextDocument.create(URI, 'topology', 3, refText);
    const p3 = c.forVersion(URI, 3);
    await c.change(URI, refText, 3);
    await p3;
    const at = refText.indexOf('      - to: \n') + '      - to: '.length;
    const refs = await c.conn.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri: URI }, position: d3.positionAt(at) });
    assert.deepEqual(refs.items.map((i) => i.label).sort(), ['checkout', 'payment', 'web']);
  } finally {
    c.proc.kill();
  }
});

test('definition, references and rename of a service id; rule ids cannot be renamed', async () => {
  const c = await opened();
  try {
    const def = await c.conn.sendRequest<Location>('textDocument/definition', { textDocument: { uri: URI }, position: pos(0) });
    assert.equal(TEXT.slice(doc.offsetAt(def.range.start), doc.offsetAt(def.range.end)), 'checkout');
    assert.equal(def.range.start.line, 8);
    const refs = await c.conn.sendRequest<Location[]>('textDocument/references', { textDocument: { uri: URI }, position: pos(0), context: { includeDeclaration: true } });
    assert.deepEqual(refs.map((r) => r.range.start.line).sort((a, b) => a - b), [5, 8, 23]);
    const edit = await c.conn.sendRequest<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: URI }, position: pos(0), newName: 'orders' });
    const after = TextDocument.applyEdits(doc, edit.changes![URI]);
    assert.equal(after, TEXT.replace('to: checkout', 'to: orders').replace('  checkout:\n', '  orders:\n').replace('owner: checkout', 'owner: orders'));
    await assert.rejects(c.conn.sendRequest('textDocument/rename', { textDocument: { uri: URI }, position: pos(0), newName: 'payment' }), /already exists/);
    await assert.rejects(c.conn.sendRequest('textDocument/rename', { textDocument: { uri: URI }, position: pos(0), newName: '9lives' }), /not a valid id/);
    assert.equal(await c.conn.sendRequest('textDocument/prepareRename', { textDocument: { uri: URI }, position: pos(4) }), null);
  } finally {
    c.proc.kill();
  }
});

test('outline, folding, links and code lenses', async () => {
  const c = await opened();
  try {
    const symbols = await c.conn.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: URI } });
    assert.deepEqual(symbols.map((s) => s.name), ['services', 'datastores']);
    assert.deepEqual(symbols[0].children!.map((s) => s.name), ['web', 'checkout', 'payment']);
    assert.deepEqual(symbols[0].children![0].children!.map((s) => s.name), ['→ checkout']);
    const folds = await c.conn.sendRequest<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: URI } });
    assert.ok(folds.some((f) => f.startLine === 1 && f.endLine === 20), JSON.stringify(folds));
    const links = await c.conn.sendRequest<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: URI } });
    assert.deepEqual(links.map((l) => l.target), [`${WORK_URI}/docs/adr/0001-x.md`]);
    const lenses = await c.conn.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: URI } });
    assert.deepEqual(lenses.map((l) => l.command!.title), ['calls 1 · called by 0 · longest sync chain 2 · 99.80% available', 'calls 1 · called by 1', 'calls 0 · called by 1']);
    // The tooltip says what each number is, and the chain it measured.
    const tip = (lenses[0].command as { tooltip?: string }).tooltip ?? '';
    assert.match(tip, /longest sync chain 2: .*web → checkout/);
    assert.match(tip, /99\.80% available: .*multiplied/);
    assert.match(tip, /Click to see the hops/);
    assert.match((lenses[1].command as { tooltip?: string }).tooltip ?? '', /^calls 1: /);
    // Clicking shows the chain: its hops, as locations of the calls in this document.
    assert.equal(lenses[0].command!.command, 'topolint.showChain');
    const [lensUri, , hops] = lenses[0].command!.arguments as [string, unknown, { uri: string; range: { start: { line: number } } }[]];
    assert.equal(lensUri, URI);
    assert.deepEqual(hops.map((h) => [h.uri, TEXT.split('\n')[h.range.start.line].trim()]), [[URI, '- to: checkout']]);
  } finally {
    c.proc.kill();
  }
});


test('the style chooser: a recommendation from the answers, and the edit that writes the interaction', async () => {
  const c = await opened();
  try {
    const answers = { needsResult: false, longRunning: false, volume: 'small', consumers: 'several', latency: 'seconds', sharedStoreNorm: false };
    const r = await c.conn.sendRequest<{ style: string; why: string; edits: { range: import('vscode-languageserver-protocol').Range; newText: string }[]; adr?: { uri: string; text: string } }>('topolint/chooseStyle', { uri: URI, from: 'checkout', to: 'order-placed', answers });
    assert.equal(r.style, 'event-full');
    assert.match(r.why, /publish a fact/);
    const after = TextDocument.applyEdits(doc, r.edits);
    assert.match(after, /  checkout:\n[\s\S]*    publishes:\n      - event: order-placed\n        delivery: outbox\n/);
    assert.match(after, /\nevents:\n  order-placed:\n    content: full\n/);
    assert.ok(r.adr && /0001-checkout-to-order-placed\.md$/.test(r.adr.uri) && r.adr.text.includes('Does the caller need the result before it can go on? No'));
    // The text after the edit is a valid topology: no new structural findings.
    const p = c.forVersion(URI, 2);
    await c.change(URI, after, 2);
    const d = await p;
    assert.deepEqual(d.diagnostics.filter((x) => ['yaml-syntax', 'schema', 'unknown-reference'].includes(String(x.code))), []);
    // A sync choice adds a call with a timeout.
    const sync = await c.conn.sendRequest<{ style: string; edits: { range: import('vscode-languageserver-protocol').Range; newText: string }[] }>('topolint/chooseStyle', { uri: URI, from: 'payment', to: 'web', answers: { ...answers, needsResult: true, latency: 'interactive' } });
    assert.equal(sync.style, 'sync-request-response');
    // `payment: {}` is written in flow style, and stays so.
    assert.match(TextDocument.applyEdits(TextDocument.create(URI, 'topology', 2, after), sync.edits), /  payment: \{ calls: \[\{ to: web, style: sync, timeout: 2s \}\] \}\n/);
    // The chooser is offered as a code action on a service's calls.
    const callsAt = TEXT.indexOf('    calls:\n      - to: payment');
    const actions = await c.conn.sendRequest<{ title: string; command?: { command: string; arguments: unknown[] } }[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: { start: doc.positionAt(callsAt + 5), end: doc.positionAt(callsAt + 5) }, context: { diagnostics: [] } });
    const chooser = actions.find((a) => a.command?.command === 'topolint.chooseStyle');
    assert.ok(chooser, JSON.stringify(actions.map((a) => a.title)));
    assert.deepEqual(chooser.command!.arguments, [URI, 'checkout']);
  } finally {
    c.proc.kill();
  }
});
