import type { Fix, Rule } from '../rule';
import { setPair, yamlScalar } from '../yamledit';
import { callLabel, ownerOf, ownerOfItem, threshold, callData, callOfFinding } from './util';

export const chattyCalls: Rule = {
  meta: {
    id: 'chatty-calls',
    title: 'Many network calls for one incoming request',
    category: 'communication',
    defaultSeverity: 'warning',
    options: {
      max: { type: 'int', default: 4, min: 1, description: 'The most times one call may be made per incoming request.' },
      total: { type: 'int', default: 14, min: 1, description: "The most synchronous calls a service may make per incoming request, summed over its calls." },
    },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const max = threshold(chattyCalls.meta, ctx.options, 'max');
    const total = threshold(chattyCalls.meta, ctx.options, 'total');
    for (const s of ctx.system.services.values()) {
      let sum = 0;
      let unbounded = 0;
      for (const c of s.calls) {
        const per = c.perRequest?.value;
        if (c.style === 'sync') {
          if (per === 'n') unbounded++;
          // Once per item counts as the smallest chatty number, so `n` alone is never below the limit.
          sum += per === 'n' ? max + 1 : (per ?? 1);
        }
        if (per === undefined || (per !== 'n' && per <= max)) continue;
        const what = per === 'n' ? 'once per item (N+1) for each request it serves, with no bound' : `${per} times for each request it serves, over the limit of ${max}`;
        ctx.report({
          uri: s.uri,
          span: c.perRequest!.span,
          message:
            `'${s.id}' calls '${c.to.id}' ${what}. ` +
            `Every call pays for packets, serialisation and a chance to fail, where an in-process call costs nothing. ` +
            `Fetch in one batch operation, cache the answer, or merge the two services.`,
          messageId: per === 'n' ? 'n-plus-one' : 'per-request',
          owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
          data: callData(c),
        });
      }
      if (sum > total) {
        ctx.report({
          uri: s.uri,
          span: s.idSpan,
          message:
            `'${s.id}' makes ${unbounded ? 'at least ' : ''}${sum} synchronous calls for each request it serves, over the limit of ${total}. ` +
            `Their latencies add up, and each of them can fail. Batch them, aggregate them behind one call, or cache the answers.`,
          messageId: 'service-total',
          related: s.calls.filter((c) => c.style === 'sync').map((c) => ({ uri: s.uri, span: c.to.span, message: `${c.perRequest?.value ?? 1} × ${c.to.id}` })),
          owners: [ownerOf(s)],
          data: { service: s.id },
        });
      }
    }
  },
  fixes(finding, ctx) {
    const found = callOfFinding(finding, ctx);
    if (!found) return [];
    const { call: c, file } = found;
    const s = c.from;
    // An identifier-like operation gets a Batch suffix (GetPrice → GetPriceBatch); a REST path or a
    // phrase says it in words, since `POST /orders/{id}Batch` would name nothing real.
    const op = !c.operation ? 'batch' : /^[A-Za-z_][\w.]*$/.test(c.operation.value) ? `${c.operation.value}Batch` : `${c.operation.value} (batched)`;
    const fixes: Fix[] = [
      {
        title: `Batch ${callLabel(c)}: one call per request (perRequest: 1, operation: ${op})`,
        kind: 'quickfix',
        isPreferred: true,
        // The operation is the user's free text: quote it where YAML would misread it (in a flow call,
        // `GET /items/{id}Batch` unquoted breaks the document).
        edits: [setPair(s.uri, file.text, c.node, 'perRequest', '1'), setPair(s.uri, file.text, c.node, 'operation', yamlScalar(op, c.node.flow))],
      },
    ];
    return fixes;
  },
};
