import type { Rule } from '../engine';

export const duplicateId: Rule = {
  meta: {
    id: 'duplicate-id',
    title: 'An id defined twice, in the file or across its imports',
    category: 'structure',
    alwaysOn: true,
    defaultSeverity: 'error',
    options: {},
    fixable: false,
    acceptable: false,
  },
  check(ctx) {
    for (const d of ctx.system.duplicates) {
      const sameFile = d.first.uri === d.again.uri;
      ctx.report({
        uri: d.again.uri,
        span: d.again.idSpan,
        message: `The ${d.kind} id '${d.again.id}' is already defined ${sameFile ? 'above' : 'in an imported file'}; references cannot tell the two apart, and only the first counts. Rename or remove one.`,
        messageId: 'duplicate',
        related: [{ uri: d.first.uri, span: d.first.idSpan, message: 'first defined here' }],
      });
    }
  },
};
