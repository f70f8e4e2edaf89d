/**
 * For `npm run bench:import`: the language server's reading of observed files (import/files.ts's
 * loadObservedAsync), bundled on its own so the benchmark can run it in a child process and watch the
 * event loop there.
 */
import { loadObservedAsync } from '../server/src/import/files';
import type { Observed } from '../server/src/core/observed';

export function load(file: string): Promise<Observed> {
  return loadObservedAsync([file], []);
}
