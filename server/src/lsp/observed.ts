/**
 * The `topolint.observed` setting in the editor: the traces and manifests the `drift` rule compares the
 * topologies with. Each workspace folder's setting lists files, folders or globs relative to that folder;
 * they are read with the importers' code (import/files.ts) off the request path, in slices, and the facts
 * are handed to the analysis through the host's `observed()`.
 *
 * Every entry is hostile: `..`, an absolute path outside its folder, or a symbolic link that leads outside
 * the workspace folders is refused (nothing is read, and the refusal is logged and shown), only regular files are read,
 * and manifests are size-checked; a glob is matched by our own walk of the folder (no symlinked folders, no
 * hidden ones, bounded depth and count), never handed to a shell or a library that would follow links.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DidChangeWatchedFilesNotification, MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver';
import type { Observed } from '../core/observed';
import type { Host } from '../core/rule';
import type { Publisher } from './publisher';
import { RefreshObservedRequest, type RefreshObservedResult } from '../../../shared/protocol';
import { loadObservedAsync } from '../import/files';
import { insideRoots } from '../node-host';

/** What one workspace folder's setting says. */
export interface FolderSetting {
  /** The folder's URI. */
  readonly folder: string;
  readonly entries: unknown;
}

/** What a reading found, for the refresh command's answer and the log. */
export type ObservedSummary = RefreshObservedResult;

/** Bounds on what a glob may reach: the walk's depth and the files a setting may name. */
const MAX_DEPTH = 32;
const MAX_FILES = 1000;

const GLOB_CHARS = /[*?[{]/;

/**
 * A glob (relative to a folder, `/`-separated) as a regular expression over relative paths: `**` any
 * number of folders, `*` and `?` within one name, `[…]` a character class, `{a,b}` alternatives.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more folders; a trailing `**` matches everything below.
        const slash = glob[i + 2] === '/';
        out += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\').replace(/^!/, '^');
        out += `[${body}]`;
        i = end;
      }
    } else if (ch === '{') {
      inBraces++;
      out += '(?:';
    } else if (ch === '}' && inBraces) {
      inBraces--;
      out += ')';
    } else if (ch === ',' && inBraces) out += '|';
    else out += ch.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  while (inBraces-- > 0) out += ')';
  return new RegExp(`^${out}$`);
}

/** The regular files under `base` (within the folder `root`) whose path relative to `root` matches. */
function walkGlob(root: string, base: string, re: RegExp, out: string[], problems: string[]): void {
  const stack: { dir: string; depth: number }[] = [{ dir: base, depth: 0 }];
  while (stack.length) {
    const { dir, depth } = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(dir, name);
      let st;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      // Symbolic links are neither followed into folders nor taken as files: a glob stays in the folder.
      if (st.isDirectory()) {
        if (depth < MAX_DEPTH) stack.push({ dir: p, depth: depth + 1 });
      } else if (st.isFile() && re.test(relative(root, p).split(sep).join('/'))) {
        if (out.length >= MAX_FILES) {
          problems.push(`the observed globs match more than ${MAX_FILES} files; the rest are not read`);
          return;
        }
        out.push(p);
      }
    }
  }
}

/**
 * The paths the settings name, each inside the workspace folders (checked lexically and after resolving
 * symbolic links), with a problem for every entry refused. Entries that do not exist are reported too.
 */
export function resolveEntries(settings: readonly FolderSetting[], folders: readonly string[], problems: string[]): string[] {
  const roots = folders.map(pathOf).filter((p): p is string => !!p);
  const out: string[] = [];
  for (const { folder, entries } of settings) {
    const root = pathOf(folder);
    if (!root || entries === undefined || entries === null) continue;
    const list = typeof entries === 'string' ? [entries] : Array.isArray(entries) ? entries : undefined;
    if (!list) {
      problems.push(`topolint.observed should be a list of files or globs, not ${typeof entries}`);
      continue;
    }
    for (const entry of list) {
      if (typeof entry !== 'string' || !entry.trim()) {
        problems.push(`topolint.observed: ${JSON.stringify(entry)} is not a file name or glob; ignored`);
        continue;
      }
      let e = entry.trim().replace(/\\/g, '/');
      const shown = JSON.stringify(e.length > 200 ? `${e.slice(0, 200)}…` : e);
      // `..` is refused wherever it stands, and an absolute path is taken only inside its own folder
      // (as the path relative to it): what is left can only name something below the folder.
      const rootSlash = root.split(sep).join('/').replace(/\/?$/, '/');
      if (isAbsolute(e) && e.startsWith(rootSlash)) e = e.slice(rootSlash.length) || '.';
      if (isAbsolute(e) || e.split('/').includes('..') || e.includes('\0')) {
        problems.push(`topolint.observed: ${shown} is outside the workspace folders; it was not read`);
        continue;
      }
      if (GLOB_CHARS.test(e)) {
        // The folders before the first wildcard are where the walk starts.
        const parts = e.split('/');
        const fixed: string[] = [];
        while (parts.length > 1 && !GLOB_CHARS.test(parts[0])) fixed.push(parts.shift()!);
        const base = resolve(root, ...fixed);
        if (!insideRoots(base, roots)) {
          problems.push(`topolint.observed: ${shown} is outside the workspace folders; it was not read`);
          continue;
        }
        const before = out.length;
        walkGlob(root, base, globToRegExp(e.replace(/^\.\//, '')), out, problems);
        if (out.length === before) problems.push(`topolint.observed: ${shown} matches no file`);
        continue;
      }
      const p = resolve(root, e);
      if (!insideRoots(p, roots)) {
        problems.push(`topolint.observed: ${shown} is outside the workspace folders; it was not read`);
        continue;
      }
      try {
        statSync(p);
      } catch {
        problems.push(`topolint.observed: ${shown} does not exist`);
        continue;
      }
      out.push(p);
    }
  }
  return [...new Set(out)];
}

function pathOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The observed facts the server holds, and their reading. A reading started while another runs makes
 * the older one stop at its next slice; only the newest reading's facts are kept.
 */
export class ObservedFiles {
  private facts: Observed | undefined;
  private generation = 0;
  /** The real paths read by the last reading (files and the folders given), for the file watcher. */
  private watched: string[] = [];

  /** The facts for the host's `observed()`; undefined while no setting names any file. */
  current(): Observed | undefined {
    return this.facts;
  }

  /**
   * Reads what the settings name. Resolves with the summary, or with undefined when a newer reading
   * started meanwhile (its facts win).
   */
  async load(settings: readonly FolderSetting[], folders: readonly string[]): Promise<ObservedSummary | undefined> {
    const gen = ++this.generation;
    const problems: string[] = [];
    const paths = resolveEntries(settings, folders, problems);
    this.watched = paths.flatMap((p) => {
      try {
        return [p, realpathSync(p)];
      } catch {
        return [p];
      }
    });
    if (!paths.length) {
      this.facts = undefined;
      return { files: 0, traces: 0, calls: 0, problems };
    }
    const facts = await loadObservedAsync(paths, problems, () => gen !== this.generation);
    if (gen !== this.generation) return undefined;
    this.facts = facts;
    return { files: facts.files.length, traces: facts.traces, calls: facts.calls.length, problems };
  }

  /** Whether a changed file is one the last reading read, or lies in a folder it named. */
  concerns(uri: string): boolean {
    const p = pathOf(uri);
    if (!p) return false;
    return this.watched.some((w) => p === w || p.startsWith(w.endsWith(sep) ? w : w + sep)) || (this.facts?.files ?? []).includes(p);
  }

  /** The watcher globs for the last setting: every entry as it was written, relative to its folder. */
  static watchers(settings: readonly FolderSetting[]): { globPattern: { baseUri: string; pattern: string } }[] {
    const out: { globPattern: { baseUri: string; pattern: string } }[] = [];
    for (const { folder, entries } of settings) {
      const list = typeof entries === 'string' ? [entries] : Array.isArray(entries) ? entries : [];
      for (const e of list) {
        if (typeof e !== 'string' || !e.trim() || isAbsolute(e) || e.split(/[\\/]/).includes('..')) continue;
        const rel = e.trim().replace(/\\/g, '/').replace(/^\.\//, '');
        // A folder entry watches what is below it.
        const pattern = GLOB_CHARS.test(rel) || /\.[a-z]+$/i.test(rel) ? rel : `${rel.replace(/\/$/, '')}/**`;
        out.push({ globPattern: { baseUri: folder, pattern } });
      }
    }
    return out;
  }
}

/** What the controller needs of the server: the folders, their settings, the analysis and the client. */
export interface ObservedDeps {
  readonly folders: () => readonly string[];
  readonly settingsFor: (folderUri: string) => Promise<{ readonly observed?: unknown }>;
  readonly forgetSettings: (folderUri: string) => void;
  /** Analyses every program again (the facts changed). */
  readonly reanalyse: () => void;
  readonly log: (message: string) => void;
  /** A notification the user sees (refused paths, unreadable files). */
  readonly warn: (message: string) => void;
  /** Registers file watchers with the client, when it can; resolves with their disposer. */
  readonly watch?: (watchers: { globPattern: { baseUri: string; pattern: string } }[]) => Promise<{ dispose(): void }>;
}

/** How long a burst of changes to observed files settles before they are read again. */
const CHANGE_DELAY_MS = 300;

/**
 * The setting's life in the server: read at start, on a change of configuration (only when the setting
 * itself changed), on the refresh command (always), and when a watched file changes; after each reading
 * whose facts differ, every program is analysed again.
 */
export class ObservedController {
  readonly files = new ObservedFiles();
  private lastKey: string | undefined;
  private registration: Promise<{ dispose(): void }> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private globs: { root: string; re: RegExp }[] = [];

  constructor(private readonly deps: ObservedDeps) {}

  /** Reads the setting again; with `force`, also when it is unchanged (the files may have changed). */
  async reload(force: boolean): Promise<ObservedSummary | undefined> {
    const folders = this.deps.folders();
    const settings: FolderSetting[] = await Promise.all(
      folders.map(async (folder) => {
        if (force) this.deps.forgetSettings(folder);
        return { folder, entries: (await this.deps.settingsFor(folder)).observed };
      }),
    );
    const key = JSON.stringify(settings);
    if (!force && key === this.lastKey) return undefined;
    const changed = key !== this.lastKey;
    this.lastKey = key;
    if (changed) this.rewatch(settings);
    const had = this.files.current() !== undefined;
    const summary = await this.files.load(settings, folders);
    if (!summary) return undefined;
    if (summary.files || summary.problems.length) this.deps.log(`topolint.observed: read ${summary.files} file(s): ${summary.traces} trace(s), ${summary.calls} observed call(s).`);
    for (const p of summary.problems) this.deps.log(p);
    const refused = summary.problems.filter((p) => p.startsWith('topolint.observed'));
    if (refused.length) this.deps.warn(`Topolint: ${refused[0]}${refused.length > 1 ? ` (and ${refused.length - 1} more; see the Topolint output)` : ''}`);
    if (had || this.files.current() !== undefined) this.deps.reanalyse();
    return summary;
  }

  /** Takes the watched-file changes that concern observed files (read again shortly); returns the rest. */
  claim<T extends { uri: string }>(changes: readonly T[]): T[] {
    const rest: T[] = [];
    let mine = false;
    for (const c of changes) {
      // Topology files are never observed data, and go on to the workspace.
      if (!/\.topology\.ya?ml$/.test(c.uri) && (this.files.concerns(c.uri) || this.matchesGlob(c.uri))) mine = true;
      else rest.push(c);
    }
    if (mine) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.reload(true).catch((e: unknown) => this.deps.log(`topolint.observed: reading failed: ${String(e)}`));
      }, CHANGE_DELAY_MS);
    }
    return rest;
  }

  /** Whether a file (perhaps new) matches a glob of the setting. */
  private matchesGlob(uri: string): boolean {
    const p = pathOf(uri);
    if (!p) return false;
    return this.globs.some(({ root, re }) => {
      const rel = relative(root, p).split(sep).join('/');
      return !rel.startsWith('../') && re.test(rel);
    });
  }

  private rewatch(settings: readonly FolderSetting[]): void {
    this.globs = [];
    for (const { folder, entries } of settings) {
      const root = pathOf(folder);
      const list = typeof entries === 'string' ? [entries] : Array.isArray(entries) ? entries : [];
      for (const e of list) if (root && typeof e === 'string' && GLOB_CHARS.test(e)) this.globs.push({ root, re: globToRegExp(e.trim().replace(/\\/g, '/').replace(/^\.\//, '')) });
    }
    if (!this.deps.watch) return;
    const old = this.registration;
    this.registration = undefined;
    void old?.then((d) => d.dispose()).catch(() => undefined);
    const watchers = ObservedFiles.watchers(settings);
    if (watchers.length) this.registration = this.deps.watch(watchers).catch(() => ({ dispose: () => undefined }));
  }
}

/**
 * The controller on a connection: settings through the publisher, the log, notifications and watchers;
 * it becomes the host's `observed()`, so every analysis the workspace runs sees the current facts, and
 * answers "Refresh Observed Data" (`topolint/refreshObserved`).
 */
export function connectObserved(connection: Connection, host: Host, folders: () => readonly string[], publisher: Pick<Publisher, 'settingsFor' | 'forgetSettings'>, reanalyse: () => void, canWatch: () => boolean): ObservedController {
  const controller = new ObservedController({
    folders,
    settingsFor: (folder) => publisher.settingsFor(folder),
    forgetSettings: (folder) => publisher.forgetSettings(folder),
    reanalyse,
    log: (m) => connection.console.info(m),
    // A notification, not a request: nothing to answer, and a client that cannot show it loses nothing.
    warn: (m) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: m }).catch(() => undefined),
    watch: (watchers) => (canWatch() ? connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }) : Promise.resolve({ dispose: () => undefined })),
  });
  host.observed = () => controller.files.current();
  connection.onRequest(RefreshObservedRequest.method, (): Promise<RefreshObservedResult | null> => controller.reload(true).then((r) => r ?? null));
  return controller;
}
