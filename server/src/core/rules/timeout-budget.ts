import type { Rule } from '../rule';
import { formatDuration } from '../units';
import { callLabel, ownerOf, ownerOfItem } from './util';

export const timeoutBudget: Rule = {
  meta: {
    id: 'timeout-budget',
    title: "A caller's timeout shorter than what the callee may spend on its own calls",
    category: 'failure',
    defaultSeverity: 'warning',
    options: {},
    fixable: false,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    // What each service may spend waiting on its own sync calls, in the worst case.
    const inner = new Map<string, number>();
    for (const s of sys.serviceList) {
      let sum = 0;
      for (const c of s.calls) if (c.style === 'sync' && c.to.id !== s.id) sum += (sys.timeoutOf(c) ?? 0) * (sys.retriesOf(c) + 1);
      inner.set(s.id, sum);
    }
    for (const s of sys.serviceList) {
      for (const c of s.calls) {
        if (c.style !== 'sync' || c.to.id === s.id) continue;
        const timeout = sys.timeoutOf(c);
        const spend = inner.get(c.to.id) ?? 0;
        if (timeout === undefined || spend <= timeout) continue;
        const at = c.timeout ?? undefined;
        ctx.report({
          uri: s.uri,
          span: at ? at.span : c.to.span,
          message:
            `'${s.id}' gives up on '${c.to.id}' after ${formatDuration(timeout)}, but '${c.to.id}' may wait ${formatDuration(spend)} on its own calls (timeouts × attempts): ` +
            // Only a caller that retries starts the work again; saying so of one that does not would be wrong.
            `'${s.id}' times out while the work goes on downstream${sys.retriesOf(c) > 0 ? ', and its retry starts it all again' : ', and that work is wasted'}. Shrink the inner timeouts, or pass the deadline down with the request.`,
          messageId: 'budget',
          // The calls the sum is made of, and no others (a self-call is not counted, so it is not listed).
          related: sys.services.get(c.to.id)!.calls.filter((x) => x.style === 'sync' && x.to.id !== x.from.id).map((x) => ({ uri: x.from.uri, span: x.timeout?.span ?? x.to.span, message: `${x.from.id} → ${x.to.id}: ${formatDuration((sys.timeoutOf(x) ?? 0) * (sys.retriesOf(x) + 1))}` })),
          owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
        });
      }
    }
  },
};
