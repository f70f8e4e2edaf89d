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

/**
 * An import is a relative path: an absolute path, a drive letter or any URL scheme (`file:`, `http:`)
 * names something outside the project by construction and is never read.
 */
const NOT_RELATIVE = /^(?:[\\/]|[A-Za-z][A-Za-z0-9+.-]*:)/;

/** Whether a parsed file is a topology at all: its root is a map with a `topology` key. */
function isTopology(f: ParsedFile): boolean {
  const r = f.yaml.root;
  return r?.kind === 'map' && r.pairs.some((p) => p.key === 'topology');
}

/**
 * `inside` says whether a URI lies in the project (Host.inside): imports that leave it (`../` past the
 * root, a symlink resolving outside) are recorded as refused and `get` is never called for them, so
 * nothing outside the project is read. An imported file that is not a topology is left out too, so no
 * finding quotes its content.
 */
export function loadProgram(root: ParsedFile, get: (uri: string) => ParsedFile | undefined, inside?: (uri: string, programRoot: string) => boolean): Program {
  const files: ParsedFile[] = [root];
  const seen = new Set<string>([root.uri]);
  const links: ImportLink[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    for (const imp of f.topology.imports) {
      const target = NOT_RELATIVE.test(imp.id) ? undefined : resolveImport(f.uri, imp.id);
      if (NOT_RELATIVE.test(imp.id) || (target && inside && !seen.has(target) && !inside(target, root.uri))) {
        links.push({ from: f.uri, path: imp.id, span: imp.span, target, exists: false, refused: 'outside' });
        continue;
      }
      const found = target && (seen.has(target) ? files.find((x) => x.uri === target) : get(target));
      if (found && !seen.has(found.uri) && !isTopology(found)) {
        links.push({ from: f.uri, path: imp.id, span: imp.span, target, exists: false, refused: 'not-topology' });
        continue;
      }
      const file = found;
      links.push({ from: f.uri, path: imp.id, span: imp.span, target, exists: !!file });
      if (!file || !target || seen.has(target) || files.length >= MAX_PROGRAM_FILES) continue;
      seen.add(target);
      files.push(file);
    }
  }
  return { files, links };
}
