/**
 * The connection the server runs on, from its command line as vscode-languageserver reads it (`--stdio`,
 * `--node-ipc`, `--socket=`, `--pipe=`). Over stdio, its messages are written with the server's own JSON
 * encoder (lsp/encoder.ts): the same JSON, with each diagnostic encoded once and diagnostics in ASCII.
 */
import { Console } from 'node:console';
import { createConnection, ProposedFeatures, StreamMessageWriter, type Connection, type MessageReader } from 'vscode-languageserver/node';
import { jsonEncoder } from './encoder';

export function connectionFromArgv(argv: readonly string[] = process.argv): Connection {
  if (!argv.slice(2).includes('--stdio')) return createConnection(ProposedFeatures.all);
  // stdin as the stream it is, as vscode-languageserver takes it for `--stdio` (its types want a reader or
  // two streams; it reads each side on its own): then it exits the server when stdin ends, as before.
  const input = process.stdin as unknown as MessageReader;
  const connection = createConnection(ProposedFeatures.all, input, new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: jsonEncoder() }));
  // stdout carries the protocol: anything a dependency logs goes to stderr, which editors keep in their log.
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  return connection;
}
