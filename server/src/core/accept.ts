/**
 * Accepting a finding: the quick fixes that record a decision to live with a trade-off instead of changing
 * the design. "Accept <rule> on <element>" adds an `accept` entry with a reason to fill in; "... and record
 * it in an ADR" also writes a decision record from the template in adr.ts. Both are tagged `accept: true`.
 */
import { adrTemplate, nextAdr, relativePath, slugify } from './adr';
import type { Finding, Fix, FixContext, RuleMeta, TextEdit } from './rule';
import type { Owner } from './rules/util';
import { addListItem, yamlScalar } from './yamledit';
import type { YPair } from './ynode';

/** "Accept sync-chain on the call web → api": the rule and the element the accept entry goes on. */
export function acceptTitle(finding: Finding, owner: Owner): string {
  return `Accept ${finding.rule} on ${owner.label}`;
}

/** The quick fix that records a decision: an `accept` entry with a reason to fill in. */
export function acceptFix(finding: Finding, ctx: FixContext, owners: readonly Owner[] | undefined, adr?: string): Fix[] {
  const owner = owners?.[0];
  if (!owner) return [];
  const file = ctx.file(owner.uri);
  if (!file) return [];
  const reason = 'TODO: why this trade-off is acceptable';
  const item = [`rule: ${finding.rule}`, `reason: ${yamlScalar(reason)}`, ...(adr ? [`adr: ${yamlScalar(adr)}`] : [])];
  const flowItem = `{ rule: ${finding.rule}, reason: ${JSON.stringify(reason)}${adr ? `, adr: ${JSON.stringify(adr)}` : ''} }`;
  const node = owner.node;
  let edit: TextEdit;
  if (node && node.kind === 'map') edit = addListItem(owner.uri, file.text, node, (owner.pair ?? null) as YPair, 'accept', item, flowItem);
  else if (owner.pair && !node) edit = addListItem(owner.uri, file.text, null, owner.pair, 'accept', item, flowItem);
  else return [];
  // Where the client takes snippet edits, the reason is a placeholder the cursor lands on.
  const at = edit.newText.indexOf(reason);
  if (at >= 0) {
    const esc = (t: string) => t.replace(/[\\$}]/g, (c) => `\\${c}`);
    edit = { ...edit, snippet: `${esc(edit.newText.slice(0, at))}\${1:${esc(reason)}}${esc(edit.newText.slice(at + reason.length))}` };
  }
  // The title names the rule and the element: one call can carry several findings, and a menu of identical
  // "Accept this trade-off" lines gives no way to tell which finding each one accepts.
  const title = `${acceptTitle(finding, owner)}${adr ? ` and record it in an ADR (${adr})` : ''}`;
  return [{ title, kind: 'quickfix', edits: [edit], accept: true }];
}

/** The accept entry plus a new ADR file from the template; undefined when the host has no ADR folder. */
export function acceptWithAdrFix(finding: Finding, ctx: FixContext, owners: readonly Owner[] | undefined, meta: RuleMeta): Fix | undefined {
  const owner = owners?.[0];
  const folder = owner && ctx.host.adrFolder?.(owner.uri);
  if (!owner || !folder) return undefined;
  const label = owner.label.replace(/'/g, '');
  // The slug leaves out the label's leading "the call": the ids are what tells one record from another.
  const { number, uri } = nextAdr(ctx.host, folder, slugify(`${meta.id} ${label.replace(/^the (call )?/, '')}`));
  // A new file only inside the project.
  if (ctx.host.inside && !ctx.host.inside(uri, owner.uri ?? finding.uri)) return undefined;
  const path = relativePath(owner.uri, uri);
  const [accept] = acceptFix(finding, ctx, owners, path);
  if (!accept) return undefined;
  return { ...accept, creates: [{ uri, text: adrTemplate(number, finding, meta, owner.label) }] };
}
