import type { Rule } from '../rule';

const fileName = (uri: string) => decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));

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
      const why = 'References cannot tell the two apart, and only the first one read counts. Rename or remove one.';
      if (d.first.uri === d.again.uri) {
        ctx.report({
          uri: d.again.uri,
          span: d.again.idSpan,
          message: `The ${d.kind} id '${d.again.id}' is already defined above. ${why}`,
          messageId: 'duplicate',
          related: [{ uri: d.first.uri, span: d.first.idSpan, message: 'first defined here' }],
        });
        continue;
      }
      // Across files, both definitions are reported: whichever file the reader has open, it shows.
      ctx.report({
        uri: d.again.uri,
        span: d.again.idSpan,
        message: `The ${d.kind} id '${d.again.id}' is also defined in ${fileName(d.first.uri)}. ${why}`,
        messageId: 'duplicate-across-files',
        related: [{ uri: d.first.uri, span: d.first.idSpan, message: `also defined in ${fileName(d.first.uri)}` }],
      });
      ctx.report({
        uri: d.first.uri,
        span: d.first.idSpan,
        message: `The ${d.kind} id '${d.again.id}' is also defined in ${fileName(d.again.uri)}. ${why}`,
        messageId: 'duplicate-across-files',
        related: [{ uri: d.again.uri, span: d.again.idSpan, message: `also defined in ${fileName(d.again.uri)}` }],
      });
    }
  },
};
