/**
 * Recognises a topology written in a plain `.yaml` file: its first key is `topology`. Pure (no `vscode`
 * import) so the manifest test can check it.
 */

/** How many lines to look through for the first key; comments above it rarely run longer. */
export const MAX_HEADER_LINES = 200;

const TOPOLOGY_KEY = /^(?:topology|"topology"|'topology')[ \t]*:(?:[ \t]|$)/;

/**
 * Whether the first key of a YAML text, after blank lines, comments, directives and a `---` document
 * start, is `topology:` at the start of a line.
 */
export function isTopologyYaml(text: string): boolean {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let n = 0; n < MAX_HEADER_LINES && start <= text.length; n++) {
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl < 0 ? text.length : nl).replace(/\r$/, '');
    start = nl < 0 ? text.length + 1 : nl + 1;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || line.startsWith('%')) continue;
    // `---` may carry the first node on its own line: `--- topology: x` is rare but valid YAML.
    const doc = /^---(?:[ \t]+(.*))?$/.exec(line);
    if (doc) {
      const rest = (doc[1] ?? '').trim();
      if (rest === '' || rest.startsWith('#')) continue;
      return TOPOLOGY_KEY.test(rest);
    }
    return TOPOLOGY_KEY.test(line);
  }
  return false;
}
