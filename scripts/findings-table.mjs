#!/usr/bin/env node
// Prints a per-rule table of findings for one or more folders (or files), by running the built CLI with
// JSON output, so that the same command counts findings on the old code and on the new one.
// Usage: node scripts/findings-table.mjs [--cli path/to/bin/topolint.js] [--markdown] <dir|file>...
// With two or more paths, one column per path; accepted findings are counted apart.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
let cli = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/topolint.js');
let markdown = false;
const paths = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--cli') cli = resolve(args[++i] ?? '');
  else if (args[i] === '--markdown') markdown = true;
  else if (args[i] === '--help' || args[i] === '-h') {
    console.log('usage: node scripts/findings-table.mjs [--cli bin/topolint.js] [--markdown] <dir|file>...');
    process.exit(0);
  } else paths.push(args[i]);
}
if (!paths.length || !existsSync(cli)) {
  console.error(paths.length ? `no CLI at ${cli} (run npm run build first)` : 'usage: node scripts/findings-table.mjs [--cli bin/topolint.js] [--markdown] <dir|file>...');
  process.exit(2);
}

/** Findings per rule for one path: { rule: { active, accepted } }, plus the file count. */
function count(path) {
  // The CLI exits 1 when it finds errors; only 2 (usage or I/O) is a failure here.
  const r = spawnSync(process.execPath, [cli, 'check', path, '--format', 'json', '--max-warnings', '1000000000'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status === 2 || r.status === null) {
    console.error(`topolint check ${path} failed:\n${r.stderr}`);
    process.exit(2);
  }
  const json = JSON.parse(r.stdout);
  const rules = new Map();
  for (const file of json.files) {
    for (const f of file.findings) {
      const c = rules.get(f.rule) ?? { active: 0, accepted: 0 };
      if (f.accepted) c.accepted++;
      else c.active++;
      rules.set(f.rule, c);
    }
  }
  return { rules, files: json.files.length };
}

const results = paths.map(count);
const ids = [...new Set(results.flatMap((r) => [...r.rules.keys()]))].sort();
const cell = (c) => (c ? `${c.active}${c.accepted ? ` (+${c.accepted} accepted)` : ''}` : '0');
const header = ['rule', ...paths.map((p, i) => `${p} (${results[i].files} files)`)];
const rows = ids.map((id) => [id, ...results.map((r) => cell(r.rules.get(id)))]);
const totals = results.map((r) => [...r.rules.values()].reduce((a, c) => ({ active: a.active + c.active, accepted: a.accepted + c.accepted }), { active: 0, accepted: 0 }));
rows.push(['total', ...totals.map(cell)]);
if (markdown) {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map((_, i) => (i ? '---:' : '---')).join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
} else {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((x, i) => (i ? x.padStart(width[i]) : x.padEnd(width[i]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
