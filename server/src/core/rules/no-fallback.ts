import type { Rule } from '../engine';
import type { Service } from '../model';
import type { System } from '../system';
import { setPair } from '../yamledit';
import { callLabel, ownerOf, ownerOfItem, callData, callOfFinding } from './util';

/**
 * Services a user request reaches synchronously: from every external service, and from every flow's
 * entry (a flow is, by definition, a user request entering there, whatever the entry's exposure).
 */
function userFacing(sys: System): Set<Service> {
  const seen = new Set<Service>(sys.reachableFromExternal());
  const stack: Service[] = [];
  for (const f of sys.flows.values()) {
    const entry = f.entry && sys.services.get(f.entry.value);
    if (entry && !seen.has(entry)) {
      seen.add(entry);
      stack.push(entry);
    }
  }
  while (stack.length) {
    const v = sys.indexOf.get(stack.pop()!)!;
    for (const w of sys.syncGraph.succ[v]) {
      const t = sys.serviceList[w];
      if (!seen.has(t)) {
        seen.add(t);
        stack.push(t);
      }
    }
  }
  return seen;
}

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
    for (const s of userFacing(sys)) {
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
