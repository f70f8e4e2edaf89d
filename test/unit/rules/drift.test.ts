/**
 * drift: the topology against observed facts (what `topolint check --observed` hands the analysis
 * through the host). Each case marks the expected spans with « »; fixes are applied and the text after
 * them re-analysed with the same observations.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, applyEdits, fixesFor, parseFile, RULES, type AnalysisResult } from '../../../server/src/core';
import type { Observed, ObservedCall } from '../../../server/src/core/observed';
import { URI, yaml } from '../../helpers';

const RULE = 'drift';

const call = (from: string, to: string, extra: Partial<ObservedCall> = {}): ObservedCall => ({ from, to, style: 'sync', perRequest: 1, maxPerRequest: 1, count: 10, traces: 10, source: 'traces', ...extra });
const observed = (o: Partial<Observed>): Observed => ({ calls: [], uses: [], eventEdges: [], services: [], traces: 10, files: ['t.json'], ...o });

function run(text: string, obs: Observed | undefined): AnalysisResult {
  return analyze([parseFile(URI, text, RULES)], RULES, {}, { observed: () => obs });
}

/** The drift findings as `messageId «text at the span»`, in document order. */
function driftOf(text: string, obs: Observed | undefined): string[] {
  return run(text, obs).findings.filter((f) => f.rule === RULE).map((f) => `${f.messageId} «${text.slice(f.span.start, f.span.end)}»`);
}

function fix(text: string, obs: Observed, title: RegExp, which = 0): string {
  const r = run(text, obs);
  const finding = r.findings.filter((f) => f.rule === RULE)[which];
  assert.ok(finding, 'no drift finding');
  const f = fixesFor(finding, r, RULES).find((x) => title.test(x.title));
  assert.ok(f, `no fix ${title}: ${fixesFor(finding, r, RULES).map((x) => x.title).join(' | ')}`);
  const after = applyEdits(text, f.edits);
  const again = run(after, obs);
  assert.deepEqual(again.findings.filter((x) => x.rule === 'schema' || x.rule === 'yaml-syntax' || x.rule === 'unknown-reference').map((x) => x.message), [], after);
  assert.equal(again.findings.filter((x) => x.rule === RULE && x.messageId === finding.messageId && x.message === finding.message).length, 0, `the fix did not remove the finding:\n${after}`);
  return after;
}

const BASE = yaml`
  topology: shop
  services:
    web:   # the edge
      exposure: external
      calls:
        - to: api
          style: async   # we believed so
    api:
      calls:
        - to: users
          perRequest: 2
        - to: legacy
    users: {}
    legacy: {}
`;

const OBS = observed({
  calls: [call('web', 'api'), call('api', 'users', { perRequest: 5, maxPerRequest: 9, count: 50 }), call('web', 'search', { protocol: 'grpc', perRequest: 3, parallel: true })],
  uses: [{ service: 'web', store: 'sessions', access: 'read', kind: 'cache', technology: 'redis', source: 'traces: redis spans of web' }],
  services: ['web', 'api', 'users', 'legacy', 'search'],
  traces: 10,
});

describe('drift', () => {
  const valid: { name: string; text: string; obs: Observed | undefined }[] = [
    { name: 'no observations', text: BASE, obs: undefined },
    { name: 'observations that match the declaration', text: BASE, obs: observed({ calls: [call('api', 'users', { perRequest: 2 })], services: ['api', 'users'] }) },
    { name: 'perRequest n takes any count', text: 'topology: t\nservices:\n  a: { calls: [{ to: b, perRequest: n }] }\n  b: {}\n', obs: observed({ calls: [call('a', 'b', { perRequest: 40 })], services: ['a', 'b'] }) },
    { name: 'a service the topology does not declare is not reported', text: BASE, obs: observed({ calls: [call('ghost', 'api')], services: ['ghost', 'api'] }) },
    { name: 'a declared call whose callee was never seen is not called unobserved', text: BASE, obs: observed({ calls: [call('web', 'api', { style: 'async' })], services: ['web', 'api'] }) },
    { name: 'manifests (no traces): no style, no perRequest, no unobserved info', text: BASE, obs: observed({ calls: [call('web', 'api', { style: undefined, perRequest: undefined, traces: 0, count: 1, source: 'Deployment/web env API_URL' })], services: ['web', 'api', 'users', 'legacy'], traces: 0 }) },
  ];
  for (const v of valid) test(`valid: ${v.name}`, () => assert.deepEqual(driftOf(v.text, v.obs), []));

  test('invalid: undeclared call and store on the service; style and perRequest on the call; an unobserved call as info', () => {
    assert.deepEqual(driftOf(BASE, OBS), ['undeclared-call «web»', 'undeclared-use «web»', 'style «async»', 'per-request «2»', 'unobserved «legacy»']);
    const f = run(BASE, OBS).findings.filter((x) => x.rule === RULE);
    assert.match(f[0].message, /^'web' calls 'search' \(10 calls in 10 traces, 3 per request\), but the topology declares no call web → search\./);
    assert.match(f[1].message, /^'web' reads 'sessions' \(redis\), seen in traces: redis spans of web, but declares no use of it\.$/);
    assert.match(f[2].message, /^The call web → api is declared async but observed sync \(10 calls in 10 traces\)/);
    assert.match(f[3].message, /^The call api → users is made 5 times per request \(median, up to 9, 50 calls in 10 traces\), declared 2\.$/);
    assert.equal(f[4].severity, 'info');
    assert.match(f[4].message, /^The call api → legacy was never observed in 10 traces/);
    for (const x of f.slice(0, 4)) assert.equal(x.severity, 'warning');
  });

  test('invalid: a sync call observed only through an event', () => {
    const text = 'topology: t\nservices:\n  a:\n    calls:\n      - to: b\n  b: {}\n';
    assert.deepEqual(driftOf(text, observed({ eventEdges: [{ from: 'a', to: 'b', event: 'order-placed' }], services: ['a', 'b'] })), ['style «b»']);
  });

  test('fix: declare the observed call and the missing service, keeping the comment', () => {
    const after = fix(BASE, OBS, /^Declare the observed call web → search and the service 'search'$/);
    assert.match(after, /^ {2}web: {3}# the edge$/m);
    assert.match(after, /- to: api\n {8}style: async {3}# we believed so\n {6}- to: search\n {8}protocol: grpc\n {8}perRequest: 3\n {8}parallel: true\n/);
    assert.match(after, /\n {2}search: \{\}\n$/);
  });

  test('fix: declare the store use, and the datastore section that did not exist', () => {
    const after = fix(BASE, OBS, /^Declare that 'web' uses 'sessions' \(read\), as observed and the datastore$/, 1);
    assert.match(after, /calls:\n {6}- to: api\n {8}style: async {3}# we believed so\n {4}uses:\n {6}- store: sessions\n {8}access: read\n/);
    assert.match(after, /\ndatastores:\n {2}sessions:\n {4}kind: cache\n {4}technology: redis\n$/);
  });

  test('fix: set the observed style and perRequest in place', () => {
    const a = fix(BASE, OBS, /^Set the style of the call web → api to sync, as observed$/, 2);
    assert.match(a, /style: sync {3}# we believed so/);
    const b = fix(BASE, OBS, /^Set perRequest of the call api → users to 5, as observed$/, 3);
    assert.match(b, /perRequest: 5\n/);
  });

  test('accepting a drift finding is offered', () => {
    const r = run(BASE, OBS);
    const finding = r.findings.find((x) => x.rule === RULE && x.messageId === 'unobserved')!;
    assert.ok(fixesFor(finding, r, RULES).some((x) => x.title.startsWith('Accept')));
  });
});
