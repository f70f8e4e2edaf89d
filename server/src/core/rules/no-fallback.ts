import type { Rule } from '../engine';
import { setPair } from '../yamledit';
import { callLabel, ownerOf, ownerOfItem } from './util';

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
    const reach = sys.reachableFromExternal();
    for (const s of reach) {
      for (const c of s.calls) {
        const callee = sys.services.get(c.to.id);
        // A callee whose availability is stated (its slo, or the file's defaults.availability) is a known risk.
        if (c.style !== 'sync' || c.fallback || !callee || callee === s || callee.availability || sys.file(callee.uri)?.defaults.availability) continue;
        ctx.report({
          uri: s.uri,
          span: c.to.span,
          message:
            `A user request reaches ${callLabel(c)}, which has no fallback, and '${c.to.id}' promises no availability (no slo): when it fails, the user's request fails. ` +
            `Say what '${s.id}' does instead (a cached answer, a default, a degraded page), or give '${c.to.id}' an slo.`,
          messageId: 'no-fallback',
          owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
          data: { service: s.id, index: c.index },
        });
      }
    }
  },
  fixes(finding, ctx) {
    const s = ctx.system.services.get(String(finding.data?.service));
    const c = s?.calls.find((x) => x.index === finding.data?.index);
    const file = s && ctx.file(s.uri);
    if (!s || !c || !file) return [];
    return [{ title: `Add a fallback to ${callLabel(c)}`, kind: 'quickfix', edits: [setPair(s.uri, file.text, c.node, 'fallback', '"TODO: what the caller does when this call fails"')] }];
  },
};
