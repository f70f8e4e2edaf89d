import type { Rule } from '../rule';
import { setPair } from '../yamledit';
import { callLabel, ownerOf, ownerOfItem, callData, callOfFinding } from './util';

export const unsafeRetry: Rule = {
  meta: {
    id: 'unsafe-retry',
    title: 'Retries on a call that is not idempotent',
    category: 'failure',
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    for (const s of ctx.system.serviceList) {
      for (const c of s.calls) {
        const retries = ctx.system.retriesOf(c);
        if (c.idempotent?.value !== false || retries === 0) continue;
        ctx.report({
          uri: s.uri,
          span: c.retries ? c.retries.span : c.idempotent.span,
          message:
            `The call ${c.from.id} → ${c.to.id} is not idempotent but is retried ${retries} time${retries === 1 ? '' : 's'}${c.retries ? '' : ' (from defaults)'}: when an answer is lost rather than the request, ` +
            `the retry does the work twice (a second charge, a second order). Set retries: 0, or make the call safe to repeat with an idempotency key.`,
          messageId: 'unsafe',
          owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
          data: callData(c),
        });
      }
    }
  },
  fixes(finding, ctx) {
    const found = callOfFinding(finding, ctx);
    if (!found) return [];
    const { call: c, file } = found;
    const s = c.from;
    return [{ title: `Do not retry ${callLabel(c)} (retries: 0)`, kind: 'quickfix', isPreferred: true, edits: [setPair(s.uri, file.text, c.node, 'retries', '0')] }];
  },
};
