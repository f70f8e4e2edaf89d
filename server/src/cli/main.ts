#!/usr/bin/env node
/**
 * topolint — the command line: `check` for CI, `lsp --stdio` for any editor, `explain` for a rule's doc.
 * Exit codes: 0 clean, 1 findings at error (or more warnings than --max-warnings), 2 usage or I/O error.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyze, findingIdentity, fixesFor, LineIndex, parseFile, RULES, ruleById, type Finding, type Fix, type ParsedFile, type RuleSettings } from '../core';
import { loadProgram } from '../core/program';
import { takeValue } from './args';
import { expandPaths } from './files';
import { toSarif } from './sarif';
import { DIAGRAM_USAGE } from './diagram-usage';
import { nodeHost, projectRootOf, readTopologyText, ReadRefused, TOPOLOGY_FILE } from '../node-host';
import { IMPORT_USAGE, importCommand, ImportUsageError, loadObserved } from './import';
import type { Observed } from '../core/observed';
import { safe } from './safe';
import { DOCS_BASE, VERSION } from '../version';

const USAGE = `Usage: topolint <command> [options]

Commands:
  check <files|dirs...>   Analyse topology files (*.topology.yaml|yml; directories are searched)
      --format text|json|sarif   Output format (default: text)
      --max-warnings N           Exit 1 when there are more than N warnings
      --rule <id>=<severity>     Override a rule's severity (off, info, warning, error); repeatable
      --observed <files|dirs...> Traces or manifests to compare with the topology (the drift rule); takes
                                 every path up to the next option or *.topology.yaml file
      --root <dir>               Also read imports under <dir> (default: the nearest folder with .git
                                 or package.json above each file, else the current directory)
  lsp --stdio             Start the language server on stdin/stdout (for Neovim, Helix, Emacs, ...)
  explain <rule>          Print a rule's documentation
  rules                   List the rules with their default severities
${DIAGRAM_USAGE}${IMPORT_USAGE}  --version, --help
`;

class UsageError extends Error {}

interface Out {
  write(s: string): void;
  isTTY?: boolean;
}

export function main(argv: readonly string[], out: Out = process.stdout, err: Out = process.stderr): number | 'lsp' {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check':
        return check(rest, out, err);
      case 'lsp':
        return 'lsp';
      case 'explain':
        return explain(rest, out, err);
      case 'diagram':
        return diagramCommand().diagram(rest, out, err);
      case 'import':
        return importCommand(rest, out, err);
      case 'rules':
        for (const r of RULES) out.write(`${r.meta.id.padEnd(22)} ${r.meta.defaultSeverity.padEnd(8)} ${r.meta.title}\n`);
        return 0;
      case '--version':
      case '-v':
        out.write(`${VERSION}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        out.write(USAGE);
        return 0;
      default:
        throw new UsageError(command ? `unknown command '${command}'` : 'no command given');
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ImportUsageError) {
      err.write(`topolint: ${safe(e.message)}\n\n${USAGE}`);
      return 2;
    }
    err.write(`topolint: ${safe(e instanceof Error ? e.message : String(e))}\n`);
    return 2;
  }
}

/**
 * `topolint diagram` is the one command that lays out a graph. ELK is 2.6 MB of the 3.9 MB the CLI was,
 * and every start compiled it, `check` included; so the command is a bundle of its own,
 * dist/cli-diagram.js (scripts/build.mjs), loaded when it runs.
 */
function diagramCommand(): typeof import('./diagram') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle of its own, loaded on use.
  return require(join(__dirname, 'cli-diagram.js')) as typeof import('./diagram');
}

function explain(args: readonly string[], out: Out, err: Out): number {
  const id = args[0];
  if (!id) throw new UsageError('explain needs a rule id');
  const rule = ruleById(id);
  if (!rule) {
    err.write(`topolint: no rule '${safe(id)}'. Run 'topolint rules' for the list.\n`);
    return 2;
  }
  try {
    out.write(readFileSync(fileURLToPath(`${DOCS_BASE}/rules/${id}.md`), 'utf8'));
  } catch {
    out.write(`${rule.meta.id} (${rule.meta.defaultSeverity}): ${rule.meta.title}\n`);
  }
  return 0;
}

interface CheckOptions {
  format: 'text' | 'json' | 'sarif';
  maxWarnings: number;
  settings: Record<string, string>;
  paths: string[];
  observed: string[];
  /** Folders imports may be read from besides each file's project root (--root). */
  roots: string[];
}

function parseCheckArgs(args: readonly string[]): CheckOptions {
  const o: CheckOptions = { format: 'text', maxWarnings: Infinity, settings: {}, paths: [], observed: [], roots: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (name: string) => {
      const r = takeValue(args, i, name, (m) => new UsageError(m));
      i = r.last;
      return r.value;
    };
    if (a === '--format' || a.startsWith('--format=')) {
      const f = value('--format');
      if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not '${f}'`);
      o.format = f;
    } else if (a === '--max-warnings' || a.startsWith('--max-warnings=')) {
      const v = value('--max-warnings');
      if (!/^\d+$/.test(v)) throw new UsageError(`--max-warnings needs a whole number, not '${v}'`);
      o.maxWarnings = Number(v);
    } else if (a === '--rule' || a.startsWith('--rule=')) {
      const v = a === '--rule' ? value('--rule') : a.slice('--rule='.length);
      const m = /^([a-z-]+)=(off|info|warning|error)$/.exec(v);
      if (!m) throw new UsageError(`--rule takes <id>=<off|info|warning|error>, not '${v}'`);
      if (!ruleById(m[1])) throw new UsageError(`--rule: no rule '${m[1]}'`);
      o.settings[m[1]] = m[2];
    } else if (a === '--observed') {
      while (i + 1 < args.length && !args[i + 1].startsWith('-') && !TOPOLOGY_FILE.test(args[i + 1])) o.observed.push(args[++i]);
      if (!o.observed.length) throw new UsageError('--observed needs trace or manifest files');
    } else if (a === '--root' || a.startsWith('--root=')) {
      o.roots.push(resolve(value('--root')));
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option '${a}'`);
    } else {
      o.paths.push(a);
    }
  }
  if (!o.paths.length) throw new UsageError('check needs at least one file or directory');
  return o;
}

interface FileResult {
  readonly path: string;
  readonly text: string;
  readonly findings: { finding: Finding; fixes: Fix[] }[];
}

function check(args: readonly string[], out: Out, err: Out): number {
  const opts = parseCheckArgs(args);
  const { files, missing } = expandPaths(opts.paths);
  for (const m of missing) err.write(`topolint: cannot read '${safe(m)}'\n`);
  if (missing.length) return 2;
  if (!files.length) {
    err.write(`topolint: no topology files (*.topology.yaml) under ${safe(opts.paths.join(', '))}\n`);
    return 2;
  }
  const settings = opts.settings as RuleSettings;
  let observed: Observed | undefined;
  if (opts.observed.length) {
    const problems: string[] = [];
    observed = loadObserved(opts.observed, problems);
    for (const p of problems) err.write(`topolint: ${safe(p)}\n`);
  }
  // Imports are read inside the checked file's project root and the --root folders only (node-host.ts).
  let projectRoots: string[] = [];
  const host = { ...nodeHost(() => projectRoots), observed: () => observed };
  const results: FileResult[] = [];
  let ioError = false;
  // Each file is analysed with everything it imports (read from disk once); a finding is listed under the
  // file that holds it, once, however many of the checked files import that file.
  const parsedByUri = new Map<string, ParsedFile | null>();
  const pathByUri = new Map<string, string>();
  const read = (uri: string, path?: string): ParsedFile | undefined => {
    if (parsedByUri.has(uri)) return parsedByUri.get(uri) ?? undefined;
    let text: string;
    try {
      text = readTopologyText(path ?? fileURLToPath(uri));
    } catch (e) {
      if (path) {
        err.write(`topolint: cannot read '${safe(path)}': ${safe(e instanceof ReadRefused ? e.message : (e as NodeJS.ErrnoException).code ?? (e as Error).message)}\n`);
        ioError = true;
      }
      parsedByUri.set(uri, null);
      return undefined;
    }
    const parsed = parseFile(uri, text, RULES);
    parsedByUri.set(uri, parsed);
    if (!pathByUri.has(uri)) pathByUri.set(uri, path ?? relative(process.cwd(), fileURLToPath(uri)));
    return parsed;
  };
  const byFile = new Map<string, FileResult>();
  const seen = new Set<string>();
  for (const path of files) byFile.set(pathToFileURL(resolve(path)).href, { path, text: '', findings: [] });
  for (const path of files) {
    const uri = pathToFileURL(resolve(path)).href;
    pathByUri.set(uri, path);
    projectRoots = [projectRootOf(path), ...opts.roots].map((d) => pathToFileURL(d.endsWith(sep) ? d : d + sep).href);
    const root = read(uri, path);
    if (!root) continue;
    const program = loadProgram(root, (u) => read(u), host.inside);
    const result = analyze(program.files, RULES, settings, host, program.links);
    for (const finding of result.findings) {
      const id = findingIdentity(finding);
      if (seen.has(id)) continue;
      seen.add(id);
      let r = byFile.get(finding.uri);
      if (!r) byFile.set(finding.uri, (r = { path: pathByUri.get(finding.uri) ?? finding.uri, text: '', findings: [] }));
      // Fixes are worked out only for the formats that print them (JSON lists their titles, SARIF carries
      // their edits): the text output never shows them, and on a large file they are most of the work.
      // Accept fixes are printed by neither, so none are built.
      const fixes = opts.format === 'text' ? [] : fixesFor(finding, result, RULES, settings, { accepts: false }).filter((f) => !f.accept);
      r.findings.push({ finding, fixes });
    }
  }
  for (const [uri, r] of byFile) {
    const parsed = parsedByUri.get(uri);
    if (!parsed) {
      if (!r.findings.length) byFile.delete(uri);
      continue;
    }
    results.push({ ...r, text: parsed.text, findings: r.findings.sort((a, b) => a.finding.span.start - b.finding.span.start) });
  }
  const all = results.flatMap((r) => r.findings.map((f) => f.finding));
  const active = all.filter((f) => !f.accepted);
  const errors = active.filter((f) => f.severity === 'error').length;
  const warnings = active.filter((f) => f.severity === 'warning').length;
  const infos = active.filter((f) => f.severity === 'info').length;
  const accepted = all.length - active.length;

  if (opts.format === 'json') {
    out.write(JSON.stringify(toJson(results, { errors, warnings, infos, accepted }), null, 2) + '\n');
  } else if (opts.format === 'sarif') {
    const cwd = process.cwd();
    out.write(JSON.stringify(toSarif(results.map((r) => ({ path: resolve(r.path), text: r.text, findings: r.findings })), RULES, cwd), null, 2) + '\n');
  } else {
    out.write(toText(results, { errors, warnings, infos, accepted }, colours(out)));
  }
  if (ioError) return 2;
  return errors > 0 || warnings > opts.maxWarnings ? 1 : 0;
}

function colours(out: Out) {
  const on = !!out.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  const c = (code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { red: c('31'), yellow: c('33'), blue: c('34'), dim: c('2'), bold: c('1'), green: c('32') };
}

function position(lines: LineIndex, offset: number) {
  const p = lines.position(offset);
  return { line: p.line + 1, column: p.character + 1 };
}

function toText(results: readonly FileResult[], counts: { errors: number; warnings: number; infos: number; accepted: number }, c: ReturnType<typeof colours>): string {
  let s = '';
  for (const r of results) {
    const lines = new LineIndex(r.text);
    for (const { finding: f } of r.findings) {
      const p = position(lines, f.span.start);
      const sev = f.accepted ? c.dim('accepted') : f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info');
      // Messages quote ids, paths and reasons from the input: their control characters are escaped.
      const msg = f.accepted ? `${safe(f.message)} ${c.dim(`(accepted: ${safe(f.accepted.reason)})`)}` : safe(f.message);
      s += `${safe(r.path)}:${p.line}:${p.column} ${sev} ${msg} ${c.dim(`[${f.rule}]`)}\n`;
    }
  }
  const { errors, warnings, infos, accepted } = counts;
  const problems = errors + warnings + infos;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const summary = problems === 0 ? c.green(`✔ ${plural(results.length, 'file')} checked, no problems`) : c.bold(`✖ ${plural(problems, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} info) in ${plural(results.length, 'file')}`);
  s += `${s ? '\n' : ''}${summary}${accepted ? `, ${accepted} accepted` : ''}\n`;
  return s;
}

function toJson(results: readonly FileResult[], summary: object): object {
  return {
    version: VERSION,
    files: results.map((r) => {
      const lines = new LineIndex(r.text);
      return {
        path: r.path,
        findings: r.findings.map(({ finding: f, fixes }) => {
          const a = position(lines, f.span.start);
          const b = position(lines, f.span.end);
          return {
            rule: f.rule,
            severity: f.severity,
            message: f.message,
            messageId: f.messageId,
            line: a.line,
            column: a.column,
            endLine: b.line,
            endColumn: b.column,
            offset: f.span.start,
            length: f.span.end - f.span.start,
            accepted: f.accepted ? { reason: f.accepted.reason } : undefined,
            related: f.related?.map((x) => ({ message: x.message, ...position(lines, x.span.start) })),
            fixes: fixes.map((x) => x.title),
          };
        }),
      };
    }),
    summary,
  };
}

/** Runs the CLI as a process: sets the exit code, or starts the language server for `lsp`. */
export function run(argv: readonly string[]): void {
  const code = main(argv);
  if (code === 'lsp') {
    // The server module starts listening when it is loaded; it reads --stdio from process.argv.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for `lsp`, so `check` does not load the server.
    require('../server');
  } else {
    process.exitCode = code;
  }
}

if (require.main === module) run(process.argv.slice(2));
