/**
 * The V8 flags the language server runs with (the VS Code client passes them; `npm run bench` starts the
 * server as the client does). Opening a large topology builds its whole model in one burst, tens of
 * megabytes that all stay alive, and V8's defaults are tuned for pages that allocate short-lived objects:
 * a young generation that starts at 1 MB and doubles (14 scavenges, each copying what survived, while
 * opening 1,000 services) and an old generation small enough that a full collection runs half way through.
 * Starting the young generation at 16 MB and the old one at 64 MB took opening the issue-sized
 * 1,000-service file from about 341 to 287 ms (parse and analysis in one process, fastest of ten; GC from
 * about 79 to 55 ms) with the same RSS after open (about 113 MB), since both are sizes to grow to before
 * collecting, not memory taken up front.
 *
 * `--expose-gc` lets the server collect the young generation between keystrokes (server/src/lsp/idle-gc.ts),
 * so that a keystroke's analysis rarely pays for a scavenge.
 *
 * Other editors start `topolint lsp --stdio` with node's defaults; the flags can be given to node there
 * (README, "Other editors"). They cannot be set from inside a running process: V8 reads them when it sets up the heap.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--min-semi-space-size=16', '--initial-old-space-size=64', '--expose-gc'];
