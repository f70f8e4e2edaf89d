/**
 * Multi-file topologies: a file and everything it imports, transitively. Pure: the caller says how to get
 * a parsed file for a URI (from an open editor, from disk, from a test's table); this module follows the
 * `imports` and records each link, so the rules can report missing files and import cycles.
 */
import type { ImportLink, ParsedFile } from './rule';

// The links are part of the rule API (RuleContext.imports), so their type lives with it.
export type { ImportLink } from './rule';

export interface Program {
  /** The root first, then its imports in breadth-first order; each file once. */
  readonly files: readonly ParsedFile[];
  readonly links: readonly ImportLink[];
}

/** The URI an import path names, relative to the importing file; undefined for nonsense. */
export function resolveImport(fromUri: string, path: string): string | undefined {
  try {
    return new URL(path, fromUri).href;
  } catch {
    return undefined;
  }
}

/** Largest number of files one program may pull in (a guard against runaway import graphs). */
export const MAX_PROGRAM_FILES = 2000;

export function loadProgram(root: ParsedFile, get: (uri: string) => ParsedFile | undefined): Program {
  const files: ParsedFile[] = [root];
  const seen = new Set<string>([root.uri]);
  const links: ImportLink[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    for (const imp of f.topology.imports) {
      const target = resolveImport(f.uri, imp.id);
      const file = target && (seen.has(target) ? files.find((x) => x.uri === target) : get(target));
      links.push({ from: f.uri, path: imp.id, span: imp.span, target, exists: !!file });
      if (!file || !target || seen.has(target) || files.length >= MAX_PROGRAM_FILES) continue;
      seen.add(target);
      files.push(file);
    }
  }
  return { files, links };
}
