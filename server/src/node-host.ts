/**
 * The core's Host on Node: file existence and folder listings for `file:` URIs, and where new decision
 * records go. Shared by the language server and the CLI; the core itself never touches the disk.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Host } from './core/rule';

function pathOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `roots` are the workspace folders (URIs); ADRs go to `docs/adr/` in the folder that holds the file, else
 * next to the file.
 */
export function nodeHost(roots: () => readonly string[] = () => []): Host {
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
  };
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/** Topology files by name: `*.topology.yaml` or `*.topology.yml`. */
export const TOPOLOGY_FILE = /\.topology\.ya?ml$/;

/** A topology file's text, without the byte-order mark some editors write. Throws what readFileSync throws. */
export function readTopologyText(path: string): string {
  const text = readFileSync(path, 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
