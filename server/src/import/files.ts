/**
 * The importers' side on Node: which input files to read (regular files only, directories searched without
 * following symbolic links), reading manifests whole up to a size limit and trace files as a stream of
 * chunks, and the whole import as the editor command asks for it (over the `topolint/import` request).
 * Shared by `topolint import`, `topolint check --observed` and the language server.
 */
import { closeSync, constants, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { importCompose } from './compose';
import { importK8s, type ManifestInput } from './k8s';
import { mergeInto } from './merge';
import { emptyModel, type ImportModel } from './model';
import { observedFrom } from './observed';
import { TraceImporter } from './traces';
import { writeTopology } from './writer';
import type { Observed } from '../core/observed';
import type { ImportSource as Source } from '../../../shared/protocol';

export type { Source };

/** Manifests and Compose files larger than this are refused: they are read whole. */
export const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;
const CHUNK = 1 << 20;

const EXTENSIONS: Record<Source, RegExp> = {
  k8s: /\.(ya?ml|json)$/i,
  compose: /\.ya?ml$/i,
  traces: /\.(json|jsonl|ndjson)$/i,
};

/**
 * The regular files named, with directories searched (hidden entries and node_modules skipped, symbolic
 * links not followed inside directories). Anything else (a FIFO, a device, a socket) is refused: reading
 * one could block forever.
 */
export function inputFiles(paths: readonly string[], pattern: RegExp, problems: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 32) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      problems.push(`cannot read '${dir}': ${(e as Error).message}`);
      return;
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
      if (st.isDirectory()) walk(p, depth + 1);
      else if (st.isFile() && pattern.test(name)) out.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      problems.push(`cannot read '${p}': ${(e as Error).message}`);
      continue;
    }
    if (st.isDirectory()) walk(p, 0);
    else if (st.isFile()) out.push(p);
    else problems.push(`'${p}' is not a regular file`);
  }
  return out;
}

function readManifest(path: string, problems: string[]): string | undefined {
  try {
    const st = statSync(path);
    if (!st.isFile()) {
      problems.push(`'${path}' is not a regular file`);
      return undefined;
    }
    if (st.size > MAX_MANIFEST_BYTES) {
      problems.push(`'${path}' is ${Math.round(st.size / 1048576)} MB, over the ${MAX_MANIFEST_BYTES / 1048576} MB limit for manifests; skipped`);
      return undefined;
    }
    return readFileSync(path, 'utf8');
  } catch (e) {
    problems.push(`cannot read '${path}': ${(e as Error).message}`);
    return undefined;
  }
}

/** Streams one trace file into the importer, a chunk at a time. */
export function readTraceFile(importer: TraceImporter, path: string, problems: string[]): void {
  let fd: number;
  try {
    if (!statSync(path).isFile()) {
      problems.push(`'${path}' is not a regular file`);
      return;
    }
    fd = openSync(path, 'r');
  } catch (e) {
    problems.push(`cannot read '${path}': ${(e as Error).message}`);
    return;
  }
  const reader = importer.file(path);
  const buf = Buffer.allocUnsafe(CHUNK);
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n <= 0) break;
      reader.write(buf.subarray(0, n));
    }
    reader.end();
  } catch (e) {
    problems.push(`cannot read '${path}': ${(e as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** Runs one importer over the inputs. */
export function importFrom(source: Source, paths: readonly string[], problems: string[]): ImportModel {
  const files = inputFiles(paths, EXTENSIONS[source], problems);
  if (source === 'traces') {
    const t = new TraceImporter();
    for (const f of files) readTraceFile(t, f, problems);
    const m = t.model();
    if (!t.spans) problems.push('no spans found in the input');
    return m;
  }
  if (source === 'compose') {
    if (files.length !== 1) {
      problems.push(`import compose reads one Compose file, not ${files.length}`);
      return emptyModel();
    }
    const text = readManifest(files[0], problems);
    return text === undefined ? emptyModel() : importCompose(files[0], text);
  }
  const inputs: ManifestInput[] = [];
  for (const f of files) {
    const text = readManifest(f, problems);
    if (text !== undefined) inputs.push({ path: f, text });
  }
  return importK8s(inputs);
}

/** The `--observed` inputs, split into trace files (JSON) and manifests or Compose files (YAML). */
function observedInputs(paths: readonly string[], problems: string[]): { files: string[]; traces: string[]; yamls: string[] } {
  const files = inputFiles(paths, /\.(json|jsonl|ndjson|ya?ml)$/i, problems);
  const traces = files.filter((f) => /\.(json|jsonl|ndjson)$/i.test(f) && !looksLikeManifestJson(f));
  const yamls = files.filter((f) => !traces.includes(f));
  return { files, traces, yamls };
}

/** What `--observed` files say: traces (JSON) and manifests or Compose files (YAML), told apart by content. */
export function loadObserved(paths: readonly string[], problems: string[]): Observed {
  const { files, traces, yamls } = observedInputs(paths, problems);
  const models: ImportModel[] = [];
  if (traces.length) models.push(importFrom('traces', traces, problems));
  return observedWith(models, files, yamls, problems);
}

/**
 * The same for the language server, which must keep answering while a 100 MB trace file is read: each
 * trace file is read in slices of SLICE bytes, and the event loop gets a turn after every slice (on a
 * busy two-core machine, 99% of the slices held it under 61 ms; `npm run bench:import` measures it). The
 * linking of the spans at the end is one piece of work (224 ms for a 100 MB file). Manifests are read whole, as in the CLI (they are
 * bounded by MAX_MANIFEST_BYTES). `cancelled` is asked between slices: a newer reading makes this one
 * stop early, its result unused.
 */
export async function loadObservedAsync(paths: readonly string[], problems: string[], cancelled: () => boolean = () => false): Promise<Observed> {
  const { files, traces, yamls } = observedInputs(paths, problems);
  const models: ImportModel[] = [];
  if (traces.length) {
    const t = new TraceImporter();
    for (const f of traces) {
      if (cancelled()) break;
      await readTraceFileInSlices(t, f, problems, cancelled);
    }
    if (!t.spans) problems.push('no spans found in the trace files');
    models.push(t.model());
  }
  return observedWith(models, files, yamls, problems);
}

/** The bytes of a trace file parsed per turn of the event loop in the language server. */
export const SLICE = 64 * 1024;

/** Streams one trace file into the importer a slice at a time, yielding to the event loop in between. */
async function readTraceFileInSlices(importer: TraceImporter, path: string, problems: string[], cancelled: () => boolean): Promise<void> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever; the type is then checked on
    // the open descriptor, so a file swapped for something else after the walk is refused too.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    problems.push(`cannot read '${path}': ${(e as Error).message}`);
    return;
  }
  try {
    if (!(await handle.stat()).isFile()) {
      problems.push(`'${path}' is not a regular file`);
      return;
    }
    const reader = importer.file(path);
    const buf = Buffer.allocUnsafe(SLICE);
    for (;;) {
      if (cancelled()) return;
      const { bytesRead } = await handle.read(buf, 0, SLICE, null);
      if (bytesRead <= 0) break;
      reader.write(buf.subarray(0, bytesRead));
      await new Promise<void>((r) => setImmediate(r));
    }
    reader.end();
  } catch (e) {
    problems.push(`cannot read '${path}': ${(e as Error).message}`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Adds the models of the manifests and Compose files among `yamls` and turns everything into facts. */
function observedWith(models: ImportModel[], files: readonly string[], yamls: readonly string[], problems: string[]): Observed {
  const manifests: ManifestInput[] = [];
  for (const f of yamls) {
    const text = readManifest(f, problems);
    if (text === undefined) continue;
    if (/^services\s*:/m.test(text) && !/^kind\s*:/m.test(text)) models.push(importCompose(f, text));
    else manifests.push({ path: f, text });
  }
  if (manifests.length) models.push(importK8s(manifests));
  for (const m of models) problems.push(...m.warnings);
  return observedFrom(models, files);
}

/** A `.json` Kubernetes manifest (`{"apiVersion": …}`) rather than traces. */
function looksLikeManifestJson(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, 4096, 0);
    closeSync(fd);
    return /"apiVersion"\s*:/.test(buf.subarray(0, n).toString('utf8'));
  } catch {
    return false;
  }
}

/**
 * The editor command's work (client/src/import-command.ts): the topology from `paths`, or, when
 * `existing` is given, that text with what it lacks added. Problems are returned, not printed.
 */
export function importForEditor(source: Source, paths: readonly string[], existing?: string): { text: string; added: string[]; problems: string[]; insertions: { offset: number; text: string }[] } {
  const problems: string[] = [];
  const model = importFrom(source, paths, problems);
  problems.unshift(...model.warnings);
  if (existing !== undefined) {
    const r = mergeInto(existing, model);
    return { text: r.text, added: r.added, problems: [...problems, ...r.skipped], insertions: r.insertions };
  }
  const label = source === 'k8s' ? 'Kubernetes manifests' : source === 'compose' ? 'a Compose file' : 'traces';
  return { text: writeTopology(model, { name: 'imported', source: `${label}: ${paths.map((p) => basename(p)).join(', ')}` }), added: [], problems, insertions: [] };
}

