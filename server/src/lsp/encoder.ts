/**
 * The bytes of every message the server writes over a stream (`--stdio`): vscode-jsonrpc's own JSON
 * encoding, made faster for the one large message, a file's diagnostics.
 *
 * A keystroke that changes one finding re-sends the file's whole list (LSP has no partial update):
 * 0.8 MB at 1,000 services, 4.2 MB at 5,000. The default encoder turns it into one string, then into
 * UTF-8; the messages hold `→`, so the string is two-byte and the conversion alone took 7–14 ms at 1k and
 * most of 73 ms at 5k. Here each diagnostic's bytes are made once and kept with the diagnostic (a
 * WeakMap), and a publication joins the bytes of the diagnostics it holds: convert.ts's `diagnosticsOf`
 * keeps the diagnostic objects of unchanged findings, so only the changed ones are encoded again.
 *
 * A diagnostics notification is written in ASCII: every other character as a JSON `\uXXXX` escape. It is
 * the same JSON, and the client decodes it about twice as fast (a one-byte string; 6.5 → 3 ms at 1k, 28 →
 * 12.5 ms at 5k). Every other message is vscode-jsonrpc's bytes exactly.
 *
 * Invariant: a Diagnostic, once published, is never changed in place (convert.ts builds a new one for a
 * finding that changed). test/unit/lsp/encoder.test.ts holds the output to the default encoder's: the same
 * JSON, in ASCII, for diagnostics; the same bytes for the rest.
 */
import type { ContentTypeEncoder, ContentTypeEncoderOptions, Diagnostic, Message } from 'vscode-languageserver/node';

const PUBLISH = 'textDocument/publishDiagnostics';

/** The JSON of a diagnostics notification, in the order vscode-jsonrpc writes it (see `publishParts`). */
interface PublishMessage {
  jsonrpc: string;
  method: typeof PUBLISH;
  params: { uri: string; version?: number | null; diagnostics: Diagnostic[] };
}

/**
 * The notification's parts, where its shape is the one vscode-languageserver sends (`jsonrpc`, `method`,
 * `params`; the params `uri`, perhaps `version`, `diagnostics`, in that order, and nothing else): JSON
 * text before the list, the list, and the text after it. Anything else is encoded whole.
 */
function publishParts(msg: Message): { head: string; list: Diagnostic[] } | undefined {
  const m = msg as Partial<PublishMessage>;
  if (m.method !== PUBLISH || !m.params || !Array.isArray(m.params.diagnostics)) return undefined;
  // Anything that serialises itself, and any item that is not a plain object (JSON.stringify writes an
  // undefined item, a function or a hole as null), is left to JSON.stringify.
  if ('toJSON' in m || 'toJSON' in m.params || 'toJSON' in m.params.diagnostics) return undefined;
  const list = m.params.diagnostics;
  for (let i = 0; i < list.length; i++) {
    const d: unknown = list[i];
    if (d === null || typeof d !== 'object' || 'toJSON' in d) return undefined;
  }
  const keys = Object.keys(m);
  if (keys.length !== 3 || keys[0] !== 'jsonrpc' || keys[1] !== 'method' || keys[2] !== 'params') return undefined;
  const p = m.params;
  const pk = Object.keys(p);
  const withVersion = pk.length === 3 && pk[0] === 'uri' && pk[1] === 'version' && pk[2] === 'diagnostics';
  if (!withVersion && !(pk.length === 2 && pk[0] === 'uri' && pk[1] === 'diagnostics')) return undefined;
  if (typeof p.uri !== 'string' || typeof m.jsonrpc !== 'string') return undefined;
  // JSON.stringify leaves out a key whose value is undefined.
  const version = withVersion && p.version !== undefined ? `,"version":${JSON.stringify(p.version)}` : '';
  return { head: `{"jsonrpc":${JSON.stringify(m.jsonrpc)},"method":"${PUBLISH}","params":{"uri":${JSON.stringify(p.uri)}${version},"diagnostics":[`, list: p.diagnostics };
}

/** Every character outside ASCII, for a JSON escape (JSON.stringify already escapes the controls). */
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;
// eslint-disable-next-line no-control-regex
const NON_ASCII_ALL = /[^\u0000-\u007f]/g;
const escapeUnit = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** JSON text as ASCII bytes: the characters outside ASCII (each UTF-16 unit of a pair too) escaped. */
function ascii(json: string): Buffer {
  return Buffer.from(NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, escapeUnit) : json, 'latin1');
}

const COMMA = Buffer.from(',');
const TAIL = Buffer.from(']}}');

/** A content-type encoder for vscode-jsonrpc's stream writer, with its own cache of diagnostics' bytes. */
export function jsonEncoder(): ContentTypeEncoder {
  const bytes = new WeakMap<Diagnostic, Buffer>();
  const of = (d: Diagnostic): Buffer => {
    let b = bytes.get(d);
    if (!b) {
      // A diagnostic is an object without toJSON (publishParts), so its JSON is the same inside the list.
      b = ascii(JSON.stringify(d));
      bytes.set(d, b);
    }
    return b;
  };
  return {
    name: 'application/json',
    encode(msg: Message, options: ContentTypeEncoderOptions): Promise<Uint8Array> {
      try {
        const parts = options.charset === 'utf-8' ? publishParts(msg) : undefined;
        if (!parts) return Promise.resolve(Buffer.from(JSON.stringify(msg, undefined, 0), options.charset));
        const chunks: Buffer[] = [ascii(parts.head)];
        for (let i = 0; i < parts.list.length; i++) {
          if (i > 0) chunks.push(COMMA);
          chunks.push(of(parts.list[i]));
        }
        chunks.push(TAIL);
        return Promise.resolve(Buffer.concat(chunks));
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
}
