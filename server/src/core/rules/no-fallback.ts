import type { Rule } from '../rule';
import { setPair } from '../yamledit';
import { callLabel, ownerOf, ownerOfItem, callData, callOfFinding } from './util';

export const noFallback: Rule = {
  meta: {
    id: 'no-fallback',
    title: 'A user-facing synchronous call with no fallback to a callee with no service level objective',
    category: 'failure',
    defaultSeverity: 'info',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    for (const s of sys.userFacing()) {
      for (const c of s.calls) {
        const callee = sys.services.get(c.to.id);
        // Only the callee's own slo is a promise someone made about it. `defaults.availability` is the
        // file's assumption for services that promise nothing; skipping on it silenced the rule for
        // every file that sets one.
        if (c.style !== 'sync' || c.fallback || !callee || callee === s || callee.availability) continue;
        ctx.report({
          uri: s.uri,
          span: c.to.span,
          message:
            `A user request reaches ${callLabel(c)}, which has no fallback, and '${c.to.id}' promises no availability (no slo): when it fails, the user's request fails. ` +
            `Say what '${s.id}' does instead (a cached answer, a default, a degraded page), or give '${c.to.id}' an slo.`,
          messageId: 'no-fallback',
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
    return [{ title: `Add a fallback to ${callLabel(c)}`, kind: 'quickfix', edits: [setPair(s.uri, file.text, c.node, 'fallback', '"TODO: what the caller does when this call fails"')] }];
  },
};
