import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QUESTIONS, recommendStyle, type StyleAnswers } from '../../shared/style-chooser';

/** Every combination of answers. */
function* combinations(): Generator<StyleAnswers> {
  function* go(i: number, acc: Partial<StyleAnswers>): Generator<StyleAnswers> {
    if (i === QUESTIONS.length) {
      yield acc as StyleAnswers;
      return;
    }
    for (const o of QUESTIONS[i].options) yield* go(i + 1, { ...acc, [QUESTIONS[i].key]: o.value });
  }
  yield* go(0, {});
}

const base: StyleAnswers = { needsResult: true, longRunning: false, volume: 'small', consumers: 'one', latency: 'interactive', sharedStoreNorm: false };

test('the decision table: each answer that changes the outcome', () => {
  const cases: [Partial<StyleAnswers>, string][] = [
    [{}, 'sync-request-response'],
    [{ longRunning: true }, 'async-request-response'],
    [{ latency: 'eventually' }, 'async-request-response'],
    [{ volume: 'large' }, 'sync-request-response'],
    [{ volume: 'bulk' }, 'common-data'],
    [{ needsResult: false }, 'async-request-response'],
    [{ needsResult: false, consumers: 'several' }, 'event-full'],
    [{ needsResult: false, consumers: 'several', volume: 'large' }, 'event-id'],
    [{ needsResult: false, consumers: 'one', latency: 'eventually' }, 'event-full'],
    [{ needsResult: false, consumers: 'one', longRunning: true }, 'event-full'],
    [{ needsResult: false, sharedStoreNorm: true, latency: 'eventually' }, 'common-data'],
    [{ needsResult: false, sharedStoreNorm: true, latency: 'seconds' }, 'async-request-response'],
    [{ needsResult: true, sharedStoreNorm: true, latency: 'eventually' }, 'async-request-response'],
    [{ needsResult: true, volume: 'bulk', latency: 'interactive' }, 'common-data'],
  ];
  for (const [change, style] of cases) assert.equal(recommendStyle({ ...base, ...change }).style, style, JSON.stringify(change));
});

test('the large-payload variant of a synchronous call says to pass a reference', () => {
  assert.match(recommendStyle({ ...base, volume: 'large' }).why, /pass its location/);
  assert.doesNotMatch(recommendStyle(base).why, /pass its location/);
});

test('every combination of answers gets a recommendation, an explanation and its trade-offs', () => {
  let n = 0;
  const seen = new Set<string>();
  for (const a of combinations()) {
    const r = recommendStyle(a);
    n++;
    seen.add(r.style);
    assert.ok(r.title && r.why.length > 80 && r.tradeOffs.length > 80, JSON.stringify(a));
    // Whatever else was answered: bulk data always goes through a store; a needed, quick result is never an event.
    if (a.volume === 'bulk') assert.equal(r.style, 'common-data');
    if (a.needsResult && a.volume !== 'bulk') assert.ok(r.style === 'sync-request-response' || r.style === 'async-request-response', JSON.stringify(a));
    if (a.needsResult && a.volume !== 'bulk' && (a.longRunning || a.latency === 'eventually')) assert.equal(r.style, 'async-request-response');
  }
  assert.equal(n, 2 * 2 * 3 * 2 * 3 * 2);
  assert.deepEqual([...seen].sort(), ['async-request-response', 'common-data', 'event-full', 'event-id', 'sync-request-response']);
});
