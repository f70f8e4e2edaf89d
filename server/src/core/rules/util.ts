/** Helpers the rule modules share: owners for `accept:` (the accept fixes are in ../accept.ts), naming, thresholds. */
import type { Accept, Call, Field, Publish, Service, Subscribe, Use, Datastore, TopologyEvent, Flow } from '../model';
import type { Finding, FixContext, ParsedFile, RuleMeta } from '../rule';
import type { YMap, YNode, YPair } from '../ynode';
import { capList } from '../text';

export interface Owner {
  readonly accepts: readonly Accept[];
  readonly accept?: Field<unknown>;
  readonly uri: string;
  /** Where a new `accept:` goes: the element's map, or the pair whose value is empty. */
  readonly node: YNode | null;
  readonly pair?: YPair;
  readonly label: string;
}

/*
 * An owner reads its element's fields when asked, not when made: an analysis kept across an edit that
 * changed no rule's input (stable.ts, reuse.ts) keeps its findings and their owners, while the element is
 * given the new text's nodes and places in place. A copy of the fields would point into the old text.
 * The getters are on a class's prototype: an object literal with getters defines them anew on every
 * object, a slow path in V8 that rules making owners for every element paid thousands of times on
 * opening a large file.
 */
class ElementOwner implements Owner {
  readonly label: string;
  constructor(private readonly el: Service | Datastore | TopologyEvent | Flow) {
    this.label = `${el.kind} '${el.id}'`;
  }
  get accepts(): readonly Accept[] {
    return this.el.accepts;
  }
  get accept(): Field<unknown> | undefined {
    return this.el.accept;
  }
  get uri(): string {
    return this.el.uri;
  }
  get node(): YNode | null {
    return this.el.node;
  }
  get pair(): YPair | undefined {
    return this.el.pair;
  }
}

class ItemOwner implements Owner {
  constructor(
    private readonly item: Call | Publish | Subscribe | Use,
    readonly label: string,
  ) {}
  get accepts(): readonly Accept[] {
    return this.item.accepts;
  }
  get accept(): Field<unknown> | undefined {
    return this.item.accept;
  }
  get uri(): string {
    return this.item.from.uri;
  }
  get node(): YNode | null {
    return this.item.node;
  }
}

export function ownerOf(el: Service | Datastore | TopologyEvent | Flow): Owner {
  return new ElementOwner(el);
}

export function ownerOfItem(item: Call | Publish | Subscribe | Use, label: string): Owner {
  return new ItemOwner(item, label);
}

export const callLabel = (c: Call) => `the call ${c.from.id} → ${c.to.id}`;

/** "a → b → c" */
export function arrowList(ids: readonly string[]): string {
  return capList(ids, ' → ');
}

/**
 * A rule's threshold, or its default when the configured value is outside what the option allows
 * (below `min`, or not a whole number for an `int`). The engine passes `rules: { sync-chain: { max: 0 } }`
 * through as it is; the schema already reports the bad value, and the rule must neither crash on it nor
 * flag every service because of it.
 */
export function threshold(meta: RuleMeta, options: Readonly<Record<string, number>>, key: string): number {
  const o = Object.hasOwn(meta.options, key) ? meta.options[key] : undefined;
  const v = options[key];
  if (!o) return v;
  if (typeof v !== 'number' || !Number.isFinite(v) || (o.min !== undefined && v < o.min) || (o.type === 'int' && !Number.isInteger(v))) return o.default;
  return v;
}

export function isMap(n: YNode | null | undefined): n is YMap {
  return !!n && n.kind === 'map';
}

/** What a finding on a call keeps so its fixes can find the call again. */
export function callData(c: Call): { service: string; index: number } {
  return { service: c.from.id, index: c.index };
}

/** The call a finding was reported on (see `callData`), with its file, or undefined. */
export function callOfFinding(finding: Finding, ctx: FixContext): { call: Call; file: ParsedFile } | undefined {
  const s = ctx.system.services.get(String(finding.data?.service));
  const call = s?.calls.find((x) => x.index === finding.data?.index);
  const file = s && ctx.file(s.uri);
  return call && file ? { call, file } : undefined;
}
