/**
 * A small, position-exact tree of what YAML said, built from the `yaml` library's AST. Everything
 * downstream (schema validation, the model builder, quick fixes) reads this tree, never the library's
 * nodes, so the library's shape stays in one file and the incremental parser can cache and move
 * subtrees freely.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseDocument, type Alias, type Document, type Node as YamlNode } from 'yaml';
import { shiftSpan, span, type Span } from './span';
import { parseFast } from './fastyaml';
import { LIMITS, type SyntaxProblem, type YamlParse, type YNode, type YPair } from './ytree';

export { LIMITS, type SyntaxProblem, type YamlParse, type YMap, type YNode, type YPair, type YScalar, type YSeq } from './ytree';

/** The most syntax problems one parse reports. */
export const MAX_PROBLEMS = 100;

/**
 * Parses one YAML text (a whole file or a chunk of one) into a YNode tree; spans are offset by `base`.
 * `depth` is how deep the text's root sits in the whole document (an entry of `services:` sits at 1), so
 * that a chunk meets LIMITS.maxDepth exactly where the whole document does.
 *
 * Every parse goes through here: the fast reader (fastyaml.ts) takes the texts it can read exactly, about
 * ten times faster, and the `yaml` library takes the rest, with its recovery and its error codes.
 */
export function parseYaml(text: string, base = 0, depth = 0): YamlParse {
  return (fastPath && parseFast(text, base, depth)) || parseRobust(text, base, depth);
}

let fastPath = true;

/** The fast reader's reading of a whole text, null where it declines, undefined while it is turned off. */
export function readFast(text: string): YamlParse | null | undefined {
  return fastPath ? parseFast(text, 0, 0) : undefined;
}

/**
 * Turns the fast reader off or on, for the property tests and the benchmark, which compare the two
 * readings end to end. Returns the previous setting.
 */
export function setFastPath(on: boolean): boolean {
  const was = fastPath;
  fastPath = on;
  return was;
}

/** The `yaml` library's reading of a text, converted to YNodes: what `parseYaml` falls back to. */
export function parseRobust(text: string, base = 0, depth = 0): YamlParse {
  const problems: SyntaxProblem[] = [];
  let doc: Document.Parsed;
  // Every error the library reports is an Error, and each captures a stack trace nobody reads: a broken
  // text (a long run of quotes, say) makes tens of thousands of them, and capturing their stacks was
  // over half of the time of the fuzzer's slowest inputs. No stacks while the library parses.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, strict: true, keepSourceTokens: false });
  } catch (e) {
    // The library catches its own stack overflows; anything else still must not escape.
    problems.push({ code: 'IMPOSSIBLE', span: span(base, base + text.length), detail: String(e) });
    return { root: null, problems };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  // One report per code and place: an unclosed flow collection can make the library repeat the same
  // error hundreds of times at one offset, and alias expansion could repeat ours.
  const seen = new Set<string>();
  const report = (p: SyntaxProblem) => {
    const key = `${p.code}@${p.span.start}-${p.span.end}`;
    // A run of 50,000 quotes gave 28,000 errors and as many findings; past MAX_PROBLEMS the text is
    // broken beyond what more findings would help with, and each costs time in every later step.
    if (seen.has(key) || problems.length >= MAX_PROBLEMS) return;
    seen.add(key);
    problems.push(p);
  };
  let unclosed: UnclosedNodes | undefined;
  for (const err of [...doc.errors, ...doc.warnings].slice(0, MAX_PROBLEMS * 4)) {
    let [s, e] = err.pos;
    // The library reports an unclosed quote or bracket where it gave up (often the end of the text, one
    // past its last character); the user has to find the opening character, so point there instead.
    const open = err.code === 'MISSING_CHAR' || err.code === 'BAD_INDENT' ? (unclosed ??= unclosedNodes(doc, text)).get(s) : undefined;
    if (open !== undefined) [s, e] = [open, open + 1];
    // A span never reaches past the end of the text (it would name no character of the document).
    s = Math.min(s, text.length);
    e = Math.min(Math.max(e, s + 1), text.length);
    report({ code: err.code, span: span(base + s, base + e) });
  }
  const conv = new Converter(doc, base, report);
  const root = doc.contents ? conv.node(doc.contents, depth) : null;
  return { root, problems };
}

/** Where each quoted scalar or flow collection that lacks its closing character ends, to its start. */
type UnclosedNodes = Map<number, number>;

function unclosedNodes(doc: Document.Parsed, text: string): UnclosedNodes {
  const out: UnclosedNodes = new Map();
  walk(doc.contents, (n) => {
    const r = n.range;
    if (!r) return;
    const close = isScalar(n) ? (n.type === 'QUOTE_DOUBLE' ? '"' : n.type === 'QUOTE_SINGLE' ? "'" : '') : isCollection(n) && n.flow ? (isSeq(n) ? ']' : '}') : '';
    if (!close) return;
    const last = text.slice(r[0], r[1]).trimEnd();
    // Inner nodes come later in the walk and win: the innermost unclosed node is the one to name.
    if (last.length < 2 || !last.endsWith(close)) out.set(r[1], r[0]);
  });
  return out;
}

/**
 * Visits the library's nodes in document order (keys before values), without recursion: the library
 * builds trees hundreds of levels deep from hostile input.
 */
function walk(root: YamlNode | null, visit: (n: YamlNode) => void): void {
  const stack: unknown[] = root ? [root] : [];
  while (stack.length) {
    const x = stack.pop();
    if (!x || typeof x !== 'object') continue;
    visit(x as YamlNode);
    if (isMap(x)) {
      for (let i = x.items.length - 1; i >= 0; i--) stack.push(x.items[i].value, x.items[i].key);
    } else if (isSeq(x)) {
      for (let i = x.items.length - 1; i >= 0; i--) stack.push(x.items[i]);
    }
  }
}

class Converter {
  private aliasBudget = LIMITS.maxAliasExpansion;
  private readonly resolving = new Set<unknown>();
  /** Each alias's target, found in one walk (see targetOf). */
  private targets?: Map<Alias, YamlNode | undefined>;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly base: number,
    private readonly report: (p: SyntaxProblem) => void,
  ) {}

  /**
   * The node an alias names: the last node before it with that anchor, as `Alias.resolve` finds it. That
   * method walks the whole document on every call, which made a file of 50,000 aliases take minutes;
   * one walk for all aliases keeps the conversion linear.
   */
  private targetOf(alias: Alias): YamlNode | undefined {
    if (!this.targets) {
      const targets = new Map<Alias, YamlNode | undefined>();
      const anchors = new Map<string, YamlNode>();
      walk(this.doc.contents, (n) => {
        if (isAlias(n)) targets.set(n, anchors.get(n.source));
        else if (n.anchor) anchors.set(n.anchor, n);
      });
      this.targets = targets;
    }
    return this.targets.get(alias);
  }

  private spanOf(n: { range?: [number, number, number] | null } | null | undefined, fallback: number): Span {
    const r = n?.range;
    if (!r) return span(this.base + fallback, this.base + fallback);
    return span(this.base + r[0], this.base + r[1]);
  }

  node(n: YamlNode, depth: number, at?: Span): YNode {
    const here = at ?? this.spanOf(n, 0);
    if (depth > LIMITS.maxDepth) {
      this.report({ code: 'RESOURCE_LIMIT', span: here, detail: `nesting deeper than ${LIMITS.maxDepth} levels` });
      return { kind: 'scalar', span: here, value: null, quoted: false };
    }
    if (isAlias(n)) {
      const target = this.targetOf(n);
      if (!target || this.resolving.has(target)) {
        if (target) this.report({ code: 'BAD_ALIAS', span: here, detail: 'an alias that contains itself' });
        return { kind: 'scalar', span: here, value: null, quoted: false };
      }
      // Once the budget is spent, every further alias reads as null; only the first one is reported,
      // so a bomb gives one finding rather than thousands.
      if (this.aliasBudget < 0) return { kind: 'scalar', span: here, value: null, quoted: false };
      const cost = countNodes(target, this.aliasBudget + 1);
      this.aliasBudget -= cost;
      if (this.aliasBudget < 0) {
        this.report({ code: 'RESOURCE_LIMIT', span: here, detail: `aliases expand to more than ${LIMITS.maxAliasExpansion} nodes` });
        return { kind: 'scalar', span: here, value: null, quoted: false };
      }
      this.resolving.add(target);
      try {
        // An alias reads as its target, but every span points at the alias: that is where the user looks.
        return this.node(target, depth, here);
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
          const ks = at ?? this.spanOf(keyNode, 0);
          this.report({ code: 'NON_STRING_KEY', span: ks });
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
