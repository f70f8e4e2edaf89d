import type { Fix, Rule } from '../rule';
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
            `The call ${c.from.id} → ${c.to.id} is not idempotent, but it is retried ${retries === 1 ? 'once' : `${retries} times`}${c.retries ? '' : ' (from defaults)'}. ` +
            `When the answer is lost rather than the request, the retry does the work twice (a second charge, a second order). ` +
            `Set retries: 0, or make the call safe to repeat with an idempotency key.`,
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
    const fixes: Fix[] = [{ title: `Do not retry ${callLabel(c)} (retries: 0)`, kind: 'quickfix', isPreferred: true, edits: [setPair(s.uri, file.text, c.node, 'retries', '0')] }];
    // Keeping the retries is safe once the caller sends an idempotency key and the callee drops repeats.
    // The DSL has no key for that, so the fix marks the call idempotent and, in block style, says how in
    // a comment (a comment inside a flow map would swallow the rest of its line).
    if (c.idempotent) {
      const note = c.node.flow ? 'true' : 'true   # with an idempotency key: the caller sends one per operation, the callee drops repeats';
      fixes.push({
        title: `Keep the retries and make ${callLabel(c)} safe to repeat with an idempotency key (idempotent: true${c.node.flow ? '' : ', with a note'})`,
        kind: 'quickfix',
        edits: [setPair(s.uri, file.text, c.node, 'idempotent', note)],
      });
    }
    return fixes;
  },
};
