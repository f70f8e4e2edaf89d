/**
 * How a finding's fixes read in a menu (core/menu.ts, run by fixesFor): accept fixes name their rule and
 * element, fixes on another hop of a chain say which, the first design fix is preferred unless the rule
 * chose, and ADR slugs end at a word boundary.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, run, yaml } from '../helpers';
import { analyze, fixesFor, parseFile, RULES, type Fix, type Rule } from '../../server/src/core';
import { SLUG_MAX, slugify } from '../../server/src/core/adr';
import { distinct } from '../../server/src/lsp/code-actions';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';

const URI = 'file:///w/system.topology.yaml';

const CHAIN = yaml`
  topology: shop
  services:
    web:
      exposure: external
      calls:
        - to: api   # first hop
    api:
      calls:
        - to: orders
          timeout: 1s
    orders: { calls: [{ to: payment, operation: Charge }] }
    payment: {}
  rules:
    missing-timeout: off
    no-fallback: off
    unversioned-interface: off
`;

describe('menu: where a fix acts', () => {
  test('fixes on hops past the one the finding is on say which hop; those on it and the accepts do not', () => {
    const r = run(CHAIN);
    const titles = fixesFor(findingsOf(r, 'sync-chain')[0], r, RULES).map((f) => f.title);
    for (const t of titles) {
      if (/orders → payment/.test(t)) assert.match(t, /^on hop 3: /);
      else if (/api → orders/.test(t)) assert.match(t, /^on hop 2: /);
      else assert.doesNotMatch(t, /^on hop/);
    }
    assert.ok(titles.some((t) => t.startsWith('on hop 3: ')) && titles.some((t) => t.startsWith('on hop 2: ')), titles.join('\n'));
  });

  test('a fix whose edits reach several hops gets no single hop', () => {
    const rule: Rule = {
      meta: { id: 'two-hops', title: 'Test', category: 'communication', defaultSeverity: 'info', options: {}, fixable: true, acceptable: false },
      check(ctx) {
        const web = ctx.system.services.get('web')!;
        ctx.report({ uri: web.uri, span: web.calls[0].to.span, message: 'm', messageId: 'm', data: { hops: [['web', 0], ['api', 0], ['orders', 0]] } });
      },
      fixes(_finding, ctx) {
        const at = (id: string) => ctx.system.services.get(id)!.calls[0];
        const edit = (id: string) => ({ uri: URI, span: { start: at(id).to.span.start, end: at(id).to.span.end }, newText: at(id).to.id });
        return [{ title: 'both', kind: 'quickfix', edits: [edit('api'), edit('orders')] }, { title: 'one', kind: 'quickfix', edits: [edit('orders')] }];
      },
    };
    const rules = [...RULES, rule];
    const r = analyze([parseFile(URI, CHAIN, rules)], rules);
    const fixes = fixesFor(findingsOf(r, 'two-hops')[0], r, rules);
    assert.deepEqual(fixes.map((f) => f.title), ['both', 'on hop 3: one']);
  });
});

describe('menu: the preferred fix', () => {
  const preferred = (fixes: Fix[]) => fixes.filter((f) => f.isPreferred).map((f) => f.title);

  test('the first design fix is preferred when the rule says nothing; never an accept fix', () => {
    const r = run(CHAIN);
    const fixes = fixesFor(findingsOf(r, 'sync-chain')[0], r, RULES);
    assert.equal(fixes.filter((f) => !f.accept)[0].isPreferred, true);
    assert.equal(preferred(fixes).length, 1);
    assert.ok(fixes.filter((f) => f.accept).every((f) => !f.isPreferred));
  });

  test('a rule that sets isPreferred on any fix keeps its choice, even none', () => {
    const make = (fixes: Fix[]): Rule => ({
      meta: { id: 'chooser', title: 'Test', category: 'structure', defaultSeverity: 'info', options: {}, fixable: true, acceptable: false },
      check(ctx) {
        const web = ctx.system.services.get('web')!;
        ctx.report({ uri: web.uri, span: web.idSpan, message: 'm', messageId: 'm' });
      },
      fixes: () => fixes.map((f) => ({ ...f })),
    });
    const fix = (title: string, isPreferred?: boolean): Fix => ({ title, kind: 'quickfix', edits: [], ...(isPreferred === undefined ? {} : { isPreferred }) });
    const titlesPreferred = (fixes: Fix[]) => {
      const rules = [...RULES, make(fixes)];
      const r = analyze([parseFile(URI, CHAIN, rules)], rules);
      return preferred(fixesFor(findingsOf(r, 'chooser')[0], r, rules));
    };
    assert.deepEqual(titlesPreferred([fix('a'), fix('b')]), ['a']);
    assert.deepEqual(titlesPreferred([fix('a'), fix('b', true)]), ['b']);
    assert.deepEqual(titlesPreferred([fix('a', false), fix('b', false)]), []);
    assert.deepEqual(titlesPreferred([]), []);
  });
});

describe('menu: accept titles and ADR slugs', () => {
  test('each accept fix names its rule and element, so three findings on one call read apart', () => {
    // One call with four findings: missing-timeout, retry-amplification, sync-chain and large-sync-payload.
    const text = yaml`
      topology: trains
      services:
        dashboard:
          exposure: external
          versions: [v1]
          calls:
            - to: preserve
              retries: 3
              operation: getOrder
              payload: 5MB
        preserve:
          versions: [v1]
          calls:
            - to: travel
              timeout: 2s
              retries: 3
        travel:
          versions: [v1]
          calls:
            - to: basic
              timeout: 1s
        basic:
          versions: [v1]
    `;
    const host = { adrFolder: () => 'file:///w/docs/adr/', list: () => [] };
    const r = analyze([parseFile(URI, text, RULES)], RULES, {}, host);
    const call = r.system.services.get('dashboard')!.calls[0].span;
    const here = r.findings.filter((f) => call.start <= f.span.start && f.span.end <= call.end);
    assert.deepEqual(here.map((f) => f.rule).sort(), ['large-sync-payload', 'missing-timeout', 'retry-amplification', 'sync-chain']);
    const accepts = here.flatMap((f) => fixesFor(f, r, RULES).filter((x) => x.accept).map((x) => x.title));
    assert.equal(new Set(accepts).size, accepts.length, accepts.join('\n'));
    for (const f of here) {
      assert.ok(accepts.includes(`Accept ${f.rule} on the call dashboard → preserve`), accepts.join('\n'));
      assert.ok(accepts.some((t) => t.startsWith(`Accept ${f.rule} on the call dashboard → preserve and record it in an ADR (docs/adr/0001-${f.rule}-dashboard-preserve.md)`)), accepts.join('\n'));
    }
  });

  test('slugs are cut at a word boundary, never mid-word', () => {
    assert.equal(slugify('sync-chain ts-ui-dashboard → ts-preserve-service'), 'sync-chain-ts-ui-dashboard-ts-preserve-service');
    const long = slugify('sync-chain the call ts-ui-dashboard → ts-preserve-service');
    assert.equal(long, 'sync-chain-the-call-ts-ui-dashboard-ts-preserve');
    // Exactly at the limit, and one past it at a word's end.
    assert.equal(slugify('a'.repeat(SLUG_MAX)), 'a'.repeat(SLUG_MAX));
    assert.equal(slugify(`${'a'.repeat(SLUG_MAX)} bcd`), 'a'.repeat(SLUG_MAX));
    assert.equal(slugify(`${'a'.repeat(SLUG_MAX - 1)} bcd`), 'a'.repeat(SLUG_MAX - 1));
    // One word longer than the limit has no boundary to cut at.
    assert.equal(slugify('x'.repeat(100)), 'x'.repeat(SLUG_MAX));
    assert.equal(slugify('→ ☃'), 'decision');
    for (let n = 1; n < 120; n += 7) {
      const words = Array.from({ length: n }, (_, i) => `w${i}x`).join(' ');
      const s = slugify(words);
      assert.ok(s.length <= SLUG_MAX, s);
      assert.ok(s.split('-').every((w) => /^w\d+x$/.test(w)), s);
    }
  });
});

describe('menu: one list for several findings (lsp/code-actions.ts)', () => {
  const diag = (code: string): Diagnostic => ({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: code, code });
  const action = (title: string, code: string, newText: string, isPreferred?: boolean): CodeAction => ({
    title,
    kind: 'quickfix',
    diagnostics: [diag(code)],
    isPreferred,
    edit: { changes: { [URI]: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText }] } },
  });

  test('the same fix for two findings is one entry for both; two fixes with one title name their rule', () => {
    const out = distinct([action('Fix it', 'r1', 'x'), action('Other', 'r1', 'y'), action('Fix it', 'r2', 'x', true), action('Fix it', 'r3', 'z'), action('Fix it', 'r3', 'w')]);
    assert.deepEqual(out.map((a) => a.title), ['Fix it', 'Other', 'Fix it (for r3)', 'Fix it (2)']);
    assert.deepEqual(out[0].diagnostics!.map((d) => d.code), ['r1', 'r2']);
    assert.equal(out[0].isPreferred, true, 'preferred when either finding prefers it');
  });
});

describe('menu: hops that are not one path', () => {
  // Blocking hops orders → stock and billing → ledger, with an event between each pair.
  const text = yaml`
    topology: loop
    services:
      orders:
        calls:
          - { to: stock, timeout: 1s }
        subscribes:
          - event: posted
      stock:
        publishes:
          - event: reserved
      billing:
        subscribes:
          - event: reserved
        calls:
          - { to: ledger, timeout: 1s }
      ledger:
        publishes:
          - event: posted
    events:
      reserved: { content: full }
      posted: { content: full }
    rules:
      unversioned-interface: off
  `;

  test('mixed-cycle keeps its blocking hops only: not one path, so no hop numbers; the titles name the calls', () => {
    const r = run(text);
    const f = findingsOf(r, 'mixed-cycle')[0];
    assert.ok(f, r.findings.map((x) => x.rule).join(', '));
    const titles = fixesFor(f, r, RULES).map((x) => x.title);
    assert.ok(titles.some((t) => t.includes('billing → ledger')) && titles.some((t) => t.includes('orders → stock')), titles.join('\n'));
    assert.ok(titles.every((t) => !t.startsWith('on hop')), titles.join('\n'));
  });
});
