/**
 * A second, independent LSP client: headless Neovim's built-in one runs `topolint lsp --stdio` with the
 * set-up the README gives, opens a topology file and reads the diagnostics back. Fails with the reason
 * when `nvim` is not installed (Debian: `apt-get install neovim`; .ci/run installs it).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

/** The project root: the nearest folder above this bundle with a package.json. */
function findRoot(from: string): string {
  let d = from;
  while (!existsSync(resolve(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
}

const ROOT = findRoot(__dirname);
const FIXTURE = join(ROOT, 'test', 'neovim', 'chain.topology.yaml');
const HARNESS = join(ROOT, 'test', 'neovim', 'read-diagnostics.lua');
/** The README's `topolint lsp --stdio`, as this repository's CLI run by this Node. */
const CMD_LUA = `{ ${[process.execPath, join(ROOT, 'bin', 'topolint.js'), 'lsp', '--stdio'].map((s) => JSON.stringify(s)).join(', ')} }`;

interface NvimDiagnostic {
  code?: string;
  severity: number;
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  message: string;
}
interface NvimResult {
  error?: string;
  published?: boolean;
  clients?: string[] | Record<string, string>;
  diagnostics?: NvimDiagnostic[] | Record<string, NvimDiagnostic>;
}

/** vim.diagnostic.severity */
const ERROR = 1;
const WARN = 2;
const INFO = 3;

/** Neovim's state, logs and LSP log go to the temporary folder, not the home folder. */
const xdg = (d: string) => ({ XDG_CONFIG_HOME: d, XDG_DATA_HOME: d, XDG_STATE_HOME: d, XDG_CACHE_HOME: d });

function nvimMissing(): string | undefined {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8', env: { ...process.env, ...xdg(dir) } });
  if (r.error) return `nvim could not be run (${r.error.message}); install Debian's neovim (apt-get install neovim)`;
  const m = /NVIM v(\d+)\.(\d+)/.exec(r.stdout);
  if (!m) return `nvim --version printed no version: ${r.stdout}`;
  if (Number(m[1]) === 0 && Number(m[2]) < 7) return `nvim ${m[0]} is too old: the set-up needs 0.7 or later`;
  return undefined;
}

/** The Lua block under the README's "### Neovim" heading, with the command pointed at this repository. */
function readmeSetup(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^### Neovim\s*$/m)[1];
  assert.ok(section, 'README.md has a "### Neovim" section');
  const lua = /```lua\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(lua, 'the README\'s Neovim section has a ```lua block');
  const cmd = "{ 'topolint', 'lsp', '--stdio' }";
  assert.ok(lua.includes(cmd), `the README's Neovim set-up runs ${cmd}`);
  return lua.replace(cmd, CMD_LUA);
}

let dir: string;

/** Runs headless Neovim with `setup` (Lua) on `file`; resolves with what the harness wrote. */
async function runNvim(setup: string, file: string): Promise<NvimResult> {
  const setupFile = join(dir, `setup-${Date.now()}.lua`);
  const out = join(dir, `out-${Date.now()}.json`);
  writeFileSync(setupFile, setup);
  const env = { ...process.env, ...xdg(dir), TOPOLINT_NVIM_SETUP: setupFile, TOPOLINT_NVIM_FILE: file, TOPOLINT_NVIM_OUT: out };
  const p = spawn('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${HARNESS}`], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  p.stdout.on('data', (d) => (output += d));
  p.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolveP, reject) => {
    // A deadline, not a sleep: Neovim quits by itself once the harness has written its result.
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`nvim did not quit within 60 s; it printed: ${output}`));
    }, 60_000);
    p.once('error', reject);
    p.once('exit', (c) => {
      clearTimeout(timer);
      resolveP(c);
    });
  });
  assert.ok(existsSync(out), `nvim exited (${code}) without writing its result; it printed: ${output}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as NvimResult;
  assert.equal(result.error, undefined, `the Neovim harness failed: ${result.error}`);
  return result;
}

/** vim.json encodes an empty Lua table as an object. */
const list = <T>(v: T[] | Record<string, T> | undefined): T[] => (Array.isArray(v) ? v : Object.values(v ?? {}));
const key = (d: NvimDiagnostic) => `${d.code} ${d.severity} ${d.lnum}:${d.col}-${d.end_lnum}:${d.end_col}`;

describe('Neovim', () => {
  let missing: string | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'topolint-nvim-'));
    missing = nvimMissing();
  });
  // Each test fails (not skips, not cancels) with the reason when nvim is missing.
  beforeEach(() => {
    if (missing) assert.fail(`the Neovim test needs nvim: ${missing}`);
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the README set-up attaches topolint and the diagnostics come back with their codes and ranges', async () => {
    const r = await runNvim(readmeSetup(), FIXTURE);
    assert.deepEqual(list(r.clients), ['topolint'], 'the topolint client is attached to the buffer');
    assert.ok(r.published, 'diagnostics were published before the deadline');
    const keys = list(r.diagnostics).map(key);
    // 0-based lines and columns: `- to: orders` on line 9, `- to: payments` (the self-call) on line 19.
    for (const want of [`sync-chain ${WARN} 8:12-8:18`, `self-call ${WARN} 18:12-18:20`]) {
      assert.ok(keys.includes(want), `Neovim shows ${want}; it shows:\n  ${keys.join('\n  ')}`);
    }
    for (const d of list(r.diagnostics)) assert.ok(d.message.length > 0, `${key(d)} has a message`);
  });

  test('settings reach the server (workspace/didChangeConfiguration, as the README says)', async () => {
    // Neovim 0.7 does not announce workspace/configuration, so the server takes its settings from the
    // notification that on_init sends.
    const setup = `
local topolint = vim.lsp.start_client({ name = 'topolint', cmd = ${CMD_LUA}, root_dir = vim.fn.getcwd(),
  settings = { topolint = { rules = { ['sync-chain'] = 'error', ['self-call'] = 'info' } } },
  on_init = function(c) c.notify('workspace/didChangeConfiguration', { settings = c.config.settings }) end })
vim.api.nvim_create_autocmd({ 'BufReadPost' }, { pattern = { '*.topology.yaml' },
  callback = function(args) vim.lsp.buf_attach_client(args.buf, topolint) end })
`;
    const r = await runNvim(setup, FIXTURE);
    const keys = list(r.diagnostics).map(key);
    assert.ok(keys.includes(`sync-chain ${ERROR} 8:12-8:18`), `sync-chain is an error; Neovim shows:\n  ${keys.join('\n  ')}`);
    assert.ok(keys.includes(`self-call ${INFO} 18:12-18:20`), `self-call is an info; Neovim shows:\n  ${keys.join('\n  ')}`);
  });
});
