/**
 * The server's view of the disk: reading a topology file that is not open, and the scan of the workspace
 * folders for topology files when the server starts.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { resolveImport } from '../core/program';
import { findTopologyFiles, readTopologyText } from '../node-host';
import type { Workspace } from './workspace';

/** The workspace scan stops here: a guard, not a limit anyone should meet. */
const MAX_SCANNED_FILES = 5000;

export function readDisk(uri: string): string | undefined {
  try {
    if (!uri.startsWith('file:')) return undefined;
    return readTopologyText(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** Every topology file under a folder: the walk the CLI uses too (node-host.ts). */
export function scanFolder(folderUri: string, out: string[]): void {
  let root: string;
  try {
    root = fileURLToPath(folderUri);
  } catch {
    return;
  }
  for (const p of findTopologyFiles([root], MAX_SCANNED_FILES - out.length).files) out.push(pathToFileURL(p).href);
}

export interface ScanTarget {
  readonly connection: Connection;
  readonly progress: boolean;
  readonly workspace: Workspace;
  /** Filled with every topology file found. */
  readonly scanned: Set<string>;
  /** Filled with the scanned files that are roots of a program. */
  readonly scanRoots: Set<string>;
  analyzeAndPublish(roots: readonly string[], covered: Set<string>): Promise<void>;
}

/**
 * Finds every topology file in the workspace folders and analyses them, with progress. Only files no other
 * file imports are roots: a file imported by others is analysed inside their programs (so a chain of 200
 * imports is one program, not 200 overlapping ones). Files left uncovered (an import cycle with no way
 * in) become roots too.
 */
export async function scanWorkspace(roots: readonly string[], t: ScanTarget): Promise<void> {
  const { connection, workspace, scanned, scanRoots } = t;
  if (!roots.length) return;
  const progress = t.progress ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
  progress?.begin('Topolint', 0, 'Looking for topology files', false);
  const found: string[] = [];
  for (const r of roots) scanFolder(r, found);
  const imported = new Set<string>();
  for (const uri of found) {
    scanned.add(uri);
    for (const imp of workspace.parsed(uri)?.topology.imports ?? []) {
      const target = resolveImport(uri, imp.id);
      if (target) imported.add(target);
    }
  }
  const covered = new Set<string>();
  const queue = [...found.filter((u) => !imported.has(u)), ...found.filter((u) => imported.has(u))];
  for (const uri of queue) {
    if (covered.has(uri)) continue;
    scanRoots.add(uri);
    workspace.addRoot(uri);
    await t.analyzeAndPublish([uri], covered);
    progress?.report(Math.round((covered.size / found.length) * 100), `${Math.min(covered.size, found.length)} of ${found.length} files`);
  }
  progress?.done();
  connection.console.log(`topolint: ${found.length} topology file(s) in the workspace analysed, from ${scanRoots.size} root(s).`);
}
