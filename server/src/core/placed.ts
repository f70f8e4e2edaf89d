/**
 * The editor's path from text to model, per chunk. The chunk cache (incremental.ts) re-parses only the
 * chunk an edit touched, but every reading used to copy every chunk's tree to its offset, then validate
 * and build the model of the whole file again: on a 1,000-service file that was most of a keystroke's
 * work that was not the rules, and most of its garbage.
 *
 * Here each chunk's tree is placed once and kept: a later reading that finds the chunk at the same
 * offset takes the same tree, and one that finds it moved (text inserted above it) moves its spans in
 * place, with no new objects. An unchanged entry is then the same `YPair` object from one reading to the
 * next, so its schema problems and its model element are remembered by that object (`EntryMemo`) and
 * reused. Spans stay absolute in everything the rules see; the model's types do not change.
 *
 * What this costs: a tree, its model element and its problems are shared by consecutive readings, so an
 * older reading's spans move with the newer text. The server never reads an older reading against newer
 * text (an analysis is used only while every file it read is unchanged, lsp/workspace.ts), and the CLI
 * does not use this cache. test/unit/parse/placed.test.ts checks that this path gives what a fresh
 * reading gives, under seeded edits.
 */
import { ChunkCache } from './incremental';
import type { Span } from './span';
import { ownsSpans } from './fastyaml';
import type { SyntaxProblem, YamlParse, YNode } from './ytree';

interface Placed {
  readonly node: YNode;
  /** Where the node is placed now. */
  at: number;
  /** The reading that last took it. */
  gen: number;
  /**
   * A tree of a first reading by the library (seeded, see `seed`): taken as it is where the chunk stays,
   * never moved in place (its span objects may be shared), copied where the chunk moves. A first reading
   * by the fast reader is not borrowed: its trees have a span object for every place (`ownsSpans`).
   */
  borrowed?: boolean;
}

/** A copy of a tree moved by `delta`, with a span object of its own for every place (none shared). */
function copyMoved(n: YNode, delta: number): YNode {
  const sp = (s: Span): Span => ({ start: s.start + delta, end: s.end + delta });
  switch (n.kind) {
    case 'scalar':
      return { kind: 'scalar', span: sp(n.span), value: n.value, quoted: n.quoted };
    case 'seq':
      return { kind: 'seq', span: sp(n.span), items: n.items.map((i) => copyMoved(i, delta)), flow: n.flow };
    case 'map':
      return { kind: 'map', span: sp(n.span), pairs: n.pairs.map((p) => ({ key: p.key, keySpan: sp(p.keySpan), value: p.value ? copyMoved(p.value, delta) : null, span: sp(p.span) })), flow: n.flow };
  }
}

/**
 * Moves every span of a tree by `delta`, in place: a tree made by copyMoved or by the fast reader, where
 * no two places share a span object. Iterative: trees can be deep.
 */
function moveInPlace(root: YNode, delta: number): void {
  const mv = (s: Span) => {
    (s as { start: number }).start += delta;
    (s as { end: number }).end += delta;
  };
  const stack: YNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    mv(n.span);
    if (n.kind === 'seq') for (const i of n.items) stack.push(i);
    else if (n.kind === 'map') {
      for (const p of n.pairs) {
        mv(p.keySpan);
        mv(p.span);
        if (p.value) stack.push(p.value);
      }
    }
  }
}

/**
 * What was derived from one entry (`services: { a: ... }`'s pair `a`): its model element and its schema
 * problems, remembered by the pair object, with the section it was read in and where its key was then.
 */
interface Derived {
  /** The section the element was built for, and the element. */
  elementKind?: string;
  element?: unknown;
  /** The section the problems were checked for, where the entry's key was then, and the problems. */
  problemsKind?: string;
  problems?: { at: number; list: readonly { span: Span }[] };
}

/**
 * Per-entry results kept by the entry's `YPair`. An element holds its tree's span objects, so it moves
 * with them; schema problems hold span objects of their own (some are made, not taken from the tree), so
 * they are kept with where their entry's key was, and moved when it moved. The same chunk text can stand
 * under another section (its header renamed): then it is derived again.
 */
export class EntryMemo {
  private readonly byPair = new WeakMap<object, Derived>();
  hits = 0;
  misses = 0;

  private derived(pair: object): Derived {
    let d = this.byPair.get(pair);
    if (!d) {
      d = {};
      this.byPair.set(pair, d);
    }
    return d;
  }

  /** The model element of an entry of section `kind`, built once per entry object. */
  element<T>(pair: object, kind: string, build: () => T): T {
    const d = this.derived(pair);
    if (d.element === undefined || d.elementKind !== kind) {
      this.misses++;
      d.element = build();
      d.elementKind = kind;
    } else this.hits++;
    return d.element as T;
  }

  /**
   * Makes `element` the model element of an entry from now on: the kept element of an entry an edit left
   * the same model (stable.ts), given the entry's new places.
   */
  adopt(pair: object, kind: string, element: unknown): void {
    const d = this.derived(pair);
    d.element = element;
    d.elementKind = kind;
  }

  /** The schema problems of an entry whose key starts at `keyStart`, checked once per entry object. */
  problems<P extends { span: Span }>(pair: object, kind: string, keyStart: number, check: () => P[]): P[] {
    const d = this.derived(pair);
    if (!d.problems || d.problemsKind !== kind) {
      this.misses++;
      // Own span objects, so moving the tree in place does not move them behind the memo's back.
      d.problems = { at: keyStart, list: check().map((p) => ({ ...p, span: { start: p.span.start, end: p.span.end } })) };
      d.problemsKind = kind;
    } else {
      this.hits++;
      if (d.problems.at !== keyStart) {
        const delta = keyStart - d.problems.at;
        d.problems = { at: keyStart, list: d.problems.list.map((p) => ({ ...p, span: { start: p.span.start + delta, end: p.span.end + delta } })) };
      }
    }
    return d.problems.list as P[];
  }
}

/**
 * A seeded chunk's parse. Its tree at offset 0 is made from the chunk's placed tree as it is when asked
 * for (nothing here asks), so that nothing keeps the first reading's tree alive once the chunk's placed
 * tree is a copy. A class, not an object literal with a getter: opening 1,000 services seeds 3,000 chunks,
 * and a literal's getter was an accessor, a closure and a context of its own for each (a heap snapshot
 * after opening held 6,128 such closures).
 */
class SeededParse implements YamlParse {
  readonly problems: SyntaxProblem[] = [];
  constructor(private readonly placedOf: WeakMap<YamlParse, Placed>) {}
  get root(): YNode | null {
    const p = this.placedOf.get(this);
    return p ? unplaced(p) : null;
  }
}

/** A chunk's tree at offset 0, made from its placed tree (a copy with span objects of its own). */
function unplaced(p: Placed): YNode {
  return copyMoved(p.node, -p.at);
}

/**
 * The language server's chunk cache: each chunk's tree is placed once and then reused or moved in place
 * (see the top of this file), and the entries' model elements and schema problems are kept in `memo`.
 */
export class PlacedChunkCache extends ChunkCache {
  readonly memo = new EntryMemo();
  /** Each chunk parse's placed tree, by the parse object the cache holds. */
  private placed = new WeakMap<YamlParse, Placed>();
  private gen = 0;
  moved = 0;

  override begin(text: string): void {
    super.begin(text);
    this.gen++;
  }

  /**
   * The first reading's own trees stand as the chunks' placed trees: the first edit after opening then
   * reuses every entry above it (its elements and problems, already in the memo) instead of building all,
   * and, where the fast reader made the trees (`ownSpans`), every entry below it too, moved in place. The
   * chunk's tree at offset 0 is made only if something asks for it (nothing here does: a chunk that moves
   * is moved or copied from its placed tree), which saves a copy of the whole file on opening it.
   */
  override seed(text: string, depth: number, placed: YNode, at: number, ownSpans = false): void {
    const parse = new SeededParse(this.placed);
    this.store(at, text.length, depth, parse);
    this.placed.set(parse, { node: placed, at, gen: this.gen, borrowed: !ownSpans });
  }

  override place(parse: YamlParse, at: number): YNode | null {
    const p = this.placed.get(parse);
    if (!p) {
      const root = parse.root;
      if (!root) return null;
      if (ownsSpans(root)) {
        // A tree of the fast reader's, read for this chunk alone: it becomes the placed tree itself, moved
        // in place, and the tree at offset 0 is made again only if asked for (as a seeded chunk's is). A
        // copy kept both for as long as the chunk lived: after a round of edits, two trees of every chunk
        // read again.
        moveInPlace(root, at);
        const placed: Placed = { node: root, at, gen: this.gen };
        this.placed.set(parse, placed);
        Object.defineProperty(parse, 'root', { get: () => unplaced(placed), configurable: true, enumerable: true });
        return root;
      }
      const node = copyMoved(root, at);
      this.placed.set(parse, { node, at, gen: this.gen });
      return node;
    }
    if (p.borrowed && p.at !== at && p.gen !== this.gen) {
      const node = copyMoved(p.node, at - p.at);
      this.placed.set(parse, { node, at, gen: this.gen });
      return node;
    }
    // The same chunk twice in one reading (two identical entries): the second gets a copy of its own.
    if (p.gen === this.gen) return copyMoved(p.node, at - p.at);
    p.gen = this.gen;
    if (p.at !== at) {
      moveInPlace(p.node, at - p.at);
      p.at = at;
      this.moved++;
    }
    return p.node;
  }
}
