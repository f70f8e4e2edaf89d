/** Finding topology files on disk for the CLI: the one walk in node-host.ts. */
import { findTopologyFiles } from '../node-host';

/** Expands files and directories into topology files; directories are searched recursively. */
export function expandPaths(paths: readonly string[]): { files: string[]; missing: string[] } {
  return findTopologyFiles(paths, Number.MAX_SAFE_INTEGER);
}
