/**
 * The YNode tree: a small, position-exact tree of what YAML said, which everything downstream reads. Its
 * types and the reading limits live here, apart from the readers that build it (ynode.ts converts the
 * `yaml` library's document, fastyaml.ts reads the common subset itself), so that neither reader imports
 * the other's module back.
 */
import type { Span } from './span';

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
  /**
   * Most lines in a document analysed. The YAML library spends a few microseconds on every line, even an
   * empty one, and 8 MB of line breaks (a broken file of runs of 1,000 empty lines) took 15 s of CPU and
   * 985 MB; no real topology under 8 MB comes near a million lines (a 1,000-service file has about 23
   * characters a line).
   */
  maxLines: 1_000_000,
};

export interface YamlParse {
  readonly root: YNode | null;
  readonly problems: SyntaxProblem[];
}
