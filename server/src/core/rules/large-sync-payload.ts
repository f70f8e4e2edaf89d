import type { Rule } from '../rule';
import { formatSize } from '../units';
import { callLabel, ownerOf, ownerOfItem } from './util';

export const largeSyncPayload: Rule = {
  meta: {
    id: 'large-sync-payload',
    title: 'A synchronous call that moves a large payload',
    category: 'events',
    defaultSeverity: 'warning',
    options: { max: { type: 'size', default: 1024 * 1024, min: 1, description: 'The largest payload a synchronous call should carry.' } },
    fixable: false,
    acceptable: true,
  },
  check(ctx) {
    for (const s of ctx.system.serviceList) {
      for (const c of s.calls) {
        if (c.style !== 'sync' || !c.payload || c.payload.value <= ctx.options.max) continue;
        ctx.report({
          uri: s.uri,
          span: c.payload.span,
          message:
            `The call ${c.from.id} → ${c.to.id} moves ${formatSize(c.payload.value)} per call (limit ${formatSize(ctx.options.max)}) while the caller waits: serialising and sending that much ` +
            `is slow and fails on any hiccup. Pass a reference to data in a shared store (a bucket, a file), or page through it.`,
          messageId: 'large',
          owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
        });
      }
    }
  },
};
