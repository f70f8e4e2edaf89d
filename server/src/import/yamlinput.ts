/**
 * Reading manifests and Compose files: YAML documents as JavaScript values in which every mapping is a
 * `Map` (so no key of the input can reach a prototype), with unrendered templates refused and reported.
 */
import { LineCounter, parseAllDocuments } from 'yaml';

export type Value = string | number | boolean | null | undefined | Value[] | Map<unknown, Value>;

export interface InputDocument {
  readonly value: Value;
  /** `file:line` of the document's start, for messages. */
  readonly where: string;
  /** The `# Source:` comment that rendered Helm output puts before each document. */
  readonly source?: string;
}

/** Reads a key of a mapping; anything that is not a mapping has no keys. */
export function get(v: Value, ...keys: string[]): Value {
  let cur: Value = v;
  for (const k of keys) {
    if (!(cur instanceof Map)) return undefined;
    cur = cur.get(k);
  }
  return cur;
}

export function str(v: Value): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function list(v: Value): Value[] {
  return Array.isArray(v) ? v : [];
}

export function entries(v: Value): [string, Value][] {
  if (!(v instanceof Map)) return [];
  const out: [string, Value][] = [];
  for (const [k, x] of v) if (typeof k === 'string' || typeof k === 'number') out.push([String(k), x]);
  return out;
}

/**
 * Every document of a YAML text. A document holding `{{` is a template (Helm or another engine) that was
 * not rendered: it is refused with a warning, since guessing what it renders to would invent facts.
 */
export function readDocuments(path: string, text: string, warnings: string[]): InputDocument[] {
  const lines = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
  } catch (e) {
    warnings.push(`${path}: not readable as YAML (${e instanceof Error ? e.message : String(e)})`);
    return [];
  }
  if (!Array.isArray(docs)) docs = [docs];
  const out: InputDocument[] = [];
  let cursor = 0;
  for (const doc of docs) {
    const range = doc.range ?? [cursor, cursor, cursor];
    const slice = text.slice(range[0], range[2]);
    cursor = range[2];
    const line = lines.linePos(range[0]).line;
    const where = `${path}:${line}`;
    const source = /(?:^|\n)\s*Source:\s*(\S[^\n]*)/.exec(doc.commentBefore ?? '')?.[1]?.trim();
    const brace = slice.indexOf('{{');
    if (brace >= 0) {
      warnings.push(`${path}:${lines.linePos(range[0] + brace).line}: a template ('{{ … }}') is not rendered; render it first (helm template, kustomize build) — this document was skipped`);
      continue;
    }
    if (doc.errors.length) {
      const e = doc.errors[0];
      warnings.push(`${path}:${lines.linePos(e.pos[0]).line}: not valid YAML (${e.code}); this document was skipped`);
      continue;
    }
    let value: Value;
    try {
      value = doc.toJS({ mapAsMap: true, maxAliasCount: 1000 }) as Value;
    } catch (e) {
      warnings.push(`${where}: ${e instanceof Error ? e.message : String(e)}; this document was skipped`);
      continue;
    }
    if (value === null || value === undefined) continue;
    out.push({ value, where, source });
  }
  return out;
}
