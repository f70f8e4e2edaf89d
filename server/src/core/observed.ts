/**
 * Facts observed in the running system (traces, manifests), handed to the analysis by its host for the
 * `drift` rule. Plain data with names as the importers wrote them (topology ids); the core never reads
 * the files these come from.
 */

export interface ObservedCall {
  readonly from: string;
  readonly to: string;
  /** sync (CLIENT → SERVER spans), async (a message addressed to the callee); absent from manifests. */
  readonly style?: 'sync' | 'async';
  /** The median number of calls per incoming request that made the call, and the largest seen. */
  readonly perRequest?: number;
  readonly maxPerRequest?: number;
  readonly parallel?: boolean;
  readonly protocol?: string;
  /** How many times it was seen (spans), and in how many traces. */
  readonly count: number;
  readonly traces: number;
  /** Where it was seen, for messages (`traces`, `Deployment/checkout env PAYMENT_ADDR`). */
  readonly source: string;
}

export interface ObservedUse {
  readonly service: string;
  readonly store: string;
  readonly access: 'read' | 'write' | 'readwrite';
  readonly kind?: string;
  readonly technology?: string;
  readonly source: string;
}

export interface Observed {
  readonly calls: readonly ObservedCall[];
  readonly uses: readonly ObservedUse[];
  /** Services that talk through events (a publisher and a subscriber of one destination). */
  readonly eventEdges: readonly { readonly from: string; readonly to: string; readonly event: string }[];
  /** Every service seen, with spans of its own or in a manifest. */
  readonly services: readonly string[];
  /** How many traces were read (0 when only manifests were given). */
  readonly traces: number;
  readonly files: readonly string[];
}
