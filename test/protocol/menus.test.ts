/**
 * The quick-fix menu on a call with several findings, through the real server over stdio: every entry
 * reads differently, accept entries name their rule and element, ADR file names end at a word boundary,
 * the findings under the cursor come first with each finding's fixes together, fixes on other hops say
 * which, and the best fix of each finding is preferred.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient, WORK_URI } from './client';

const URI = `${WORK_URI}/menus.topology.yaml`;

// The call ts-ui-dashboard → ts-preserve-service carries four findings: missing-timeout,
// retry-amplification and sync-chain on its callee's name, large-sync-payload on its payload. chatty-calls
// fires further down, on another call.
const TEXT = `topology: train-ticket
services:
  ts-ui-dashboard:
    exposure: external
    versions: [v1]
    calls:
      - to: ts-preserve-service
        retries: 3
        operation: getOrder
        payload: 5MB
  ts-preserve-service:
    versions: [v1]
    calls:
      - to: ts-travel-service
        timeout: 2s
        retries: 3
  ts-travel-service:
    versions: [v1]
    calls:
      - to: ts-basic-service
        timeout: 1s
        perRequest: 20
  ts-basic-service:
    versions: [v1]
`;

const CALL = 'ts-ui-dashboard → ts-preserve-service';
const LINE = TEXT.split('\n').findIndex((l) => l.includes('- to: ts-preserve-service'));

const rule = (d: Diagnostic | undefined) => String(d?.code);
const createdUri = (a: CodeAction) => ((a.edit?.documentChanges ?? []) as { kind?: string; uri?: string }[]).find((c) => c.kind === 'create')?.uri;

test('the menu on a call with four findings: distinct accept titles, whole-word ADR slugs, the cursor first and grouped, a preferred fix', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const first = c.forVersion(URI, 1);
    await c.open(URI, TEXT, 1);
    const diagnostics = (await first).diagnostics;
    const here = diagnostics.filter((d) => d.range.start.line === LINE);
    assert.deepEqual(here.map(rule).sort(), ['missing-timeout', 'retry-amplification', 'sync-chain']);
    const payload = diagnostics.find((d) => d.code === 'large-sync-payload');
    const elsewhere = diagnostics.find((d) => d.code === 'chatty-calls');
    assert.ok(payload && payload.range.start.line > LINE, JSON.stringify(diagnostics.map((d) => [d.code, d.range.start.line])));
    assert.ok(elsewhere && elsewhere.range.start.line > payload.range.start.line, JSON.stringify(diagnostics.map((d) => [d.code, d.range.start.line])));

    // The cursor in the callee's name; the client lists findings elsewhere first, and the ones here in
    // some order of its own (reversed, to tell the server's order from the client's).
    const cursor = { line: LINE, character: here[0].range.start.character + 3 };
    const sent = [elsewhere, payload, ...[...here].reverse()];
    const actions = await c.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: { start: cursor, end: cursor }, context: { diagnostics: sent } });
    const titles = actions.map((a) => a.title);
    const summary = actions.map((a) => `${rule(a.diagnostics?.[0])}: ${a.title}${a.isPreferred ? ' [preferred]' : ''}`).join('\n');

    // No two entries read the same.
    assert.equal(new Set(titles).size, titles.length, summary);

    // Each finding's fixes together, the findings under the cursor first in the order the client sent
    // them, then the others, also in the client's order.
    const groups: string[] = [];
    for (const a of actions) if (groups[groups.length - 1] !== rule(a.diagnostics?.[0])) groups.push(rule(a.diagnostics?.[0]));
    assert.equal(new Set(groups).size, groups.length, `a finding's fixes are split:\n${summary}`);
    assert.deepEqual(groups, [...[...here].reverse().map(rule), 'chatty-calls', 'large-sync-payload'], summary);

    // Accept entries name their rule and the call, plain and with an ADR: four findings, eight entries.
    for (const d of [...here, payload]) {
      const accepts = actions.filter((a) => rule(a.diagnostics?.[0]) === rule(d) && /^Accept /.test(a.title));
      assert.deepEqual(
        accepts.map((a) => a.title.replace(/ \(docs\/adr\/.*\)$/, ' (…)')),
        [`Accept ${rule(d)} on the call ${CALL}`, `Accept ${rule(d)} on the call ${CALL} and record it in an ADR (…)`],
        summary,
      );
      // The last entries of a finding are its accept entries; they are never the preferred fix.
      const mine = actions.filter((a) => rule(a.diagnostics?.[0]) === rule(d));
      assert.deepEqual(mine.slice(-2), accepts);
      assert.ok(accepts.every((a) => !a.isPreferred), summary);
    }

    // The ADR files are named after the rule and the ids, cut at a word boundary when too long.
    for (const a of actions.filter((x) => / and record it in an ADR /.test(x.title) && x.diagnostics?.[0]?.code !== 'chatty-calls')) {
      const uri = createdUri(a);
      assert.ok(uri, a.title);
      const slug = /\/docs\/adr\/0001-(.+)\.md$/.exec(uri)![1];
      const full = `${rule(a.diagnostics?.[0])}-ts-ui-dashboard-ts-preserve-service`;
      assert.ok(slug.length <= 48, slug);
      assert.ok(full === slug || full.startsWith(`${slug}-`), `${slug} is not ${full} cut at a word boundary`);
      assert.ok(a.title.endsWith(`(docs/adr/0001-${slug}.md)`), a.title);
    }
    const retrySlug = /0001-(.+)\.md$/.exec(createdUri(actions.find((a) => a.title.startsWith('Accept retry-amplification') && / ADR /.test(a.title))!)!)![1];
    assert.equal(retrySlug, 'retry-amplification-ts-ui-dashboard-ts-preserve');

    // The best fix of each finding is preferred: retry-amplification says nothing itself, so its first
    // design fix is; missing-timeout chose its own. Only design fixes are ever preferred.
    const firstDesign = (r: string) => actions.find((a) => rule(a.diagnostics?.[0]) === r && !/^Accept /.test(a.title));
    assert.equal(firstDesign('retry-amplification')?.isPreferred, true, summary);
    assert.equal(firstDesign('missing-timeout')?.isPreferred, true, summary);
    assert.match(firstDesign('missing-timeout')!.title, /^Add timeout: 2s to the call ts-ui-dashboard → ts-preserve-service/);
    assert.ok(actions.filter((a) => a.isPreferred).every((a) => !/^Accept /.test(a.title)), summary);

    // sync-chain's fixes on the later hops say which hop they act on; those on the cursor's call do not.
    const chain = actions.filter((a) => rule(a.diagnostics?.[0]) === 'sync-chain' && !/^Accept /.test(a.title));
    for (const [hop, from] of [[2, 'ts-preserve-service'], [3, 'ts-travel-service']] as const) {
      const onHop = chain.filter((a) => a.title.includes(`the call ${from} → `));
      assert.ok(onHop.length > 0, summary);
      for (const a of onHop) assert.ok(a.title.startsWith(`on hop ${hop}: `), a.title);
    }
    for (const a of chain.filter((x) => x.title.includes(`the call ${CALL}`))) assert.doesNotMatch(a.title, /^on hop/);
  } finally {
    c.proc.kill();
  }
});

test('one fix offered for two findings is listed once, for both', async () => {
  // Two calls without a timeout: each finding offers the same default timeout, one edit for both.
  const text = `topology: twice
defaults:
  availability: 99.9%
services:
  web:
    exposure: external
    versions: [v1]
    calls:
      - to: a
      - to: b
  a:
    versions: [v1]
  b:
    versions: [v1]
`;
  const uri = `${WORK_URI}/twice.topology.yaml`;
  const c = new TestClient();
  try {
    await c.initialize();
    const first = c.forVersion(uri, 1);
    await c.open(uri, text, 1);
    const diagnostics = (await first).diagnostics.filter((d) => d.code === 'missing-timeout');
    assert.equal(diagnostics.length, 2);
    const all = await c.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: diagnostics[0].range.start, end: diagnostics[1].range.end }, context: { diagnostics } });
    const titles = all.map((a) => a.title);
    assert.equal(new Set(titles).size, titles.length, titles.join('\n'));
    const shared = all.filter((a) => a.title.startsWith('Set a default timeout for every call'));
    assert.equal(shared.length, 1, titles.join('\n'));
    assert.deepEqual(shared[0].diagnostics, diagnostics);
    assert.ok(titles.includes('Add timeout: 2s to the call web → a') && titles.includes('Add timeout: 2s to the call web → b'), titles.join('\n'));
  } finally {
    c.proc.kill();
  }
});
