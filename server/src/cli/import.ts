/**
 * `topolint import k8s|compose|traces <inputs…> [-o file] [--merge existing] [--name name]`. The reading
 * of inputs (and of `--observed` files for `topolint check`) is `import/files.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { mergeInto } from '../import/merge';
import { importFrom } from '../import/files';
import { writeTopology } from '../import/writer';
import { takeValue } from './args';
import { safe } from './safe';

export { loadObserved } from '../import/files';

export const IMPORT_USAGE = `  import k8s <files|dirs...>     Write a topology from Kubernetes manifests (rendered Helm or kustomize output too)
  import compose <file>          Write a topology from a Compose file
  import traces <files|dirs...>  Write a topology from OTLP JSON, Jaeger JSON or Zipkin v2 JSON traces
      -o, --output <file>        Write to a file instead of stdout
      --merge <topology>         Add what the file lacks, keep everything in it (written back, or to -o)
      --name <name>              The topology's name (default: from -o, else 'imported')
`;

interface Out {
  write(s: string): void;
}

export class ImportUsageError extends Error {}

export function importCommand(args: readonly string[], out: Out, err: Out): number {
  const [source, ...rest] = args;
  if (source !== 'k8s' && source !== 'compose' && source !== 'traces') throw new ImportUsageError(source ? `import: unknown source '${source}' (k8s, compose or traces)` : 'import needs a source: k8s, compose or traces');
  let output: string | undefined;
  let merge: string | undefined;
  let name: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (n: string) => {
      const r = takeValue(rest, i, n, (msg) => new ImportUsageError(msg));
      i = r.last;
      return r.value;
    };
    if (a === '-o' || a === '--output' || a.startsWith('--output=')) output = value('--output');
    else if (a === '--merge' || a.startsWith('--merge=')) merge = value('--merge');
    else if (a === '--name' || a.startsWith('--name=')) name = value('--name');
    else if (a.startsWith('-') && a !== '-') throw new ImportUsageError(`unknown option '${a}'`);
    else paths.push(a);
  }
  if (!paths.length) throw new ImportUsageError(`import ${source} needs at least one file or directory`);
  const problems: string[] = [];
  const model = importFrom(source, paths, problems);
  for (const w of model.warnings) err.write(`topolint: ${safe(w)}\n`);
  for (const p of problems) err.write(`topolint: ${safe(p)}\n`);
  const label = source === 'k8s' ? 'Kubernetes manifests' : source === 'compose' ? 'a Compose file' : 'traces';
  if (merge) {
    let existing: string;
    try {
      existing = readFileSync(merge, 'utf8');
    } catch (e) {
      err.write(`topolint: cannot read '${safe(merge)}': ${safe((e as Error).message)}\n`);
      return 2;
    }
    const r = mergeInto(existing, model);
    for (const s of r.skipped) err.write(`topolint: ${safe(s)}\n`);
    if (!r.added.length && r.skipped.some((s) => s.includes('not a readable topology'))) return 2;
    const target = output ?? merge;
    if (target === '-') out.write(r.text);
    else if (r.text !== existing || target !== merge) writeFileSync(target, r.text);
    const summary = r.added.length ? `Added from ${label} (${r.added.length}):\n${r.added.map((a) => `  + ${a}`).join('\n')}\n` : `Nothing to add: '${merge}' already declares everything found in ${label}.\n`;
    (target === '-' ? err : out).write(summary);
    return 0;
  }
  const text = writeTopology(model, { name: name ?? (output && output !== '-' ? basename(output, extname(output)).replace(/\.topology$/, '') : 'imported'), source: `${label}: ${paths.join(', ')}` });
  if (output && output !== '-') writeFileSync(output, text);
  else out.write(text);
  return 0;
}
