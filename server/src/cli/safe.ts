/**
 * Terminal safety: ids, paths and reasons in a topology can hold control characters, and `\e]0;…` or
 * `\e[2J` written raw retitle or clear the user's terminal (or a CI log viewer). Every string taken from
 * the input is passed through `safe` before the CLI's text output, on a TTY or not.
 */

/** C0 (but tab), DEL and C1 control characters, shown as \xNN; line breaks as \n and \r. */
export function safe(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this escapes.
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (ch) => (ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
