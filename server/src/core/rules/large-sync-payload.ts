import type { Rule } from '../rule';
import { formatSize } from '../units';
import { setPair } from '../yamledit';
import { callData, callLabel, callOfFinding, ownerOf, ownerOfItem } from './util';

export const largeSyncPayload: Rule = {
  meta: {
    id: 'large-sync-payload',
    title: 'A synchronous call that moves a large payload',
    category: 'events',
    defaultSeverity: 'warning',
    options: { max: { type: 'size', default: 1024 * 1024, min: 1, description: 'The largest payload a synchronous call should carry.' } },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    for (const s of ctx.system.serviceList) {
      for (const c of s.calls) {
        if (c.style !== 'sync' || !c.payload || c.payload.value <= ctx.options.max) continue;
        // Just over the limit rounds to the limit ("1MB, over the limit of 1MB"): then the bytes say it.
        const size = formatSize(c.payload.value) === formatSize(ctx.options.max) ? `${c.payload.value} bytes` : formatSize(c.payload.value);
        ctx.report({
          uri: s.uri,
          span: c.payload.span,
          message:
            `The call ${c.from.id} → ${c.to.id} moves ${size} per call, over the limit of ${formatSize(ctx.options.max)}. ` +
            `The caller waits while that much is serialised and sent, and any hiccup on the way fails the call. ` +
            `Pass a reference to the data in a shared store (a bucket, a file), or page through it.`,
          messageId: 'large',
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
    // The call carries the data's location; the body goes to a store both sides can read. In block style a
    // comment says so (a comment inside a flow map would swallow the rest of its line).
    const value = c.node.flow ? '1KB' : '1KB   # a reference: the body is stored where the callee reads it';
    return [
      {
        title: `Pass a reference instead of the data on ${callLabel(c)} (payload: 1KB; store the body where both can read it)`,
        kind: 'quickfix',
        isPreferred: true,
        edits: [setPair(c.from.uri, file.text, c.node, 'payload', value)],
      },
    ];
  },
};
