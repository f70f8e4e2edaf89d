import type { Rule } from '../rule';
import { formatDuration } from '../units';
import { setPair } from '../yamledit';
import { callLabel, ownerOf, ownerOfItem, callData, callOfFinding } from './util';

export const longRunningSync: Rule = {
  meta: {
    id: 'long-running-sync',
    title: 'A synchronous call allowed to take very long',
    category: 'failure',
    defaultSeverity: 'warning',
    options: { max: { type: 'duration', default: 30_000, min: 1, description: 'The longest timeout a synchronous call may have, in milliseconds.' } },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    for (const s of ctx.system.serviceList) {
      for (const c of s.calls) {
        const t = ctx.system.timeoutOf(c);
        if (c.style !== 'sync' || t === undefined || t <= ctx.options.max) continue;
        ctx.report({
          uri: s.uri,
          span: c.timeout ? c.timeout.span : c.to.span,
          message:
            `The call ${c.from.id} → ${c.to.id} may block for ${formatDuration(t)}, over the limit of ${formatDuration(ctx.options.max)}. ` +
            `Long-running work held open as a blocking call ties up the caller, and the answer is lost if either side restarts. ` +
            `Make it asynchronous request-response over a queue (style: async).`,
          messageId: 'long',
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
    return [{ title: `Make ${callLabel(c)} asynchronous (style: async)`, kind: 'quickfix', isPreferred: true, edits: [setPair(s.uri, file.text, c.node, 'style', 'async')] }];
  },
};
