/**
 * The node flags the language server runs with (the VS Code client passes them; `npm run bench` starts the
 * server as the client does): `--expose-gc`, so that the server can collect the young generation between
 * keystrokes (server/src/lsp/idle-gc.ts) instead of in the middle of a keystroke's analysis.
 *
 * Two heap-size flags were tried and left out: `--min-semi-space-size=16 --initial-old-space-size=64` took
 * parse and analysis of the 1,000-service compact file in one process from 341 to 287 ms (fastest of ten),
 * but over the language server, 6 alternating runs each, first diagnostics moved within the noise (medians
 * 573 ms without, 538 ms with) while the RSS after 20 keystrokes and a full collection rose from about 160
 * to 197 MB.
 *
 * Other editors start `topolint lsp --stdio` with node's defaults; the flag can be given to node there
 * (README, "Other editors"). It cannot be set from inside a running process.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--expose-gc'];
