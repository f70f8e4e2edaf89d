/**
 * The shared models (server/src/core/models.ts) on small systems whose numbers are computed by hand in
 * each test: nested timeouts, parallel calls, the N+1 multiplier, unbounded paths, availability over every
 * dependency (each counted once), fallbacks and async hops that cut a dependency, and the cache rule.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { run, yaml } from '../../helpers';
import type { System } from '../../../server/src/core/system';

const sys = (text: string): System => run(text).system;
const svc = (s: System, id: string) => s.services.get(id)!;
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

describe('worst-case wait', () => {
  test('nested timeouts do not add up: 3s × 3 attempts over 4s × 2 is 9s, not 17s', () => {
    const s = sys(yaml`
      topology: t
      services:
        a:
          calls: [{ to: b, timeout: 3s, retries: 2 }]
        b:
          calls: [{ to: c, timeout: 4s, retries: 1 }]
        c: {}
    `);
    const m = s.models();
    assert.equal(m.worst(svc(s, 'a')), 9000);
    assert.equal(m.worst(svc(s, 'b')), 8000);
    assert.equal(m.worst(svc(s, 'c')), 0);
  });

  test('sequential calls add up; parallel calls cost the longest of them', () => {
    // a: 1s (sequential) + 500ms (sequential) + max(2s, 3s × 2 attempts = 6s, 400ms) = 7.5s.
    const s = sys(yaml`
      topology: t
      defaults: { timeout: 400ms }
      services:
        a:
          calls:
            - { to: b, timeout: 1s }
            - { to: c, timeout: 500ms }
            - { to: d, timeout: 2s, parallel: true }
            - { to: e, timeout: 3s, retries: 1, parallel: true }
            - { to: f, parallel: true }
        b: {}
        c: {}
        d: {}
        e: {}
        f: {}
    `);
    assert.equal(s.models().worst(svc(s, 'a')), 7500);
  });

  test('perRequest multiplies, and n counts as assumedN (5 unless defaults.assumedN says)', () => {
    const text = (extra: string) => yaml`
      topology: t
      defaults: { timeout: 100ms${extra} }
      services:
        a:
          calls:
            - { to: b, perRequest: 3, retries: 1 }
            - { to: c, perRequest: n }
        b: {}
        c: {}
    `;
    // 3 × 2 × 100ms + 5 × 100ms = 1.1s; with assumedN 20: 600ms + 2s = 2.6s.
    const s = sys(text(''));
    assert.equal(s.models().worst(svc(s, 'a')), 1100);
    const s20 = sys(text(', assumedN: 20'));
    assert.equal(s20.models().assumedN, 20);
    assert.equal(s20.models().worst(svc(s20, 'a')), 2600);
  });

  test('a call without a timeout waits as long as its callee; a path with no timeout anywhere is unbounded', () => {
    // a → b has no timeout: it waits b's worst, 2 × 1s = 2s, times a's 2 attempts = 4s.
    // x → y → z has no timeout anywhere: unbounded. w caps it with its own 1s timeout.
    const s = sys(yaml`
      topology: t
      services:
        a:
          calls: [{ to: b, retries: 1 }]
        b:
          calls: [{ to: c, timeout: 1s, perRequest: 2 }]
        c: {}
        w:
          calls: [{ to: x, timeout: 1s }]
        x:
          calls: [{ to: y }]
        y:
          calls: [{ to: z }]
        z: {}
    `);
    const m = s.models();
    assert.equal(m.worst(svc(s, 'a')), 4000);
    assert.equal(m.worst(svc(s, 'x')), Infinity);
    assert.equal(m.worst(svc(s, 'y')), Infinity);
    assert.equal(m.worst(svc(s, 'w')), 1000);
  });

  test('a cycle of calls without timeouts is unbounded; a timeout in the cycle bounds it, with no recursion', () => {
    const s = sys(yaml`
      topology: t
      services:
        a:
          calls: [{ to: b }]
        b:
          calls: [{ to: a }]
        c:
          calls: [{ to: d, timeout: 2s }]
        d:
          calls: [{ to: c }]
    `);
    const m = s.models();
    assert.equal(m.worst(svc(s, 'a')), Infinity);
    assert.equal(m.worst(svc(s, 'c')), 2000);
    assert.equal(m.worst(svc(s, 'd')), 2000);
  });

  test('async calls, self-calls and calls to unknown services cost nothing', () => {
    const s = sys(yaml`
      topology: t
      services:
        a:
          calls:
            - { to: b, style: async }
            - { to: a, timeout: 1s }
            - { to: nowhere, timeout: 1s }
            - { to: b, timeout: 250ms }
        b: {}
    `);
    assert.equal(s.models().worst(svc(s, 'a')), 250);
  });

  test('a long chain is measured without recursion', () => {
    const n = 9000; // under the 10,000 entries a file may hold (budget.ts)
    const lines = ['topology: t', 'services:'];
    for (let i = 0; i < n; i++) lines.push(`  s${i}:`, ...(i + 1 < n ? [`    calls: [{ to: s${i + 1}${i === n - 2 ? ', timeout: 1s' : ''} }]`] : []));
    const s = sys(lines.join('\n') + '\n');
    assert.equal(s.models().worst(svc(s, 's0')), 1000);
  });
});

describe('availability over every dependency', () => {
  test('the product over all synchronous dependencies, transitively, each counted once', () => {
    // a needs b, c and d (d twice, through b and c): 0.99 × 0.98 × 0.97 × 0.96, d once.
    const s = sys(yaml`
      topology: t
      services:
        a:
          slo: { availability: 99% }
          calls: [{ to: b }, { to: c }]
        b:
          slo: { availability: 98% }
          calls: [{ to: d }]
        c:
          slo: { availability: 97% }
          calls: [{ to: d }]
        d:
          slo: { availability: 96% }
    `);
    const a = s.models().availability(svc(s, 'a'));
    close(a.value, 0.99 * 0.98 * 0.97 * 0.96);
    assert.deepEqual(a.services.map((x) => x.id), ['a', 'b', 'c', 'd']);
    assert.equal(a.approximate, false);
  });

  test('a fallback and an async hop end the dependency; a TODO fallback does not', () => {
    // a → b (fallback) and a → c (async) are cut; a → d has a TODO fallback and still counts:
    // 0.99 (a) × 0.9 (d) × 0.8 (e, through d).
    const s = sys(yaml`
      topology: t
      services:
        a:
          slo: { availability: 99% }
          calls:
            - { to: b, fallback: cached prices }
            - { to: c, style: async }
            - { to: d, fallback: "TODO: decide" }
        b:
          slo: { availability: 50% }
        c:
          slo: { availability: 50% }
        d:
          slo: { availability: 90% }
          calls: [{ to: e }]
        e:
          slo: { availability: 80% }
    `);
    const m = s.models();
    close(m.availability(svc(s, 'a')).value, 0.99 * 0.9 * 0.8);
    // Cutting a → d (what a real fallback on it would give) leaves a alone.
    const cut = svc(s, 'a').calls[2];
    close(m.availability(svc(s, 'a'), cut).value, 0.99);
  });

  test('a dependency reached by another route stays when one call to it is cut', () => {
    const s = sys(yaml`
      topology: t
      defaults: { availability: 90% }
      services:
        a:
          calls: [{ to: b }, { to: c }]
        b:
          calls: [{ to: c }]
        c: {}
    `);
    const m = s.models();
    const a = svc(s, 'a');
    close(m.availability(a).value, 0.9 ** 3);
    close(m.availability(a, a.calls[1]).value, 0.9 ** 3);
    close(m.availability(a, a.calls[0]).value, 0.9 ** 2);
  });

  test('a cycle of dependencies counts each service once', () => {
    const s = sys(yaml`
      topology: t
      defaults: { availability: 90% }
      services:
        a:
          calls: [{ to: b }]
        b:
          calls: [{ to: a }]
    `);
    close(s.models().availability(svc(s, 'a')).value, 0.81);
  });
});

describe('a cache is a copy only when its writer also writes a store that is not a cache', () => {
  test('record writes', () => {
    const s = sys(yaml`
      topology: t
      services:
        a:
          uses: [{ store: db }, { store: cache }]
        b:
          uses: [{ store: cache }, { store: db, access: read }]
      datastores:
        db: {}
        cache: { kind: cache }
    `);
    const m = s.models();
    assert.deepEqual(m.recordWrites(svc(s, 'a')).map((u) => u.store.id), ['db']);
    assert.deepEqual(m.recordWrites(svc(s, 'b')).map((u) => u.store.id), ['cache']);
    assert.equal(m.writesOfRecord(svc(s, 'a'), s.datastores.get('cache')!), false);
    assert.equal(m.writesOfRecord(svc(s, 'b'), s.datastores.get('cache')!), true);
  });
});

describe('near-linear on hostile shapes', () => {
  test('3,000 entries sharing a 3,000-service chain: exact while the work budget lasts, then the lower bound', async () => {
    const { parseFile, RULES } = await import('../../../server/src/core');
    const { System } = await import('../../../server/src/core/system');
    const n = 3000;
    const lines = ['topology: t', 'defaults: { availability: 99.99% }', 'services:'];
    for (let i = 0; i < n; i++) lines.push(`  e${i}: { calls: [{ to: c0, timeout: 1s }] }`);
    for (let i = 0; i < n; i++) lines.push(`  c${i}: { calls: [${i + 1 < n ? `{ to: c${i + 1} }` : ''}] }`);
    const file = parseFile('file:///t.topology.yaml', lines.join('\n') + '\n', RULES);
    const sys = new System([file.topology]);
    const m = sys.models();
    let exact = 0;
    for (let i = 0; i < n; i++) {
      const a = m.availability(sys.services.get(`e${i}`)!);
      if (!a.approximate) {
        exact++;
        close(a.value, 0.9999 ** (n + 1));
      } else assert.ok(a.value <= 0.9999 ** (n + 1) + 1e-12);
    }
    // The work is bounded by the budget (1,000,000 edge visits plus 4 per service and call), not by
    // entries × chain: about 350 searches of 3,000 edges, then O(1) each. A count, not a time, so the
    // test means the same on a loaded machine.
    assert.ok(exact > 0 && exact * n <= 1_000_000 + 4 * (2 * n + 2 * n) + n, `exact ${exact}`);
    // The wait is one pass: every entry's 1s timeout caps the unbounded chain below it.
    assert.equal(m.worst(sys.services.get('e0')!), 1000);
    assert.equal(m.worst(sys.services.get('c0')!), Infinity);
  });
});
