// `npm run test:e2e`: the extension in a real VS Code. Installs (when missing) Node 24, code-server and
// Debian's Chromium; packages the extension and the test-runner extension; installs both .vsix files into
// a fresh code-server with --install-extension; opens the workbench in headless Chromium with
// playwright-core; the runner extension runs the mocha suite inside the extension host and writes the
// results; this script prints them, takes screenshots of the scenes the runner sets up, and exits
// non-zero on any failure. A piece that cannot be installed or started fails the run with the reason.
//
// Artifacts: out/e2e/run/ (screenshots/, logs/, the workspace, results.json). Environment:
//   TOPOLINT_E2E_CACHE   where Node 24 and code-server are installed (default .cache/e2e)
//   TOPOLINT_E2E_GREP    run only the tests whose title matches
//   TOPOLINT_E2E_VSIX    test this .vsix (a build from elsewhere) instead of packaging one; the CLI's
//                        findings then come from dist/cli.js (npm run build)
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { packageExtension } from '../package.mjs';
import { buildRunner } from './build.mjs';
import { CODE_SERVER_ENTRY, CODE_SERVER_VERSION, ROOT } from './env.mjs';
import { ensureChromium, ensureCodeServer, ensureNode24 } from './install.mjs';
import { prepareWorkspace } from './workspace.mjs';

const RUN = join(ROOT, 'out', 'e2e', 'run');
const SHOTS = join(RUN, 'screenshots');
const LOGS = join(RUN, 'logs');
const RESULTS = join(RUN, 'results');
/** How long the whole suite may take inside VS Code before the run fails. */
const SUITE_MS = 10 * 60_000;
/** How long VS Code may take to start and load the workbench page. */
const START_MS = 120_000;
/** How long one scene may take to be set up. */
const SCENE_MS = 90_000;

const started = Date.now();
const timings = {};
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const say = (line) => console.log(`[e2e] ${line}`);

async function step(name, fn) {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - t;
  }
}

/** Resolves with the first of `names` to exist in `dir`, waiting on the folder's events; rejects after `ms`. */
function firstFile(dir, names, ms, what) {
  return new Promise((resolve, reject) => {
    let watcher;
    const done = (fn, v) => {
      clearTimeout(timer);
      watcher?.close();
      fn(v);
    };
    const check = () => {
      const hit = names.find((n) => existsSync(join(dir, n)));
      if (hit) done(resolve, hit);
      return !!hit;
    };
    const timer = setTimeout(() => done(reject, new Error(`${what}: none of ${names.join(', ')} appeared in ${relative(ROOT, dir)} within ${seconds(ms)}`)), ms);
    watcher = watch(dir, () => check());
    check();
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** VS Code, code-server and Chromium keep their caches and config in a home of their own, not the user's. */
const HOME = join(RUN, 'home');
const homeEnv = { HOME, XDG_CONFIG_HOME: join(HOME, '.config'), XDG_CACHE_HOME: join(HOME, '.cache'), XDG_DATA_HOME: join(HOME, '.local', 'share'), XDG_STATE_HOME: join(HOME, '.local', 'state') };

/** Runs code-server's CLI to completion (extension installs); rejects with its output on failure. */
function runCodeServer(node24, args, logFile) {
  return new Promise((resolve, reject) => {
    const p = spawn(node24, [CODE_SERVER_ENTRY, ...args], { env: { ...process.env, ...homeEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.once('error', reject);
    p.once('exit', (code) => {
      appendFileSync(logFile, out);
      if (code === 0) resolve(out);
      else reject(new Error(`code-server ${args.join(' ')} exited ${code}:\n${out}`));
    });
  });
}

/** Starts the code-server that the browser connects to; resolves once it listens. */
function startCodeServer(node24, args, env, logFile) {
  return new Promise((resolve, reject) => {
    // Its own process group, so that stopping it stops the extension host and language server under it.
    const p = spawn(node24, [CODE_SERVER_ENTRY, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not say it was listening within ${seconds(START_MS)}:\n${out}`)), START_MS);
    const onData = (d) => {
      out += d;
      appendFileSync(logFile, d);
      const m = /HTTP server listening on (http:\/\/\S+)/.exec(out);
      if (m && !p.url) {
        p.url = m[1];
        clearTimeout(timer);
        resolve(p);
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.once('exit', (code) => {
      p.exited = code ?? 'signal';
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before it listened:\n${out}`));
    });
  });
}

function stopProcessGroup(p) {
  if (!p || p.exited !== undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => {
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5000);
    p.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    try {
      process.kill(-p.pid, 'SIGTERM');
    } catch {
      clearTimeout(kill);
      resolve();
    }
  });
}

const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Runs in the webview's page (given its .tl-canvas): each node label inside the canvas, as its font size
 * times the scale it is drawn at (what test/webview/legibility.test.ts measures), and its box's height.
 */
/* global document, getComputedStyle -- this function runs in the page, through playwright's evaluate. */
function labelSizes(canvasEl) {
  const canvas = canvasEl.getBoundingClientRect();
  const em = [];
  const box = [];
  const texts = [...document.querySelectorAll('.tl-node .tl-name')];
  for (const t of texts) {
    const r = t.getBoundingClientRect();
    if (!(r.right > canvas.left && r.left < canvas.right && r.bottom > canvas.top && r.top < canvas.bottom)) continue;
    const m = t.getScreenCTM();
    em.push(parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b));
    box.push(r.height);
  }
  return { em, box, total: texts.length, canvas: { width: Math.round(canvas.width), height: Math.round(canvas.height) } };
}

/** The mocha-style report of results.json; returns [passed, failed]. */
function printResults(results) {
  console.log('');
  let suite;
  for (const t of results.tests) {
    if (t.suite !== suite) {
      suite = t.suite;
      console.log(`  ${suite}`);
    }
    const mark = t.state === 'passed' ? '✓' : t.state === 'failed' ? '✗' : '-';
    console.log(`    ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
  }
  for (const line of results.notes ?? []) console.log(`  note: ${line}`);
  console.log('');
  console.log(`  ${results.passes} passing (${seconds(results.durationMs)})`);
  if (results.pending) console.log(`  ${results.pending} pending`);
  if (results.failures) console.log(`  ${results.failures} failing`);
  let n = 0;
  for (const t of results.tests.filter((x) => x.state === 'failed')) {
    console.log('');
    console.log(`  ${++n}) ${t.suite} ${t.title}`);
    console.log(
      String(t.error)
        .split('\n')
        // Frames inside mocha and VS Code say nothing about the failure.
        .filter((l) => !/^\s+at .*(node_modules|node:internal|extensionHostProcess|vs\/workbench|suite\/index\.js)/.test(l))
        .map((l) => `     ${l}`)
        .join('\n'),
    );
  }
  console.log('');
  return [results.passes, results.failures];
}

/** The extension host log: which event activated Topolint, and when, relative to the host's start. */
function activationFromLog(userData) {
  const logs = join(userData, 'logs');
  if (!existsSync(logs)) return undefined;
  const files = [];
  const walk = (d) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/exthost\.log$/.test(n)) files.push(p);
    }
  };
  walk(logs);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const m = /^(\S+ \S+) .*ExtensionService#_doActivateExtension topolint\.topolint, startup: (\w+), activationEvent: '([^']+)'/m.exec(text);
    if (m) {
      const first = /^(\S+ \S+)/.exec(text);
      const ms = first ? Date.parse(m[1].replace(' ', 'T')) - Date.parse(first[1].replace(' ', 'T')) : undefined;
      return { event: m[3], sinceHostStartMs: ms, log: f };
    }
  }
  return undefined;
}

async function main() {
  const failures = [];
  rmSync(RUN, { recursive: true, force: true });
  for (const d of [SHOTS, LOGS, RESULTS, HOME]) mkdirSync(d, { recursive: true });

  // 1. What VS Code needs to run here; a piece that cannot be installed throws with the reason.
  const { chromiumPath, node24 } = await step('install', async () => {
    say('checking Node 24, code-server and Chromium (installing what is missing)');
    const chromiumPath = ensureChromium();
    const node24 = ensureNode24();
    ensureCodeServer();
    return { chromiumPath, node24 };
  });

  // 2. The .vsix under test, the test-runner extension, and the workspace.
  const { vsix, runnerVsix, ws } = await step('package', async () => {
    const given = process.env.TOPOLINT_E2E_VSIX;
    if (given && !existsSync(given)) throw new Error(`TOPOLINT_E2E_VSIX=${given} does not exist`);
    if (!given) say('packaging the extension (npm run package)');
    const vsix = given ? resolve(given) : packageExtension();
    say(`${given ? 'testing' : 'built'} ${relative(ROOT, vsix)} (${statSync(vsix).size} bytes)`);
    const runnerVsix = await buildRunner();
    const ws = prepareWorkspace(RUN, given ? join(ROOT, 'dist', 'cli.js') : join(ROOT, '.cache', 'package', 'dist', 'cli.js'));
    return { vsix, runnerVsix, ws };
  });

  // 3. A fresh VS Code: its own user data, extensions folder and config, nothing from the home folder.
  const userData = join(RUN, 'user-data');
  const extensions = join(RUN, 'extensions');
  const config = join(RUN, 'code-server.yaml');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(config, 'auth: none\n');
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        // Without this the folder opens in Restricted Mode.
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'chat.disableAIFeatures': true,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'extensions.ignoreRecommendations': true,
        'files.autoSave': 'off',
        // The workspace lies inside this repository: no prompt to open it in Git.
        'git.openRepositoryInParentFolders': 'never',
        'editor.minimap.enabled': false,
      },
      null,
      2,
    ),
  );
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions, '--config', config];
  await step('install-extensions', async () => {
    say(`installing ${relative(ROOT, vsix)} and the test runner into code-server ${CODE_SERVER_VERSION} (--install-extension)`);
    const out = await runCodeServer(node24, [...common, '--force', '--install-extension', vsix, '--install-extension', runnerVsix], join(LOGS, 'install-extension.log'));
    const installed = (out.match(/successfully installed/g) ?? []).length;
    if (installed !== 2) throw new Error(`code-server --install-extension installed ${installed} of 2 extensions:\n${out}`);
  });

  const port = await freePort();
  const env = { ...process.env, ...homeEnv, TOPOLINT_E2E_OUT: RESULTS, TOPOLINT_E2E_EXPECTED: ws.expected };
  let server;
  let browser;
  try {
    server = await step('start-code-server', () =>
      startCodeServer(
        node24,
        [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', ws.workspace],
        env,
        join(LOGS, 'code-server.log'),
      ),
    );
    const serverExit = new Promise((_, reject) => server.once('exit', (code) => reject(new Error(`code-server exited (${code}) during the run; see ${relative(ROOT, join(LOGS, 'code-server.log'))}`))));
    serverExit.catch(() => undefined);

    // 4. The workbench in headless Chromium.
    const page = await step('load-workbench', async () => {
      say(`opening the workbench in ${chromiumPath}`);
      browser = await chromium.launch({
        executablePath: chromiumPath,
        headless: true,
        timeout: START_MS,
        env: { ...process.env, ...homeEnv },
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
      });
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      page.on('console', (m) => appendFileSync(join(LOGS, 'browser-console.log'), `${m.type()} ${m.text()}\n`));
      page.on('pageerror', (e) => appendFileSync(join(LOGS, 'browser-console.log'), `pageerror ${e.stack ?? e}\n`));
      await page.goto(`${server.url.replace(/\/$/, '')}/?folder=${encodeURIComponent(ws.workspace)}`, { timeout: START_MS });
      await page.locator('.monaco-workbench').waitFor({ timeout: START_MS });
      return page;
    });
    const pageClosed = new Promise((_, reject) => page.once('crash', () => reject(new Error('the workbench page crashed'))));
    pageClosed.catch(() => undefined);
    say(`workbench loaded in ${seconds(timings['load-workbench'])}; waiting for the suite to run in the extension host`);

    // 5. The suite's results, written by the runner extension.
    const outcome = await step('suite', () => Promise.race([firstFile(RESULTS, ['results.json', 'runner-error.json'], SUITE_MS, 'the suite inside VS Code'), serverExit, pageClosed]));
    if (outcome === 'runner-error.json') throw new Error(`the test runner extension failed: ${readFileSync(join(RESULTS, outcome), 'utf8')}`);
    const results = JSON.parse(readFileSync(join(RESULTS, 'results.json'), 'utf8'));
    say(`the suite ran in VS Code ${results.vscodeVersion} (code-server ${CODE_SERVER_VERSION}) on ${chromium.name()} ${browser.version()}`);
    const [passed, failed] = printResults(results);
    if (failed > 0) failures.push(`${failed} of ${passed + failed} tests failed`);
    if (passed + failed === 0) failures.push('the suite ran no test');

    // 6. Screenshots of the scenes the runner sets up.
    const shots = [];
    let activation;
    const scenes = {
      problems: async () => {
        await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: SCENE_MS });
        await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first().waitFor({ timeout: SCENE_MS });
        return 'diagnostics in the editor and the Problems panel';
      },
      quickfix: async () => {
        await page.locator('.action-widget').first().waitFor({ timeout: SCENE_MS });
        // The menu as drawn: no two entries may read the same (issue 14: three identical accept lines).
        const rows = (await page.locator('.action-widget .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
        const seen = new Set();
        const twice = rows.filter((t) => (seen.has(t) ? true : (seen.add(t), false)));
        if (rows.length === 0) failures.push('scene quickfix: the quick-fix menu shows no entries');
        if (twice.length) failures.push(`scene quickfix: entries that read the same: ${[...new Set(twice)].join(' | ')}`);
        say(`the quick-fix menu shows ${rows.length} entries, ${seen.size} distinct`);
        return 'the quick fixes for a call with three findings';
      },
      preview: async () => {
        const inner = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
        await inner.locator('body *').first().waitFor({ timeout: SCENE_MS });
        // The diagram is drawn after the webview loads: wait for a drawing when there is one.
        await inner
          .locator('svg, canvas')
          .first()
          .waitFor({ timeout: 20_000 })
          .catch(() => say('the preview shows no svg or canvas (taking the screenshot as it is)'));
        // Issue 14: the node labels of the first drawing, measured on screen inside the webview. Measured
        // until two readings agree (the preview fits again while the editor groups settle).
        await inner.locator('.tl-node .tl-name').first().waitFor({ timeout: 20_000 });
        let sizes;
        for (let i = 0, last = ''; i < 20; i++) {
          sizes = await inner.locator('.tl-canvas').evaluate(labelSizes);
          const key = JSON.stringify(sizes);
          if (key === last) break;
          last = key;
          await page.waitForTimeout(500);
        }
        const m = median(sizes.em);
        say(`preview: ${sizes.canvas.width}×${sizes.canvas.height} px canvas, ${sizes.em.length} of ${sizes.total} labels on screen, median label ${m.toFixed(1)} px (box ${median(sizes.box).toFixed(1)} px), smallest ${Math.min(...sizes.em).toFixed(1)} px`);
        if (sizes.total < 18) failures.push(`scene preview: ${sizes.total} node labels drawn, expected the ~20-element topology`);
        if (sizes.canvas.width > 760) failures.push(`scene preview: the canvas is ${sizes.canvas.width} px wide, not a half-width panel`);
        if (!(m >= 11)) failures.push(`scene preview: the median node label is ${m.toFixed(2)} px on screen, below 11 px`);
        return `the preview of ${sizes.total} elements in a half-width panel, median label ${m.toFixed(1)} px`;
      },
      'running-extensions': async () => {
        // The row whose name is Topolint's display name (not the test runner's, which also says Topolint).
        const { displayName, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
        // The list only renders the rows in view: a tall window shows them all.
        await page.setViewportSize({ width: 1440, height: 2000 });
        const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
        const name = new RegExp(`^\\s*${displayName}\\s*${version.replace(/\./g, '\\.')}`);
        await rows.filter({ hasText: name }).first().waitFor({ timeout: SCENE_MS });
        for (const text of await rows.allInnerTexts()) {
          if (!name.test(text)) continue;
          const row = text.replace(/\s+/g, ' ').trim();
          const m = /Activation: (\d+)\s*ms/.exec(row);
          activation = { ms: m ? Number(m[1]) : undefined, row };
        }
        await page.setViewportSize({ width: 1440, height: 900 });
        return 'VS Code\'s Running Extensions editor';
      },
    };
    for (const [name, waitForScene] of Object.entries(scenes)) {
      const ready = `scene-${name}.ready`;
      await step(`scene-${name}`, async () => {
        try {
          await Promise.race([firstFile(RESULTS, [ready], SCENE_MS, `the runner setting up the ${name} scene`), serverExit, pageClosed]);
          const info = JSON.parse(readFileSync(join(RESULTS, ready), 'utf8'));
          if (info.missing || info.error) {
            say(`scene ${name}: not shown: ${info.missing ?? info.error}`);
            if (info.error) failures.push(`scene ${name}: ${info.error}`);
            return;
          }
          const what = await waitForScene();
          const file = join(SHOTS, `${name}.png`);
          await page.screenshot({ path: file });
          shots.push(`${relative(ROOT, file)}  (${what})`);
        } catch (e) {
          failures.push(`scene ${name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
          await page.screenshot({ path: join(SHOTS, `${name}-failed.png`) }).catch(() => undefined);
        } finally {
          writeFileSync(join(RESULTS, `scene-${name}.done`), '');
        }
      });
    }
    await page.keyboard.press('Escape').catch(() => undefined);

    say(`screenshots in ${SHOTS}:`);
    for (const s of shots) console.log(`  ${s}`);
    const fromLog = activationFromLog(userData);
    if (fromLog) say(`Topolint was activated by '${fromLog.event}', ${fromLog.sinceHostStartMs} ms after the extension host started`);
    if (activation?.ms !== undefined) say(`activation time (VS Code's Running Extensions): ${activation.ms} ms  [${activation.row}]`);
    else failures.push(`no activation time for Topolint in the Running Extensions editor${activation ? `: ${activation.row}` : ''}`);
    return { passed, failed, failures };
  } finally {
    await browser?.close().catch(() => undefined);
    await stopProcessGroup(server);
    // What VS Code logged, for a failed run.
    if (existsSync(join(userData, 'logs'))) cpSync(join(userData, 'logs'), join(LOGS, 'vscode'), { recursive: true });
  }
}

try {
  const { passed, failed, failures } = await main();
  const total = Date.now() - started;
  say(`timings: ${Object.entries(timings).map(([k, v]) => `${k} ${seconds(v)}`).join(', ')}; total ${seconds(total)}`);
  for (const f of failures) say(`FAILED: ${f}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failures.length ? 1 : 0);
} catch (e) {
  say(`timings: ${Object.entries(timings).map(([k, v]) => `${k} ${seconds(v)}`).join(', ')}`);
  console.error(`[e2e] FAILED: ${e instanceof Error ? e.message : String(e)}`);
  console.error(`[e2e] logs: ${LOGS}`);
  process.exit(1);
}
