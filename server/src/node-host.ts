/**
 * The core's Host on Node: file existence and folder listings for `file:` URIs, where new decision
 * records go, which files lie inside the project, the one reader of topology files and the one
 * directory walk. Shared by the language server and the CLI; the core itself never touches the disk.
 *
 * Every path here comes from a topology someone else may have written. So a file is read only when it
 * lies inside the project (lexically and after resolving symlinks), is a regular file (checked on the
 * open descriptor, opened without blocking, so a FIFO or a device is refused rather than waited on or
 * read forever) and is not larger than the analysis would accept.
 */
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Host } from './core/rule';
import { LIMITS } from './core/ynode';

function pathOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `path` is `root` or lies under it (both absolute, normalised). */
function under(path: string, root: string): boolean {
  const r = root.endsWith(sep) ? root : root + sep;
  return path === root || path.startsWith(r);
}

function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Whether the file at `path` lies inside one of `roots` (folders): lexically, and, where it exists, after
 * resolving symlinks (a link inside the project to a file outside it is outside).
 */
export function insideRoots(path: string, roots: readonly string[]): boolean {
  const p = resolve(path);
  if (!roots.some((r) => under(p, resolve(r)))) return false;
  if (!existsSync(p)) return true;
  const rp = real(p);
  return rp !== undefined && roots.some((r) => under(rp, real(r) ?? resolve(r)));
}

/**
 * `roots` are the workspace folders (URIs); ADRs go to `docs/adr/` in the folder that holds the file, else
 * next to the file. With no workspace folder at all, the project is the folder of the file being analysed.
 */
export function nodeHost(roots: () => readonly string[] = () => []): Host {
  const rootPaths = () => roots().map(pathOf).filter((p): p is string => !!p);
  return {
    // Only what can be checked is reported missing: a non-file URI (untitled, remote) counts as present.
    exists: (uri) => {
      const p = pathOf(uri);
      return p === undefined ? true : existsSync(p);
    },
    list: (dirUri) => {
      const p = pathOf(dirUri);
      try {
        return p ? readdirSync(p) : [];
      } catch {
        return [];
      }
    },
    adrFolder: (fileUri) => {
      if (!fileUri.startsWith('file:')) return undefined;
      const root = roots()
        .map((r) => (r.endsWith('/') ? r : r + '/'))
        .filter((r) => fileUri.startsWith(r))
        .sort((a, b) => b.length - a.length)[0];
      const base = root ?? fileUri.slice(0, fileUri.lastIndexOf('/') + 1);
      return `${base}docs/adr/`;
    },
    inside: (uri, programRoot) => {
      const p = pathOf(uri);
      if (p === undefined) return false;
      let rs = rootPaths();
      // No workspace folder (a single file opened): the project is the folder of the program's root file.
      const own = programRoot && pathOf(programRoot);
      if (!rs.length && own) rs = [dirname(own)];
      return rs.length > 0 && insideRoots(p, rs);
    },
  };
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/** Topology files by name: `*.topology.yaml` or `*.topology.yml`. */
export const TOPOLOGY_FILE = /\.topology\.ya?ml$/;

/** The largest file read, in bytes: the analysis's limit in UTF-16 units, at up to 3 bytes each. */
export const MAX_FILE_BYTES = LIMITS.maxDocumentLength * 3;

/** Why a file was not read, in words for a message (never the file's content). */
export class ReadRefused extends Error {}

/**
 * A topology file's text, without the byte-order mark some editors write. Only a regular file no larger
 * than MAX_FILE_BYTES is read; anything else throws ReadRefused, and I/O errors throw as they are.
 * Invalid UTF-8 becomes U+FFFD, which the analysis reports at its place (engine.ts).
 */
export function readTopologyText(path: string): string {
  // O_NONBLOCK: opening a FIFO with no writer would otherwise block forever.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ReadRefused('it is not a regular file');
    if (st.size > MAX_FILE_BYTES) throw new ReadRefused(`it is larger than ${Math.round(MAX_FILE_BYTES / 1024 / 1024)} MB`);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    const text = buf.toString('utf8', 0, got);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } finally {
    closeSync(fd);
  }
}

/** Folders the walk never enters: dependencies, build output and dot-folders (.git, .vscode...). */
const SKIPPED = (name: string) => name.startsWith('.') || name === 'node_modules' || name === 'dist' || name === 'out';

/** How deep the walk goes below each starting folder. */
export const MAX_WALK_DEPTH = 32;

/**
 * The one directory walk (the CLI's `check`/`diagram` and the server's workspace scan): topology files
 * under `paths` (a file is taken as it is), sorted within each folder. Symlinked folders are not followed,
 * and a symlinked file only when it resolves inside the folder the walk started from; a real-path set
 * guards against any loop that remains, and the depth and file count are bounded.
 */
export function findTopologyFiles(paths: readonly string[], maxFiles = 5000): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    if (!seen.has(p) && files.length < maxFiles) {
      seen.add(p);
      files.push(p);
    }
  };
  for (const start of paths) {
    let st;
    try {
      st = statSync(start);
    } catch {
      missing.push(start);
      continue;
    }
    if (!st.isDirectory()) {
      add(start);
      continue;
    }
    const top = real(start) ?? resolve(start);
    const visited = new Set<string>([top]);
    // Depth-first in name order, without recursion.
    const stack: { dir: string; depth: number }[] = [{ dir: start, depth: 0 }];
    while (stack.length && files.length < maxFiles) {
      const { dir, depth } = stack.pop()!;
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        if (dir === start) missing.push(start);
        continue;
      }
      const subdirs: string[] = [];
      for (const name of names) {
        if (SKIPPED(name)) continue;
        const p = join(dir, name);
        let l;
        try {
          l = lstatSync(p);
        } catch {
          continue;
        }
        if (l.isDirectory()) {
          const rp = real(p);
          if (depth + 1 <= MAX_WALK_DEPTH && rp && !visited.has(rp)) {
            visited.add(rp);
            subdirs.push(p);
          }
        } else if (TOPOLOGY_FILE.test(name)) {
          // Only regular files: a FIFO or a device named *.topology.yaml is not a topology.
          if (l.isSymbolicLink()) {
            const rp = real(p);
            if (!rp || !under(rp, top)) continue;
            try {
              if (!statSync(rp).isFile()) continue;
            } catch {
              continue;
            }
          } else if (!l.isFile()) continue;
          add(p);
        }
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ dir: subdirs[i], depth: depth + 1 });
    }
  }
  return { files, missing };
}

/**
 * The CLI's project root for a checked file: the nearest folder above it holding `.git` or
 * `package.json`, else the current directory, or, for a file outside the current directory, its own
 * folder (a project root that does not hold the checked file would refuse even its neighbours).
 */
export function projectRootOf(file: string, cwd = process.cwd()): string {
  const start = dirname(resolve(file));
  for (let dir = start; ; ) {
    if (existsSync(join(dir, '.git')) || existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return under(start, resolve(cwd)) ? resolve(cwd) : start;
}
