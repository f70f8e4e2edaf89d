// The GitHub Action's logic (action.yml runs this; test/cli/action.test.ts runs it locally): runs
// `topolint check --format sarif` on the given paths, writes the SARIF file for a code-scanning upload
// step, prints each finding as a workflow annotation, sets the `sarif-file` output, and exits with the
// CLI's code (1 on errors or more than max-warnings warnings, 2 on a usage or I/O error), after the SARIF
// is written so that an upload step with `if: success() || failure()` still finds it.
//
// Inputs come from the environment, never from text spliced into a shell line: INPUT_PATHS (paths,
// separated by new lines or spaces; default "."), INPUT_SARIF_FILE (default "topolint.sarif"),
// INPUT_MAX_WARNINGS (optional), INPUT_ANNOTATIONS ("true" or "false", default "true"), INPUT_DOCS_URL
// (where rule links point; default the action's own docs on GitHub, from ACTION_REPOSITORY and ACTION_REF,
// else the docs next to the CLI), TOPOLINT_BIN (the CLI to run; default this checkout's bin/topolint.js).
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A workflow command's property or message, escaped as the runner expects (%, CR, LF; and : , in properties). */
function escapeData(s) {
  return String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s) {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Annotations take a path relative to the workspace; SARIF has one already, or a file: URI for a path given absolute. */
function annotationPath(uri) {
  if (!uri) return undefined;
  if (!uri.startsWith('file:')) return uri;
  try {
    return relative(process.cwd(), fileURLToPath(uri)).split(sep).join('/');
  } catch {
    return undefined;
  }
}

const LEVEL = { error: 'error', warning: 'warning', note: 'notice', none: 'notice' };

export function runAction(env = process.env, out = process.stdout) {
  const paths = (env.INPUT_PATHS ?? '').split(/\s+/).filter(Boolean);
  const sarifFile = resolve(env.INPUT_SARIF_FILE || 'topolint.sarif');
  const args = ['check', ...(paths.length ? paths : ['.']), '--format', 'sarif'];
  if (env.INPUT_MAX_WARNINGS) args.push('--max-warnings', env.INPUT_MAX_WARNINGS);
  const bin = env.TOPOLINT_BIN || resolve(ROOT, 'bin', 'topolint.js');
  // Rule links that a code-scanning alert can open: file: URIs on the runner mean nothing there.
  const docs = env.INPUT_DOCS_URL || (env.ACTION_REPOSITORY && env.ACTION_REF ? `https://github.com/${env.ACTION_REPOSITORY}/blob/${env.ACTION_REF}/docs` : env.TOPOLINT_DOCS_URL);
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, env: { ...env, ...(docs ? { TOPOLINT_DOCS_URL: docs } : {}) } });
  if (r.stderr) process.stderr.write(r.stderr);
  if (r.status === null) {
    process.stderr.write(`topolint did not finish: ${r.error?.message ?? r.signal}\n`);
    return 2;
  }
  let sarif;
  try {
    sarif = JSON.parse(r.stdout);
  } catch {
    // A usage or I/O error prints no SARIF: there is nothing to upload, and the CLI said why on stderr.
    return r.status || 2;
  }
  mkdirSync(dirname(sarifFile), { recursive: true });
  writeFileSync(sarifFile, r.stdout);
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `sarif-file=${sarifFile}\n`);

  const counts = { error: 0, warning: 0, note: 0, accepted: 0 };
  for (const run of sarif.runs ?? []) {
    for (const res of run.results ?? []) {
      if (res.suppressions?.length) {
        counts.accepted++;
        continue;
      }
      const level = res.level ?? 'warning';
      counts[level] = (counts[level] ?? 0) + 1;
      if (env.INPUT_ANNOTATIONS === 'false') continue;
      const loc = res.locations?.[0]?.physicalLocation;
      const file = annotationPath(loc?.artifactLocation?.uri);
      const props = [
        file && `file=${escapeProperty(file)}`,
        loc?.region?.startLine && `line=${loc.region.startLine}`,
        loc?.region?.startColumn && `col=${loc.region.startColumn}`,
        loc?.region?.endLine && `endLine=${loc.region.endLine}`,
        res.ruleId && `title=${escapeProperty(`topolint ${res.ruleId}`)}`,
      ].filter(Boolean);
      out.write(`::${LEVEL[level] ?? 'warning'} ${props.join(',')}::${escapeData(res.message?.text ?? '')}\n`);
    }
  }
  out.write(`topolint: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.note} note(s), ${counts.accepted} accepted; SARIF in ${sarifFile}\n`);
  return r.status;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = runAction();
