import type { Rule } from '../rule';
import { eol, insertPair, insertUnderEmpty, replaceNode } from '../yamledit';

/** Placeholder values for required keys, so "insert required key" leaves a document that parses. */
const PLACEHOLDER: Record<string, string> = { topology: 'my-system', to: 'service-id', event: 'event-id', store: 'datastore-id', entry: 'service-id', rule: 'rule-id', name: 'field-name' };

export const schema: Rule = {
  meta: {
    id: 'schema',
    title: 'Unknown key, wrong type, bad unit, missing required key or out-of-range number',
    category: 'structure',
    alwaysOn: true,
    defaultSeverity: 'error',
    options: {},
    fixable: true,
    acceptable: false,
  },
  check(ctx) {
    for (const f of ctx.files) {
      f.schema.forEach((p, index) => {
        ctx.report({ uri: f.uri, span: p.span, message: p.message, messageId: p.kind, severity: p.severity, data: { index, suggestion: p.suggestion, missing: p.missing?.key } });
      });
    }
  },
  fixes(finding, ctx) {
    const file = ctx.file(finding.uri);
    const index = finding.data?.index;
    if (!file || typeof index !== 'number') return [];
    const p = file.schema[index];
    if (!p) return [];
    if (p.suggestion) {
      return [{ title: `Change to '${p.suggestion}'`, kind: 'quickfix', isPreferred: true, edits: [replaceNode(finding.uri, p, p.suggestion)] }];
    }
    if (p.missing) {
      const key = p.missing.key;
      const value = key === 'services' ? { block: ['my-service:'] } : { inline: PLACEHOLDER[key] ?? '""' };
      // The system's name goes first, where readers look for it (after any leading comments).
      if (key === 'topology' && !p.missing.parentPair) {
        const at = file.topology.root?.span.start ?? 0;
        return [{ title: "Add 'topology:' with the system's name", kind: 'quickfix', edits: [{ uri: finding.uri, span: { start: at, end: at }, newText: `topology: ${PLACEHOLDER.topology}${eol(file.text)}` }] }];
      }
      // A block map with pairs, or a flow map (an empty `{}` included), takes the key in its own style.
      if (p.missing.map && p.missing.map.kind === 'map' && (p.missing.map.pairs.length > 0 || p.missing.map.flow)) {
        return [{ title: `Add the required key '${key}'`, kind: 'quickfix', edits: [insertPair(finding.uri, file.text, p.missing.map, key, value)] }];
      }
      if (p.missing.parentPair && !p.missing.parentPair.value) {
        return [{ title: `Add the required key '${key}'`, kind: 'quickfix', edits: [insertUnderEmpty(finding.uri, file.text, p.missing.parentPair, key, value)] }];
      }
      if (key === 'topology' && !p.missing.parentPair) {
        return [{ title: "Add 'topology:' with the system's name", kind: 'quickfix', edits: [{ uri: finding.uri, span: { start: 0, end: 0 }, newText: `topology: ${PLACEHOLDER.topology}${eol(file.text)}` }] }]; // The file's own line break (CRLF stays CRLF).
      }
    }
    return [];
  },
};
