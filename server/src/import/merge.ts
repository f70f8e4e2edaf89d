/**
 * `--merge`: adds to an existing topology what the import found and the file lacks — services, calls,
 * publishes, subscribes, uses, datastores, events — as minimal text insertions in the file's own style
 * (the quick fixes' `yamledit`), so every hand-written line, comment and value stays as it was. Nothing
 * that exists is changed or removed: a call the file declares differently (another style, another
 * perRequest) is left alone; `topolint check --observed` reports such differences as drift.
 */
import { addListItem, applyEdits, eol, insertPair, yamlScalar } from '../core/yamledit';
import { get, parseYaml, type YMap, type YNode } from '../core/ynode';
import type { TextEdit } from '../core/rule';
import { commentText, type ImportModel } from './model';
import { callLines, entryLines, eventBody, linkLines, serviceBody, storeBody, useLines } from './writer';

export interface MergeResult {
  readonly text: string;
  /** One line per addition (`service payment`, `call checkout → payment`). */
  readonly added: string[];
  /** What could not be added, and why. */
  readonly skipped: string[];
  /**
   * The same change as insertions into the original text (offsets into `existing`, in order), for an
   * editor that applies it as edits of their own rather than one replacement.
   */
  readonly insertions: { offset: number; text: string }[];
}

const URI = 'merge:';

function rootMap(text: string): YMap | undefined {
  const r = parseYaml(text);
  if (r.problems.some((p) => !p.code.startsWith('limit')) || r.root?.kind !== 'map') return undefined;
  return r.root;
}

function mapOf(n: YNode | null | undefined): YMap | null {
  return n?.kind === 'map' ? n : null;
}

/** The values of `key` in each item of a list (`to` of each call). */
function itemValues(n: YNode | null | undefined, key: string): Set<string> {
  const out = new Set<string>();
  if (n?.kind !== 'seq') return out;
  for (const item of n.items) {
    const v = get(item, key)?.value;
    if (v?.kind === 'scalar' && v.value !== null) out.add(String(v.value));
  }
  return out;
}

/** A flow-style item for a flow list: the same facts without comments. */
function flowItem(lines: readonly string[]): string {
  const pairs = lines.map((l) => l.replace(/\s+#.*$/, '')).filter((l) => l && !l.startsWith('#'));
  return `{ ${pairs.join(', ')} }`;
}

export function mergeInto(existing: string, m: ImportModel): MergeResult {
  let text = existing;
  const added: string[] = [];
  const skipped: string[] = [];
  if (!rootMap(text)) return { text, added, skipped: ['the file to merge into is not a readable topology (YAML errors, or not a mapping); nothing was merged'], insertions: [] };
  const nl = eol(text);
  // Every change is an insertion; each is recorded against the original text too. `at` is an offset
  // into the current text: insertions before it are taken off, and one that `at` falls inside of (a
  // list this merge created and now extends) takes the new text into its own.
  const insertions: { offset: number; text: string; cur: number }[] = [];
  const record = (at: number, inserted: string) => {
    let shift = 0;
    for (const x of insertions) {
      if (at > x.cur && at < x.cur + x.text.length) {
        const k = at - x.cur;
        x.text = x.text.slice(0, k) + inserted + x.text.slice(k);
        for (const y of insertions) if (y !== x && y.cur >= at) y.cur += inserted.length;
        return;
      }
      if (x.cur + x.text.length <= at) shift += x.text.length;
    }
    for (const y of insertions) if (y.cur >= at) y.cur += inserted.length;
    insertions.push({ offset: at - shift, text: inserted, cur: at });
  };
  const apply = (e: TextEdit | undefined, what: string) => {
    if (!e) return;
    if (e.span.start !== e.span.end) throw new Error('merge makes insertions only');
    record(e.span.start, e.newText);
    text = applyEdits(text, [e]);
    added.push(what);
  };
  const appendTopLevel = (key: string, entries: string[][], what: string[]) => {
    const body = entries.flatMap((lines) => lines.map((l) => `  ${l}`));
    const sep = text.length && !text.endsWith('\n') ? nl : '';
    const inserted = `${sep}${key}:${nl}${body.join(nl)}${nl}`;
    record(text.length, inserted);
    text += inserted;
    added.push(...what);
  };
  const section = (key: string) => {
    const root = rootMap(text);
    return { root, pair: root?.pairs.find((p) => p.key === key) };
  };

  // Services, then what each existing service lacks.
  for (const s of [...m.services.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const { root, pair } = section('services');
    if (!root) break;
    const services = mapOf(pair?.value);
    const have = services?.pairs.find((p) => p.key === s.id);
    if (!have) {
      if (!pair) {
        appendTopLevel('services', [entryLines(s.id, s.from, serviceBody(s), s.notes)], [`service ${s.id}`]);
      } else if (!services || services.flow) {
        skipped.push(`service ${s.id}: 'services' is not a block mapping; add it by hand`);
      } else {
        const body = serviceBody(s);
        const first = [`# from ${commentText(s.from)}`, ...s.notes.map((n) => `# ${commentText(n)}`)];
        apply(insertPair(URI, text, services, yamlScalar(s.id), body.length ? { block: [...first, ...body] } : { inline: `{} # ${[commentText(`from ${s.from}`), ...s.notes.map(commentText)].join('; ')}` }), `service ${s.id}`);
      }
      continue;
    }
    for (const [key, items, lines, name] of [
      ['calls', s.calls, callLines, 'to'],
      ['publishes', s.publishes, linkLines, 'event'],
      ['subscribes', s.subscribes, linkLines, 'event'],
      ['uses', s.uses, useLines, 'store'],
    ] as const) {
      for (const [id, item] of [...items].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const now = section('services');
        const svcPair = mapOf(now.pair?.value)?.pairs.find((p) => p.key === s.id);
        if (!svcPair) break;
        const svcMap = mapOf(svcPair.value);
        if (svcPair.value && !svcMap) {
          skipped.push(`${key.replace(/s$/, '')} ${s.id} → ${id}: service '${s.id}' is not a mapping`);
          continue;
        }
        if (itemValues(svcMap?.pairs.find((p) => p.key === key)?.value, name).has(id)) continue;
        const itemLines = (lines as (x: typeof item) => string[])(item);
        apply(addListItem(URI, text, svcMap, svcPair, key, itemLines, flowItem(itemLines)), `${key === 'calls' ? 'call' : key === 'uses' ? 'use' : key.replace(/es$/, '').replace(/s$/, '')} ${s.id} → ${id}`);
      }
    }
  }

  for (const [key, table, body] of [
    ['datastores', m.datastores, storeBody],
    ['events', m.events, eventBody],
  ] as const) {
    const missing = [...table.values()].filter((x) => !mapOf(section(key).pair?.value)?.pairs.some((p) => p.key === x.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
    if (!missing.length) continue;
    const what = (id: string) => `${key === 'datastores' ? 'datastore' : 'event'} ${id}`;
    if (!section(key).pair) {
      appendTopLevel(key, missing.map((x) => entryLines(x.id, x.from, (body as (v: typeof x) => string[])(x))), missing.map((x) => what(x.id)));
      continue;
    }
    for (const x of missing) {
      const map = mapOf(section(key).pair?.value);
      if (!map || map.flow) {
        skipped.push(`${what(x.id)}: '${key}' is not a block mapping; add it by hand`);
        continue;
      }
      const lines = (body as (v: typeof x) => string[])(x);
      const first = `# from ${commentText(x.from)}`;
      apply(insertPair(URI, text, map, yamlScalar(x.id), lines.length ? { block: [first, ...lines] } : { inline: `{} ${first}` }), what(x.id));
    }
  }
  const ordered = insertions.sort((a, b) => a.offset - b.offset || a.cur - b.cur).map(({ offset, text: t }) => ({ offset, text: t }));
  return { text, added, skipped, insertions: ordered };
}
