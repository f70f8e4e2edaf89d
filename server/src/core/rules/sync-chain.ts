import type { Fix, Rule } from '../rule';
import type { Call } from '../model';
import { formatPercent } from '../units';
import { setPair } from '../yamledit';
import { arrowList, callLabel, ownerOf, ownerOfItem, threshold } from './util';
import { callToEventFix } from './refactor';

export const syncChain: Rule = {
  meta: {
    id: 'sync-chain',
    title: 'A synchronous chain from an entry that blocks through too many services',
    category: 'communication',
    defaultSeverity: 'warning',
    options: { max: { type: 'int', default: 3, min: 1, description: 'The most services a synchronous chain may visit.' } },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const max = threshold(syncChain.meta, ctx.options, 'max');
    for (const entry of ctx.system.entries()) {
      const chain = ctx.system.chainFrom(entry);
      // An entry that calls nobody is no chain, whatever the limit (and has no first call to point at).
      if (chain.services.length <= max || chain.calls.length === 0) continue;
      const availability = chain.services.reduce((a, s) => a * ctx.system.availabilityOf(s), 1);
      const first = chain.calls[0];
      ctx.report({
        uri: first.from.uri,
        span: first.to.span,
        message:
          `${chain.services.length} services block in a row (${arrowList(chain.services.map((s) => s.id))}), over the limit of ${max}: ` +
          `if any one is slow or down the whole request fails and holds resources all along the chain; chain availability ${formatPercent(availability)}. ` +
          `Make a hop asynchronous or turn it into an event.`,
        messageId: 'too-long',
        related: chain.calls.map((c, i) => ({ uri: c.from.uri, span: c.to.span, message: `hop ${i + 1}: ${c.from.id} → ${c.to.id}` })),
        owners: [ownerOfItem(first, callLabel(first)), ownerOf(entry)],
        data: { hops: chain.calls.map((c) => [c.from.id, c.index]) },
      });
    }
  },
  fixes(finding, ctx) {
    const hops = (finding.data?.hops ?? []) as [string, number][];
    const calls = hops
      .map(([from, index]) => ctx.system.services.get(from)?.calls.find((c) => c.index === index))
      .filter((c): c is Call => !!c);
    const fixes: Fix[] = [];
    // The hop furthest from the user first: it breaks the chain where the fewest callers notice.
    for (const c of [...calls].reverse()) {
      const file = ctx.file(c.from.uri);
      if (!file) continue;
      fixes.push({ title: `Make ${callLabel(c)} asynchronous (style: async)`, kind: 'quickfix', edits: [setPair(c.from.uri, file.text, c.node, 'style', 'async')] });
    }
    for (const c of [...calls].reverse()) {
      const fix = callToEventFix(c, ctx);
      if (fix) fixes.push(fix);
    }
    return fixes;
  },
};
