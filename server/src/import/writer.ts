/**
 * Writes an import model as a topology file, as text: every generated element carries a `# from …`
 * comment saying where it came from. Ids and values go through `yamlScalar`, so a name YAML would misread
 * (`true`, `1e3`, `a: b`) is quoted; comments go through `commentText`, so no input can end a comment
 * and become YAML. The same pieces render the entries that `--merge` adds to an existing file.
 */
import { yamlScalar } from '../core/yamledit';
import { commentText, type ImportedCall, type ImportedEvent, type ImportedLink, type ImportedService, type ImportedStore, type ImportedUse, type ImportModel } from './model';

function comment(parts: readonly (string | undefined)[]): string {
  const t = commentText(parts.filter((p): p is string => !!p).join('; '));
  return t ? ` # ${t}` : '';
}

function sortedValues<T>(m: ReadonlyMap<string, T>): T[] {
  return [...m.keys()].sort().map((k) => m.get(k)!);
}

/** A call as list-item lines: the first goes after `- `, the rest line up with it. */
export function callLines(c: ImportedCall): string[] {
  const lines = [`to: ${yamlScalar(c.to)}${comment([`from ${c.from}`, ...c.notes])}`];
  if (c.style === 'async') lines.push('style: async');
  if (c.protocol) lines.push(`protocol: ${yamlScalar(c.protocol)}`);
  if (c.perRequest !== undefined && c.perRequest > 1) lines.push(`perRequest: ${c.perRequest}`);
  if (c.parallel) lines.push('parallel: true');
  return lines;
}

export function linkLines(l: ImportedLink): string[] {
  return [`event: ${yamlScalar(l.event)}${comment([`from ${l.from}`])}`];
}

export function useLines(u: ImportedUse): string[] {
  const lines = [`store: ${yamlScalar(u.store)}${comment([`from ${u.from}`])}`];
  if (u.access !== 'readwrite') lines.push(`access: ${u.access}`);
  return lines;
}

/** The lines under a service key (relative indentation, two spaces a level). */
export function serviceBody(s: ImportedService): string[] {
  const out: string[] = [];
  if (s.kind) out.push(`kind: ${s.kind}`);
  if (s.exposure) out.push(`exposure: ${s.exposure}${comment([s.exposureFrom])}`);
  const list = (key: string, items: string[][]) => {
    if (!items.length) return;
    out.push(`${key}:`);
    for (const lines of items) lines.forEach((l, i) => out.push(`${i === 0 ? '  - ' : '    '}${l}`));
  };
  list('calls', sortedValues(s.calls).map(callLines));
  list('publishes', sortedValues(s.publishes).map(linkLines));
  list('subscribes', sortedValues(s.subscribes).map(linkLines));
  list('uses', sortedValues(s.uses).map(useLines));
  return out;
}

export function storeBody(d: ImportedStore): string[] {
  const out = [`kind: ${d.kind}`];
  if (d.technology) out.push(`technology: ${yamlScalar(d.technology)}`);
  if (d.owner) out.push(`owner: ${yamlScalar(d.owner)}`);
  return out;
}

export function eventBody(e: ImportedEvent): string[] {
  return e.broker ? [`broker: ${yamlScalar(e.broker)}`] : [];
}

/**
 * `key: # from …` with its body, or `key: {} # from …` when the body is empty; notes go above the key as
 * comment lines.
 */
export function entryLines(id: string, from: string, body: readonly string[], notes: readonly string[] = []): string[] {
  const key = yamlScalar(id);
  const above = notes.map((n) => `# ${commentText(n)}`);
  if (!body.length) return [...above, `${key}: {}${comment([`from ${from}`])}`];
  return [...above, `${key}:${comment([`from ${from}`])}`, ...body.map((l) => `  ${l}`)];
}

export interface WriteOptions {
  /** The `topology:` name. */
  readonly name: string;
  /** One line saying what was imported (`Kubernetes manifests: k8s/`). */
  readonly source: string;
}

export function writeTopology(m: ImportModel, o: WriteOptions): string {
  const out: string[] = [`# Imported by topolint from ${commentText(o.source)}.`, '# Every element says where it came from; edit freely, `topolint import --merge` keeps your changes.'];
  for (const n of m.notes) out.push(`# ${commentText(n)}`);
  out.push(`topology: ${yamlScalar(o.name)}`);
  out.push('services:');
  if (!m.services.size) out.push('  # Nothing in the input became a service.');
  for (const s of sortedValues(m.services)) for (const l of entryLines(s.id, s.from, serviceBody(s), s.notes)) out.push(`  ${l}`);
  if (m.datastores.size) {
    out.push('datastores:');
    for (const d of sortedValues(m.datastores)) for (const l of entryLines(d.id, d.from, storeBody(d))) out.push(`  ${l}`);
  }
  if (m.events.size) {
    out.push('events:');
    for (const e of sortedValues(m.events)) for (const l of entryLines(e.id, e.from, eventBody(e))) out.push(`  ${l}`);
  }
  return out.join('\n') + '\n';
}
