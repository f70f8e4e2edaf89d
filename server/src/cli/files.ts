/** Finding topology files on disk for the CLI. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TOPOLOGY_FILE } from '../node-host';


/** Expands files and directories into topology files; directories are searched recursively. */
export function expandPaths(paths: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    if (!seen.has(p)) {
      seen.add(p);
      files.push(p);
    }
  };
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      missing.push(dir);
      return;
    }
    for (const name of names) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(dir, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (TOPOLOGY_FILE.test(name)) add(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isDirectory()) walk(p);
    else add(p);
  }
  return { files, missing };
}
