/**
 * The node flags the language server runs with (the VS Code client passes them; `npm run bench` starts the
 * server as the client does):
 * - `--expose-gc`, so that the server can collect the young generation between keystrokes
 *   (server/src/lsp/idle-gc.ts) instead of in the middle of a keystroke's analysis;
 * - `--min-semi-space-size=16`: the young generation starts at the 16 MB it grows to anyway, instead of
 *   1 MB. Reading a file builds a tree that lives on, and with the small young generation it was copied
 *   scavenge after scavenge while it grew. First diagnostics of the 1,000-service compact file over stdio,
 *   10 alternating runs each (scripts/profile-server.ts --edits 0): median 466 → 420 ms, server CPU 683 →
 *   632 ms; at 5,000 services and on the keystrokes no change beyond the noise; the RSS after opening and
 *   after keystrokes the same (117 and 136–142 MB at 1k, 337–340 MB after keystrokes at 5k).
 *
 * Left out: `--initial-old-space-size=64` (with the semi-space flag, the RSS after 20 keystrokes and a
 * full collection rose from about 160 to 197 MB), and a 32 MB young generation (RSS +30 MB, no faster).
 *
 * Other editors start `topolint lsp --stdio` with node's defaults; the flags can be given to node there
 * (README, "Other editors"). They cannot be set from inside a running process.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--expose-gc', '--min-semi-space-size=16'];
