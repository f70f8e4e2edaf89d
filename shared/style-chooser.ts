/**
 * The style chooser: the questions to ask before picking how two services talk, and the recommendation
 * that follows from the answers. "Decide the communication style first, then the technology" (Newman,
 * Building Microservices, ch. 4). A pure function, tested over every combination of answers.
 */

export interface StyleAnswers {
  /** Does the caller need the result before it can go on? */
  readonly needsResult: boolean;
  /** Does the work take long (seconds to hours), or can it wait for a busy receiver? */
  readonly longRunning: boolean;
  /** How much data moves: a small message, large payloads (MBs), or bulk (GBs, millions of rows). */
  readonly volume: 'small' | 'large' | 'bulk';
  /** How many services may care: just one, or several (some not written yet). */
  readonly consumers: 'one' | 'several';
  /** How soon the answer or the reaction must happen. */
  readonly latency: 'interactive' | 'seconds' | 'eventually';
  /** Is a shared store with the data (files, a data lake, a warehouse) already how these systems work? */
  readonly sharedStoreNorm: boolean;
}

export type Style = 'sync-request-response' | 'async-request-response' | 'event-full' | 'event-id' | 'common-data';

export interface Recommendation {
  readonly style: Style;
  readonly title: string;
  /** One paragraph: why this style, from the answers that decided it. */
  readonly why: string;
  /** What the choice costs, so the ADR starts honest. */
  readonly tradeOffs: string;
}

export const QUESTIONS: readonly { readonly key: keyof StyleAnswers; readonly question: string; readonly options: readonly { readonly value: StyleAnswers[keyof StyleAnswers]; readonly label: string }[] }[] = [
  { key: 'needsResult', question: 'Does the caller need the result before it can go on?', options: [{ value: true, label: 'Yes: it waits for the answer' }, { value: false, label: 'No: it hands the work over and carries on' }] },
  { key: 'longRunning', question: 'Is the work long-running, or may the receiver be too busy to take it at once?', options: [{ value: false, label: 'No: it answers in well under a second' }, { value: true, label: 'Yes: seconds or more, or it must be buffered' }] },
  { key: 'volume', question: 'How much data moves each time?', options: [{ value: 'small', label: 'A small message (KBs)' }, { value: 'large', label: 'Large payloads (MBs)' }, { value: 'bulk', label: 'Bulk data (GBs, millions of rows)' }] },
  { key: 'consumers', question: 'How many services may care about this?', options: [{ value: 'one', label: 'Exactly one' }, { value: 'several', label: 'Several, some perhaps not written yet' }] },
  { key: 'latency', question: 'How soon must the answer or the reaction happen?', options: [{ value: 'interactive', label: 'While a user waits' }, { value: 'seconds', label: 'Within seconds' }, { value: 'eventually', label: 'Eventually (minutes or more is fine)' }] },
  { key: 'sharedStoreNorm', question: 'Is a shared store with the data (files, a data lake, a warehouse) already how these systems work?', options: [{ value: false, label: 'No' }, { value: true, label: 'Yes (old systems, batch exports, analytics)' }] },
];

const TRADE_OFFS: Record<Style, string> = {
  'sync-request-response': 'Familiar and simple, and the caller learns at once whether it worked; but a slow or failed receiver blocks the caller, so keep the chain short, set a timeout and think about a fallback.',
  'async-request-response': 'The caller is not held up and a queue buffers work the receiver cannot take yet; but there are more moving parts, and the reply must be routed back to an instance that can handle it.',
  'event-full': 'The loosest coupling: consumers come and go without the publisher changing, and they need not call back; but events grow, data reaches consumers that may not need it, and the fields become a contract.',
  'event-id': 'Small events that reveal little; but every consumer must call back for the details, which couples them to the publisher and sends it a burst of requests each time the event fires.',
  'common-data': 'Simple, well-known technology that handles very large volumes and old systems that can read a file; but the store couples everyone who touches it, and readers must poll to notice new data.',
};

/** The recommended style for a set of answers. Total: every combination gets one. */
export function recommendStyle(a: StyleAnswers): Recommendation {
  const rec = (style: Style, title: string, why: string): Recommendation => ({ style, title, why, tradeOffs: TRADE_OFFS[style] });
  // Bulk data moves best through a store, whoever needs it; so does anything where a shared store is the norm
  // and nobody waits for an answer.
  if (a.volume === 'bulk' || (a.sharedStoreNorm && !a.needsResult && a.latency === 'eventually')) {
    return rec(
      'common-data',
      'Common data: write it to a shared store (files, a bucket, a data lake) and let readers pick it up',
      a.volume === 'bulk'
        ? 'You move bulk data: shipping gigabytes through calls or messages is slow and fragile, while a shared store is built for it. Let the producer write it and the readers pick it up; keep one owner per dataset and agree on its format, since every reader depends on it.'
        : 'A shared store is already how these systems work, and nobody waits for an answer: writing the data where the readers already look is the simplest thing that works. Keep one owner per dataset, and give readers a way to notice new data.',
    );
  }
  if (a.needsResult) {
    if (a.longRunning || a.latency === 'eventually') {
      return rec(
        'async-request-response',
        'Asynchronous request-response over a queue',
        'The caller needs the result, but the work takes long (or the answer may come late): blocking for it would hold the caller\'s resources and lose the answer if either side restarts. Send the request over a queue and route the reply back when it is ready.',
      );
    }
    return rec(
      'sync-request-response',
      a.volume === 'large' ? 'Synchronous request-response, passing a reference to the data' : 'Synchronous request-response (HTTP or gRPC), with a timeout',
      `The caller cannot go on without the answer, and the answer comes quickly${a.latency === 'interactive' ? ' while a user waits' : ''}: a blocking call is the simplest fit.${a.volume === 'large' ? ' The payload is large, so put the data in a store and pass its location rather than the bytes.' : ''} Keep the chain of blocking calls short, set a timeout, and decide what the caller does when the call fails.`,
    );
  }
  if (a.consumers === 'one' && a.latency !== 'eventually' && !a.longRunning) {
    return rec(
      'async-request-response',
      'Asynchronous request over a queue (no reply needed)',
      'The caller hands work to one service and carries on: a queue decouples them in time, buffers requests when the receiver is busy, and nothing blocks. It is a request to a known service, not a fact for anyone who cares, so a queue fits better than an event.',
    );
  }
  if (a.volume === 'large') {
    return rec(
      'event-id',
      'Event-driven, with just an id (and a reference to the data)',
      'Several services may react, and the caller does not wait: publish an event. The payload is large, so the event carries an id and a reference to the data rather than the data itself (message brokers cap message sizes; Kafka at 1 MB by default); consumers fetch only what they need.',
    );
  }
  return rec(
    'event-full',
    'Event-driven, with fully detailed events',
    `${a.consumers === 'several' ? 'Several services may react, and the' : 'The'} caller does not wait: publish a fact and let consumers react on their own. Put in the event what you would happily share over an API, so consumers need not call back to the publisher.`,
  );
}
