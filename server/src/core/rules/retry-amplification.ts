import type { Rule, TextEdit } from '../rule';
import type { Call } from '../model';
import { setPair } from '../yamledit';
import { arrowList, callLabel, ownerOf, ownerOfItem } from './util';

export const retryAmplification: Rule = {
  meta: {
    id: 'retry-amplification',
    title: 'Retries at several layers of a synchronous chain that multiply',
    category: 'failure',
    defaultSeverity: 'warning',
    options: { max: { type: 'int', default: 9, min: 2, description: 'Attempts multiplied along a chain at which retries amplify load.' } },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    const products = sys.retryProducts();
    for (const entry of sys.entries()) {
      const v = sys.indexOf.get(entry)!;
      const attempts = products.value[v];
      if (attempts < ctx.options.max) continue;
      const { services, calls } = sys.pathFrom(entry, products);
      const retried = calls.filter((c) => sys.retriesOf(c) > 0);
      // Amplification needs retries at two layers or more: many retries on one call are many retries,
      // and "retry at one layer only" would be no advice for them.
      if (retried.length < 2) continue;
      const first = calls[0];
      ctx.report({
        uri: first.from.uri,
        span: first.to.span,
        message:
          `Retries multiply along ${arrowList(services.map((s) => s.id))}: one request can become ${attempts} calls to '${services[services.length - 1].id}' ` +
          `(limit ${ctx.options.max}), just when it is struggling. Retry at one layer only, the one nearest the user.`,
        messageId: 'amplified',
        related: retried.map((c) => ({ uri: c.from.uri, span: c.retries?.span ?? c.to.span, message: `${callLabel(c)}: ${sys.retriesOf(c) + 1} attempts` })),
        owners: [ownerOfItem(first, callLabel(first)), ownerOf(entry)],
        data: { hops: calls.map((c) => [c.from.id, c.index]) },
      });
    }
  },
  fixes(finding, ctx) {
    const hops = (finding.data?.hops ?? []) as [string, number][];
    const calls = hops.map(([from, index]) => ctx.system.services.get(from)?.calls.find((c) => c.index === index)).filter((c): c is Call => !!c);
    // Keep the retries of the retrying hop nearest the user and drop the others. (Zeroing every hop but
    // the first removed all retries when the first hop did not retry at all.)
    const keep = calls.findIndex((c) => ctx.system.retriesOf(c) > 0);
    if (keep < 0) return [];
    const edits: TextEdit[] = [];
    for (const c of calls.slice(keep + 1)) {
      const file = ctx.file(c.from.uri);
      if (file && ctx.system.retriesOf(c) > 0) edits.push(setPair(c.from.uri, file.text, c.node, 'retries', '0'));
    }
    return edits.length ? [{ title: `Retry only at ${callLabel(calls[keep])}: set retries: 0 on the hops after it`, kind: 'quickfix', edits }] : [];
  },
};
