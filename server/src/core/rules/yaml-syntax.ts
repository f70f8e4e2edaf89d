import type { Rule } from '../rule';
import { span } from '../span';

/**
 * Our own words for each of the `yaml` library's error codes (its wording may change between versions;
 * its codes are stable). RESOURCE_LIMIT is ours: the limits in ynode.ts.
 */
const MESSAGES: Record<string, string> = {
  ALIAS_PROPS: 'An alias cannot carry an anchor or a tag.',
  BAD_ALIAS: 'This alias names no anchor, or an anchor that contains the alias itself.',
  BAD_DIRECTIVE: 'This directive is not one YAML knows.',
  BAD_DQ_ESCAPE: 'This escape sequence is not valid in a double-quoted string.',
  BAD_INDENT: 'The indentation here does not line up with the lines around it.',
  BAD_PROP_ORDER: 'Anchors and tags must come before the value they apply to.',
  BAD_SCALAR_START: 'A plain value cannot start with this character; quote it.',
  BLOCK_AS_IMPLICIT_KEY: 'A block value cannot be used as a key.',
  BLOCK_IN_FLOW: 'Block syntax cannot appear inside [ ] or { }.',
  DUPLICATE_KEY: 'This key is given twice in the same map.',
  IMPOSSIBLE: 'The YAML reader failed on this text.',
  INVALID_UTF8: 'This file is not valid UTF-8 here: a byte sequence that is no character (shown as \u{FFFD}) or a NUL byte.',
  KEY_OVER_1024_CHARS: 'A key on one line cannot be longer than 1,024 characters.',
  MISSING_CHAR: 'A closing character is missing (a quote, ] or }).',
  MULTILINE_IMPLICIT_KEY: 'A key must fit on one line; is a colon or an indent missing above?',
  MULTIPLE_ANCHORS: 'A value can carry only one anchor.',
  MULTIPLE_DOCS: 'A topology file holds one YAML document; this starts a second one.',
  MULTIPLE_TAGS: 'A value can carry only one tag.',
  NON_STRING_KEY: 'Keys must be plain names, not lists or maps.',
  RESOURCE_EXHAUSTION: 'This YAML nests too deeply or expands too far to read safely.',
  TAB_AS_INDENT: 'YAML does not allow tabs for indentation; use spaces.',
  TAG_RESOLVE_FAILED: 'This tag is not one YAML knows, or its value does not fit it.',
  UNEXPECTED_TOKEN: 'This text is not valid YAML here.',
  BAD_COLLECTION_TYPE: 'This collection does not fit its tag.',
  RESOURCE_LIMIT: 'Not read: this is over the limits that keep the analysis fast and safe',
};

/**
 * The message for a problem: the code's own words, made specific where the text shows the usual cause
 * (an unclosed bracket reported as bad indentation; `key: value: more`, a second unquoted ': ').
 */
function explain(code: string, text: string, at: number): string {
  const ch = text[at];
  if ((code === 'BAD_INDENT' || code === 'MISSING_CHAR' || code === 'UNEXPECTED_TOKEN') && (ch === '[' || ch === '{')) {
    return `This '${ch}' is not closed: add '${ch === '[' ? ']' : '}'}' where the list or map ends.`;
  }
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    const line = text.slice(text.lastIndexOf('\n', at - 1) + 1, text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at));
    if (/:\s+[^'"#\s][^#]*:\s/.test(line)) return "This line has a second ': ' in its value, which YAML reads as a new key: put the value in quotes.";
  }
  return MESSAGES[code] ?? 'This text is not valid YAML here.';
}

export const yamlSyntax: Rule = {
  meta: {
    id: 'yaml-syntax',
    title: 'YAML the parser rejects',
    category: 'structure',
    alwaysOn: true,
    defaultSeverity: 'error',
    options: {},
    fixable: false,
    acceptable: false,
  },
  check(ctx) {
    for (const f of ctx.files) {
      const seen = new Set<string>();
      for (const p of f.yaml.problems) {
        // The parser points past the end of the text for what is missing at the end (an unclosed quote):
        // keep the span inside the document, on its last character.
        const len = f.text.length;
        const start = Math.min(p.span.start, Math.max(0, len - 1));
        const at = span(start, Math.min(Math.max(p.span.end, start + 1), len));
        // Our message depends on the code only: two problems with one code at one place (the parser
        // repeats some, and clamping can bring two together at the end) would read as duplicates.
        const key = `${p.code}@${at.start}-${at.end}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const base = explain(p.code, f.text, at.start);
        const message = p.code === 'RESOURCE_LIMIT' ? `${base}: ${p.detail}.` : `${base} The rest of the file is still checked.`;
        ctx.report({ uri: f.uri, span: at, message, messageId: p.code, data: { code: p.code } });
      }
    }
  },
};
