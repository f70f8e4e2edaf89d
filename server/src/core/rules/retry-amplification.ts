import type { Rule, TextEdit } from '../rule';
import type { Call } from '../model';
import { bestPaths } from '../graph';
import { setPair } from '../yamledit';
import { arrowList, callLabel, ownerOf, ownerOfItem, threshold } from './util';

export const retryAmplification: Rule = {
  meta: {
    id: 'retry-amplification',
    title: 'Retries at several layers of a synchronous chain that multiply',
    category: 'failure',
    defaultSeverity: 'warning',
    options: { max: { type: 'int', default: 8, min: 1, description: 'The most attempts that retries multiplied along a chain may make of one call.' } },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    const products = sys.retryProducts();
    const max = threshold(retryAmplification.meta, ctx.options, 'max');
    for (const entry of sys.entries()) {
      const v = sys.indexOf.get(entry)!;
      const attempts = products.value[v];
      if (attempts <= max) continue;
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
          `Retries multiply from '${entry.id}': one request can make ${attempts} calls to '${services[services.length - 1].id}', over the limit of ${max}. ` +
          `Along ${arrowList(services.map((s) => s.id))} each layer retries what the layer below already retried, ` +
          `so the load grows just when the last service is struggling. Retry at one layer only, the one nearest the user.`,
        messageId: 'amplified',
        related: retried.map((c) => ({ uri: c.from.uri, span: c.retries?.span ?? c.to.span, message: `${callLabel(c)}: ${sys.retriesOf(c) + 1} attempts` })),
        owners: [ownerOfItem(first, callLabel(first)), ownerOf(entry)],
        data: { entry: entry.id, hops: calls.map((c) => [c.from.id, c.index]) },
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
    const zeroed = new Set<Call>();
    for (const c of calls.slice(keep + 1)) {
      const file = ctx.file(c.from.uri);
      if (file && ctx.system.retriesOf(c) > 0) {
        edits.push(setPair(c.from.uri, file.text, c.node, 'retries', '0'));
        zeroed.add(c);
      }
    }
    if (!edits.length) return [];
    // Another chain from the entry may multiply retries too: say so rather than promise a clean result.
    const sys = ctx.system;
    const entry = sys.services.get(String(finding.data?.entry ?? hops[0]?.[0]));
    let remains = '';
    if (entry) {
      const attempts = (c: Call) => (zeroed.has(c) ? 1 : sys.retriesOf(c) + 1);
      const after = bestPaths(sys.syncGraph, sys.syncComponents(), (v, k) => attempts(sys.syncEdgeCalls[v][k]), (edge, rest) => edge * rest, 1);
      const v = sys.indexOf.get(entry)!;
      const path = sys.pathFrom(entry, after);
      const max = threshold(retryAmplification.meta, ctx.options, 'max');
      if (after.value[v] > max && path.calls.filter((c) => attempts(c) > 1).length >= 2) {
        remains = `; ${after.value[v]} attempts via ${path.services[1]?.id ?? entry.id} remain`;
      }
    }
    return [{ title: `Retry only at ${callLabel(calls[keep])}: set retries: 0 on the hops after it${remains}`, kind: 'quickfix', edits }];
  },
};
