/** The product's version and where its rule docs are. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

declare const __TOPOLINT_VERSION__: string | undefined;
export const VERSION: string = typeof __TOPOLINT_VERSION__ === 'string' ? __TOPOLINT_VERSION__ : '0.0.0-dev';

/**
 * The docs ship with the extension and the CLI (docs/ next to dist/), so links work offline and fetch
 * nothing. TOPOLINT_DOCS_URL points them elsewhere, e.g. at a repository for SARIF uploaded from CI.
 */
function docsBase(): string {
  const env = process.env.TOPOLINT_DOCS_URL;
  if (env) return env.replace(/\/+$/, '');
  for (const candidate of [resolve(__dirname, '../docs'), resolve(__dirname, '../../docs'), resolve(__dirname, '../../../docs')]) {
    if (existsSync(resolve(candidate, 'rules'))) return pathToFileURL(candidate).href;
  }
  return pathToFileURL(resolve(__dirname, '../docs')).href;
}

export const DOCS_BASE = docsBase();

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE}/rules/${id}.md`;
}
