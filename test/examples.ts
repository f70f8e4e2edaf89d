import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The files under `<root>/examples` (sub-folders included, in name order) whose names match `pattern`, with
 * their paths and texts: the starting points of the property tests and the fuzzer.
 */
export function exampleFiles(root: string = process.cwd(), pattern = /\.topology\.ya?ml$/): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (pattern.test(name)) out.push({ name: p, text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(root, 'examples'));
  return out;
}
