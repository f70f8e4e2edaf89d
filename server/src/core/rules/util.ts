/** Helpers the rule modules share: owners for `accept:`, naming, and the "Accept this trade-off" fix. */
import type { Accept, Call, Field, Publish, Service, Subscribe, Use, Datastore, TopologyEvent, Flow } from '../model';
import type { Finding, Fix, FixContext, TextEdit } from '../engine';
import type { YMap, YNode, YPair } from '../ynode';
import { addListItem, yamlScalar } from '../yamledit';

export interface Owner {
  readonly accepts: readonly Accept[];
  readonly accept?: Field<unknown>;
  readonly uri: string;
  /** Where a new `accept:` goes: the element's map, or the pair whose value is empty. */
  readonly node: YNode | null;
  readonly pair?: YPair;
  readonly label: string;
}

export function ownerOf(el: Service | Datastore | TopologyEvent | Flow): Owner {
  return { accepts: el.accepts, accept: el.accept, uri: el.uri, node: el.node, pair: el.pair, label: `${el.kind} '${el.id}'` };
}

export function ownerOfItem(item: Call | Publish | Subscribe | Use, label: string): Owner {
  return { accepts: item.accepts, accept: item.accept, uri: item.from.uri, node: item.node, label };
}

export const callLabel = (c: Call) => `the call ${c.from.id} → ${c.to.id}`;

/** "a → b → c" */
export function arrowList(ids: readonly string[]): string {
  return ids.join(' → ');
}

/** The quick fix that records a decision: an `accept` entry with a reason to fill in. */
export function acceptFix(finding: Finding, ctx: FixContext, owners: readonly Owner[] | undefined): Fix[] {
  const owner = owners?.[0];
  if (!owner) return [];
  const file = ctx.file(owner.uri);
  if (!file) return [];
  const reason = 'TODO: why this trade-off is acceptable';
  const item = [`rule: ${finding.rule}`, `reason: ${yamlScalar(reason)}`];
  const flowItem = `{ rule: ${finding.rule}, reason: ${JSON.stringify(reason)} }`;
  const node = owner.node;
  let edit: TextEdit;
  if (node && node.kind === 'map') edit = addListItem(owner.uri, file.text, node, (owner.pair ?? null) as YPair, 'accept', item, flowItem);
  else if (owner.pair && !node) edit = addListItem(owner.uri, file.text, null, owner.pair, 'accept', item, flowItem);
  else return [];
  return [{ title: `Accept this trade-off (record a decision on ${owner.label})`, kind: 'quickfix', edits: [edit] }];
}

export function isMap(n: YNode | null | undefined): n is YMap {
  return !!n && n.kind === 'map';
}
