/** Command-line option values, shared by the CLI's commands. */

/**
 * The value of the option at `args[i]`: after '=' in the same word (`--format=json`), else the next word
 * (`--format json`), which is then consumed. Returns the value and the index of the last word read.
 */
export function takeValue(args: readonly string[], i: number, name: string, fail: (message: string) => Error): { value: string; last: number } {
  const a = args[i];
  const eq = a.indexOf('=');
  if (eq > 0) return { value: a.slice(eq + 1), last: i };
  const v = args[i + 1];
  if (v === undefined) throw fail(`${name} needs a value`);
  return { value: v, last: i + 1 };
}
