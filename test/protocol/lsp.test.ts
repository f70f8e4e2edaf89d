import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity, type CodeAction, type TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codes, TestClient, WORK_URI } from './client';

const URI = `${WORK_URI}/system.topology.yaml`;

const TEXT = `topology: trains
defaults:
  timeout: 2s
  availability: 99.9%
services:
  dashboard:
    exposure: external
    versions: [v1]
    calls:
      - to: preserve
  preserve:
    calls:
      - to: travel
    slo: { availability: 99.9% }
  travel:
    calls:
      - to: basic
        perRequest: 8
    slo: { availability: 99.9% }
  basic:
    calls:
      - to: station
    slo: { availability: 99.9% }
  station:
    uses:
      - store: stations-db
    slo: { availability: 99.9% }
datastores:
  stations-db:
    owner: station
`;

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(URI, 'topology', 0, text), edits);
}

test('diagnostics on open, after a broken edit, and after the text is restored', async () => {
  const c = new TestClient();
  try {
    const init = await c.initialize();
    // Incremental sync (2): a keystroke sends the range it changed; a whole text is still accepted (below).
    assert.equal((init.capabilities as { textDocumentSync: { change: number } }).textDocumentSync.change, 2);
    const t0 = performance.now();
    const first = c.forVersion(URI, 1);
    await c.open(URI, TEXT, 1);
    const d1 = await first;
    const ms = performance.now() - t0;
    assert.ok(ms < 1000, `first diagnostics took ${ms.toFixed(0)} ms`);
    // timeout-budget since rules revision 2: travel may wait 8 × 2s on basic, behind preserve's default 2s.
    assert.deepEqual(codes(d1.diagnostics), ['chatty-calls', 'sync-chain', 'timeout-budget']);
    const chain = d1.diagnostics.find((d) => d.code === 'sync-chain')!;
    assert.equal(chain.source, 'topolint');
    assert.equal(chain.severity, DiagnosticSeverity.Warning);
    assert.match(chain.codeDescription!.href, /rules\/sync-chain\.md$/);
    assert.deepEqual(chain.range, { start: { line: 9, character: 12 }, end: { line: 9, character: 20 } });
    assert.deepEqual(chain.relatedInformation!.map((r) => r.message), ['hop 1: dashboard → preserve', 'hop 2: preserve → travel', 'hop 3: travel → basic', 'hop 4: basic → station']);
    assert.match(String(chain.message), /^A synchronous chain from 'dashboard' blocks through 5 services, over the limit of 3\. .*\(dashboard → preserve → travel → basic → station\)/);

    // Break the YAML in the middle: an unclosed flow list, sent as an incremental change of one character.
    // The server reports it and keeps going.
    const at = TEXT.indexOf('      - to: travel\n') + '      - to: '.length;
    const pos = TextDocument.create(URI, 'topology', 0, TEXT).positionAt(at);
    const second = c.forVersion(URI, 2);
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ range: { start: pos, end: pos }, text: '[' }] });
    const d2 = await second;
    assert.ok(codes(d2.diagnostics).includes('yaml-syntax'), `expected yaml-syntax in ${codes(d2.diagnostics)}`);
    const syntax = d2.diagnostics.find((d) => d.code === 'yaml-syntax')!;
    assert.equal(syntax.severity, DiagnosticSeverity.Error);
    assert.ok(syntax.range.start.line >= 11 && syntax.range.start.line <= 14, JSON.stringify(syntax.range));
    // The rest of the file is still analysed: the shared chatty call below the break is still found.
    assert.ok(codes(d2.diagnostics).includes('chatty-calls'));

    const third = c.forVersion(URI, 3);
    await c.change(URI, TEXT, 3);
    const d3 = await third;
    // The same text, the same diagnostics, to the last field: nothing in them follows the document version.
    assert.deepEqual(d3.diagnostics, d1.diagnostics);
    assert.equal(await c.shutdown(), 0);
  } finally {
    c.proc.kill();
  }
});

test('a quick fix from the server removes its finding when applied', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const first = c.forVersion(URI, 1);
    await c.open(URI, TEXT, 1);
    const d1 = await first;
    const chatty = d1.diagnostics.find((d) => d.code === 'chatty-calls')!;
    const actions = await c.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: chatty.range, context: { diagnostics: [chatty] } });
    const titles = actions.map((a) => a.title);
    assert.ok(titles.some((t) => /^Batch /.test(t)), titles.join(' | '));
    assert.match(titles[titles.length - 1], /^Accept chatty-calls on the call travel → basic/);
    const batch = actions.find((a) => /^Batch /.test(a.title))!;
    assert.equal(batch.kind, 'quickfix');
    const after = apply(TEXT, batch.edit!.changes![URI]);
    assert.match(after, /perRequest: 1/);
    const second = c.forVersion(URI, 2);
    await c.change(URI, after, 2);
    const d2 = await second;
    assert.deepEqual(codes(d2.diagnostics), ['sync-chain']);

    // Accepting the chain adds an accept entry; the finding becomes a hint that says why.
    const chain = d2.diagnostics[0];
    const actions2 = await c.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: chain.range, context: { diagnostics: [chain] } });
    const accept = actions2.find((a) => a.title === 'Accept sync-chain on the call dashboard → preserve')!;
    const accepted = apply(after, accept.edit!.changes![URI]);
    const third = c.forVersion(URI, 3);
    await c.change(URI, accepted, 3);
    const d3 = await third;
    assert.equal(d3.diagnostics.length, 1);
    assert.equal(d3.diagnostics[0].severity, DiagnosticSeverity.Hint);
    assert.match(String(d3.diagnostics[0].message), /^accepted: TODO/);

    // A code action request for an outdated diagnostic gets nothing rather than a wrong edit.
    const stale = await c.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: chatty.range, context: { diagnostics: [chatty] } });
    assert.deepEqual(stale, []);
  } finally {
    c.proc.kill();
  }
});

test('settings from workspace/configuration change severities and thresholds, and a change re-validates', async () => {
  const c = new TestClient();
  try {
    c.settings = { topolint: { rules: { 'sync-chain': { severity: 'error' }, 'chatty-calls': 'off' } } };
    await c.initialize();
    const first = c.forVersion(URI, 1);
    await c.open(URI, TEXT, 1);
    const d1 = await first;
    assert.deepEqual(codes(d1.diagnostics), ['sync-chain', 'timeout-budget']);
    assert.equal(d1.diagnostics.find((d) => d.code === 'sync-chain')?.severity, DiagnosticSeverity.Error);

    c.settings = { topolint: { rules: { 'sync-chain': { max: 5 } } } };
    const next = c.diagnostics(URI, (p) => p.version === 1 && p !== d1);
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const d2 = await next;
    assert.deepEqual(codes(d2.diagnostics), ['chatty-calls', 'timeout-budget']);

    // The file's own rules block wins over the editor settings.
    const withBlock = TEXT + 'rules:\n  sync-chain: { max: 2, severity: info }\n';
    const third = c.forVersion(URI, 2);
    await c.change(URI, withBlock, 2);
    const d3 = await third;
    const chain = d3.diagnostics.find((d) => d.code === 'sync-chain');
    assert.equal(chain?.severity, DiagnosticSeverity.Information);
  } finally {
    c.proc.kill();
  }
});

test('the server survives garbage, binary-looking text and a huge line, and closes cleanly', async () => {
  const c = new TestClient();
  try {
    await c.initialize(false);
    const inputs = ['', '\u0000\u0001\u0002', ': : :\n- - -\n{{{{', 'topology: x\nservices:\n  a: *nope\n', 'x'.repeat(200_000), '['.repeat(5000)];
    let v = 1;
    await c.open(URI, inputs[0], v);
    await c.forVersion(URI, v);
    for (const text of inputs.slice(1)) {
      v++;
      const p = c.forVersion(URI, v);
      await c.change(URI, text, v);
      const d = await p;
      assert.ok(d.diagnostics.length > 0, `no findings for ${JSON.stringify(text.slice(0, 20))}`);
    }
    v++;
    const ok = c.forVersion(URI, v);
    await c.change(URI, TEXT, v);
    assert.deepEqual(codes((await ok).diagnostics), ['chatty-calls', 'sync-chain', 'timeout-budget']);
    const closed = c.diagnostics(URI, (p) => p.diagnostics.length === 0 && p.version === undefined);
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    await closed;
    assert.equal(await c.shutdown(), 0);
  } finally {
    c.proc.kill();
  }
});

test('rapid edits: only the latest version is published after the burst', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    await c.open(URI, TEXT, 1);
    await c.forVersion(URI, 1);
    const last = c.forVersion(URI, 20);
    for (let v = 2; v <= 20; v++) await c.change(URI, TEXT.replace('perRequest: 8', `perRequest: ${v}`), v);
    const d = await last;
    assert.ok(d.diagnostics.some((x) => x.code === 'chatty-calls' && /calls 'basic' 20 times/.test(String(x.message))), JSON.stringify(d.diagnostics.map((x) => x.message)));
    const intermediate = c.published.filter((p) => p.uri === URI && (p.version ?? 0) > 1 && (p.version ?? 0) < 20);
    assert.ok(intermediate.length < 19, `every keystroke was analysed: ${intermediate.length}`);
  } finally {
    c.proc.kill();
  }
});

test('topolint/graph returns the model graph with findings mapped onto their elements', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const changed = new Promise<{ uri: string; version: number }>((r) => c.conn.onNotification('topolint/graphChanged', r));
    await c.open(URI, TEXT, 1);
    assert.deepEqual(await changed, { uri: URI, version: 1 });
    const g = await c.conn.sendRequest<import('../../shared/protocol').GraphPayload>('topolint/graph', { uri: URI });
    assert.equal(g.name, 'trains');
    assert.deepEqual(g.nodes.map((n) => n.id).sort(), ['datastore:stations-db', 'service:basic', 'service:dashboard', 'service:preserve', 'service:station', 'service:travel']);
    assert.equal(g.nodes.find((n) => n.id === 'service:dashboard')!.external, true);
    const call = g.edges.find((e) => e.id === 'call:travel:0')!;
    assert.deepEqual([call.kind, call.from, call.to, call.perRequest], ['sync', 'service:travel', 'service:basic', 8]);
    const use = g.edges.find((e) => e.kind === 'uses')!;
    assert.equal(use.owner, true);
    const chain = g.findings.find((f) => f.rule === 'sync-chain')!;
    assert.deepEqual(chain.elements, ['call:dashboard:0', 'call:preserve:0', 'call:travel:0', 'call:basic:0']);
    assert.ok(call.findings.includes(chain.id));
    const chatty = g.findings.find((f) => f.rule === 'chatty-calls')!;
    assert.deepEqual(chatty.elements, ['call:travel:0']);
    assert.equal(await c.conn.sendRequest('topolint/graph', { uri: 'file:///not/open.topology.yaml' }), null);
  } finally {
    c.proc.kill();
  }
});

test('accepting with an ADR creates the record in the workspace and links it from the accept entry', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const first = c.forVersion(URI, 1);
    await c.open(URI, TEXT, 1);
    const chain = (await first).diagnostics.find((d) => d.code === 'sync-chain')!;
    const actions = await c.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: chain.range, context: { diagnostics: [chain] } });
    const titles = actions.map((a) => a.title);
    const adr = actions.find((a) => a.title.startsWith('Accept sync-chain on the call dashboard → preserve and record it in an ADR'));
    assert.ok(adr, titles.join(' | '));
    assert.equal(titles[titles.length - 1], adr.title, 'the ADR action comes last');
    const changes = adr.edit!.documentChanges! as unknown as Record<string, unknown>[];
    const create = changes[0] as { kind: string; uri: string };
    assert.equal(create.kind, 'create');
    assert.equal(create.uri, `${WORK_URI}/docs/adr/0001-sync-chain-dashboard-preserve.md`);
    const body = (changes[1] as { edits: TextEdit[] }).edits[0].newText;
    assert.match(body, /^# 0001\. Accept sync-chain on the call dashboard → preserve/);
    for (const h of ['## Context', '## Options', '## Decision', '## Consequences']) assert.ok(body.includes(h), h);
    assert.ok(body.includes('blocks through 5 services, over the limit of 3'));
    const docEdit = changes[2] as { textDocument: { uri: string; version: number }; edits: TextEdit[] };
    assert.deepEqual(docEdit.textDocument, { uri: URI, version: 1 });
    const after = apply(TEXT, docEdit.edits);
    assert.match(after, /adr: docs\/adr\/0001-sync-chain-dashboard-preserve\.md/);
  } finally {
    c.proc.kill();
  }
});

test('where the client takes snippet edits, the accept reason is a placeholder', async () => {
  const c = new TestClient();
  try {
    await c.initialize(true, true);
    const first = c.forVersion(URI, 1);
    await c.open(URI, TEXT, 1);
    const chain = (await first).diagnostics.find((d) => d.code === 'sync-chain')!;
    const actions = await c.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: chain.range, context: { diagnostics: [chain] } });
    const accept = actions.find((a) => a.title === 'Accept sync-chain on the call dashboard → preserve')!;
    const change = accept.edit!.documentChanges![0] as unknown as { textDocument: { version: number }; edits: { snippet?: { kind: string; value: string } }[] };
    assert.equal(change.textDocument.version, 1);
    assert.equal(change.edits[0].snippet?.kind, 'snippet');
    assert.match(change.edits[0].snippet.value, /reason: "\$\{1:TODO: why this trade-off is acceptable\}"/);
    // Quick fixes that need no placeholder stay plain edits.
    const plain = actions.find((a) => / Make the call /.test(` ${a.title}`))!;
    assert.ok(plain.edit!.changes);
  } finally {
    c.proc.kill();
  }
});
