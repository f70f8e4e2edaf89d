/**
 * A small, position-exact tree of what YAML said, built from the `yaml` library's AST. Everything
 * downstream (schema validation, the model builder, quick fixes) reads this tree, never the library's
 * nodes, so the library's shape stays in one file and the incremental parser can cache and move
 * subtrees freely.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { shiftSpan, span, type Span } from './span';

export interface YScalar {
  readonly kind: 'scalar';
  readonly span: Span;
  /** The resolved value: YAML 1.2 core schema (so `off`, `yes` and `2s` stay strings). */
  readonly value: string | number | boolean | null;
  /** True when the scalar was written in quotes or as a block scalar: never a number, never null. */
  readonly quoted: boolean;
}

export interface YPair {
  readonly key: string;
  readonly keySpan: Span;
  /** `null` when the key has no value at all (`timeout:`); spans then end at the key. */
  readonly value: YNode | null;
  /** From the key's start to the end of the value. */
  readonly span: Span;
}

export interface YMap {
  readonly kind: 'map';
  readonly span: Span;
  readonly pairs: readonly YPair[];
  readonly flow: boolean;
}

export interface YSeq {
  readonly kind: 'seq';
  readonly span: Span;
  readonly items: readonly YNode[];
  readonly flow: boolean;
}

export type YNode = YScalar | YMap | YSeq;

/** A problem found while reading YAML: the parser's own error code, or one of ours for limits. */
export interface SyntaxProblem {
  readonly code: string;
  readonly span: Span;
  readonly detail?: string;
}

/** Limits that keep hostile or absurd input from hanging the server or exhausting memory. */
export const LIMITS = {
  /** Deepest nesting of maps and lists that the model reads; the DSL needs fewer than ten. */
  maxDepth: 64,
  /** How many nodes alias expansion may add across a document (a "billion laughs" guard). */
  maxAliasExpansion: 10_000,
  /** Largest document analysed, in UTF-16 code units. */
  maxDocumentLength: 8 * 1024 * 1024,
};

export interface YamlParse {
  readonly root: YNode | null;
  readonly problems: SyntaxProblem[];
}

/** Parses one YAML text (a whole file or a chunk of one) into a YNode tree; spans are offset by `base`. */
export function parseYaml(text: string, base = 0): YamlParse {
  const problems: SyntaxProblem[] = [];
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, strict: true, keepSourceTokens: false });
  } catch (e) {
    // The library catches its own stack overflows; anything else still must not escape.
    problems.push({ code: 'IMPOSSIBLE', span: span(base, base + text.length), detail: String(e) });
    return { root: null, problems };
  }
  for (const err of [...doc.errors, ...doc.warnings]) {
    const [s, e] = err.pos;
    problems.push({ code: err.code, span: span(base + s, base + Math.max(e, s + 1)) });
  }
  const conv = new Converter(doc, base, problems);
  const root = doc.contents ? conv.node(doc.contents as YamlNode, 0) : null;
  return { root, problems };
}

class Converter {
  private aliasBudget = LIMITS.maxAliasExpansion;
  private readonly resolving = new Set<unknown>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly base: number,
    private readonly problems: SyntaxProblem[],
  ) {}

  private spanOf(n: { range?: [number, number, number] | null } | null | undefined, fallback: number): Span {
    const r = n?.range;
    if (!r) return span(this.base + fallback, this.base + fallback);
    return span(this.base + r[0], this.base + r[1]);
  }

  node(n: YamlNode, depth: number, at?: Span): YNode {
    const here = at ?? this.spanOf(n as never, 0);
    if (depth > LIMITS.maxDepth) {
      this.problems.push({ code: 'RESOURCE_LIMIT', span: here, detail: `nesting deeper than ${LIMITS.maxDepth} levels` });
      return { kind: 'scalar', span: here, value: null, quoted: false };
    }
    if (isAlias(n)) {
      const target = n.resolve(this.doc);
      if (!target || this.resolving.has(target)) {
        if (target) this.problems.push({ code: 'BAD_ALIAS', span: here, detail: 'an alias that contains itself' });
        return { kind: 'scalar', span: here, value: null, quoted: false };
      }
      const cost = countNodes(target as YamlNode, this.aliasBudget + 1);
      this.aliasBudget -= cost;
      if (this.aliasBudget < 0) {
        this.problems.push({ code: 'RESOURCE_LIMIT', span: here, detail: `aliases expand to more than ${LIMITS.maxAliasExpansion} nodes` });
        return { kind: 'scalar', span: here, value: null, quoted: false };
      }
      this.resolving.add(target);
      try {
        // An alias reads as its target, but every span points at the alias: that is where the user looks.
        return this.node(target as YamlNode, depth, here);
      } finally {
        this.resolving.delete(target);
      }
    }
    if (isScalar(n)) {
      const v = n.value;
      const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
      const quoted = n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE' || n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED';
      return { kind: 'scalar', span: at ?? this.spanOf(n, 0), value, quoted };
    }
    if (isMap(n)) {
      const pairs: YPair[] = [];
      for (const p of n.items) {
        if (!isPair(p)) continue;
        const keyNode = p.key as YamlNode | null;
        let key: string;
        let keySpan: Span;
        if (keyNode && isScalar(keyNode)) {
          key = keyNode.value === null ? '' : String(keyNode.value);
          keySpan = at ?? this.spanOf(keyNode, 0);
        } else if (keyNode) {
          const ks = at ?? this.spanOf(keyNode as never, 0);
          this.problems.push({ code: 'NON_STRING_KEY', span: ks });
          continue;
        } else {
          continue;
        }
        const valueNode = p.value as YamlNode | null;
        const value = valueNode ? this.node(valueNode, depth + 1, at) : null;
        // `key:` with nothing after it still gets a null scalar from the library; keep it as null value.
        const effective = value && value.kind === 'scalar' && value.value === null && !value.quoted && value.span.end === value.span.start ? null : value;
        const end = effective ? Math.max(effective.span.end, keySpan.end) : keySpan.end;
        pairs.push({ key, keySpan, value: effective, span: span(keySpan.start, end) });
      }
      return { kind: 'map', span: at ?? this.spanOf(n, 0), pairs, flow: n.flow === true };
    }
    if (isSeq(n)) {
      const items: YNode[] = [];
      for (const it of n.items) {
        if (it && typeof it === 'object') items.push(this.node(it as YamlNode, depth + 1, at));
      }
      return { kind: 'seq', span: at ?? this.spanOf(n, 0), items, flow: n.flow === true };
    }
    return { kind: 'scalar', span: here, value: null, quoted: false };
  }
}

/** Counts the nodes under `n`, stopping once `limit` is passed (so a bomb costs at most `limit` steps). */
function countNodes(n: YamlNode, limit: number): number {
  let count = 0;
  const stack: unknown[] = [n];
  while (stack.length && count <= limit) {
    const x = stack.pop();
    count++;
    if (isMap(x)) for (const p of x.items) { if (p.value) stack.push(p.value); if (p.key) stack.push(p.key); }
    else if (isSeq(x)) for (const it of x.items) stack.push(it);
    else if (isAlias(x)) count += 1; // counted again when expanded; this keeps the walk finite.
  }
  return count;
}

/** Moves a cached subtree to a new place in the document. */
export function shiftNode(n: YNode, delta: number): YNode {
  if (delta === 0) return n;
  switch (n.kind) {
    case 'scalar':
      return { ...n, span: shiftSpan(n.span, delta) };
    case 'seq':
      return { ...n, span: shiftSpan(n.span, delta), items: n.items.map((i) => shiftNode(i, delta)) };
    case 'map':
      return {
        ...n,
        span: shiftSpan(n.span, delta),
        pairs: n.pairs.map((p) => ({
          key: p.key,
          keySpan: shiftSpan(p.keySpan, delta),
          value: p.value ? shiftNode(p.value, delta) : null,
          span: shiftSpan(p.span, delta),
        })),
      };
  }
}

export function shiftProblem(p: SyntaxProblem, delta: number): SyntaxProblem {
  return delta === 0 ? p : { ...p, span: shiftSpan(p.span, delta) };
}

/** The value of `key` in a map, or undefined. The first pair wins; duplicates are reported by the schema. */
export function get(map: YNode | null | undefined, key: string): YPair | undefined {
  if (!map || map.kind !== 'map') return undefined;
  for (const p of map.pairs) if (p.key === key) return p;
  return undefined;
}
