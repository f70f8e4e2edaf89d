import type { Fix, Rule } from '../rule';
import type { Call } from '../model';
import { formatDuration } from '../units';
import { setPair } from '../yamledit';
import { callLabel, ownerOf } from './util';
import { callToEventFix } from './refactor';
import { costText, count, fixOf, scaledTimeouts, short, shortfallNote, timeoutEdits, waitWith } from './model-fixes';

export const chainLatency: Rule = {
  meta: {
    id: 'chain-latency',
    title: "A flow's worst-case wait (timeouts × attempts, capped by outer timeouts) over its latency budget",
    category: 'communication',
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    const models = sys.models();
    for (const f of sys.flows.values()) {
      const entry = f.entry && sys.services.get(f.entry.value);
      if (!entry || !f.latencyBudget) continue;
      const worst = models.worst(entry);
      // An unbounded wait is missing-timeout's finding: no number here would be true.
      if (!Number.isFinite(worst) || worst <= f.latencyBudget.value) continue;
      const { sequential, parallel, longestParallel } = models.terms(entry);
      const biggest = [...sequential, ...(longestParallel ? [longestParallel] : [])].sort((a, b) => b.cost - a.cost)[0];
      ctx.report({
        uri: f.uri,
        span: f.latencyBudget.span,
        message:
          `Flow '${short(f.id)}' may wait ${formatDuration(worst)} in the worst case, over its ${formatDuration(f.latencyBudget.value)} latency budget. ` +
          `'${entry.id}' makes ${sequential.length ? `${count(sequential.length, 'call')} one after another` : 'no call one after another'}` +
          `${parallel.length ? ` and ${count(parallel.length, 'call')} in parallel` : ''}; the largest part is ${callLabel(biggest.call)} at ${formatDuration(biggest.cost)}, and ` +
          `the user gives up before the system does. Shorten the timeouts, retry less, call in parallel, or take calls off the blocking path.`,
        messageId: 'over-budget',
        related: [...sequential, ...parallel].map((t) => ({ uri: t.call.from.uri, span: t.call.timeout?.span ?? t.call.to.span, message: `${callLabel(t.call)}${t.call.parallel ? ' (parallel)' : ''}: ${costText(models, t.call, t.cost, t.capped)}` })),
        owners: [ownerOf(f)],
        data: { flow: f.id },
      });
    }
  },
  fixes(finding, ctx) {
    const sys = ctx.system;
    const f = sys.flows.get(String(finding.data?.flow));
    const entry = f?.entry && sys.services.get(f.entry.value);
    const budget = f?.latencyBudget?.value;
    if (!f || !entry || budget === undefined) return [];
    const models = sys.models();
    const fixes: Fix[] = [];
    // Shorter timeouts on the entry's own calls: they cap everything below them.
    const scaled = scaledTimeouts(entry, budget, ctx);
    const set = scaled && timeoutEdits(scaled, ctx);
    if (scaled && set && scaled.size) {
      const after = waitWith(entry, scaled, ctx);
      const list = [...scaled].map(([c, ms]) => `${short(c.to.id, 20)}: ${formatDuration(ms)}`).join(', ');
      const remains = after > budget ? `; ${formatDuration(after)} remains, over the budget` : '';
      fixes.push({ ...fixOf(`Shorten the timeouts of '${entry.id}' to fit ${formatDuration(budget)} (${list})${remains}${shortfallNote(set.shortfalls)}`, set.edits), isPreferred: true });
    }
    // Taking one call off the blocking path: async, or an event.
    const { sequential, parallel } = models.terms(entry);
    const ranked = [...sequential, ...parallel].sort((a, b) => b.cost - a.cost).slice(0, 3);
    const without = (c: Call) => {
      const rest = [...sequential, ...parallel].filter((t) => t.call !== c);
      return rest.filter((t) => !t.call.parallel).reduce((a, t) => a + t.cost, 0) + rest.filter((t) => t.call.parallel).reduce((a, t) => Math.max(a, t.cost), 0);
    };
    for (const t of ranked) {
      const file = ctx.file(t.call.from.uri);
      if (!file) continue;
      const left = without(t.call);
      const remains = left > budget ? `; ${formatDuration(left)} remains, over the budget` : '';
      fixes.push(fixOf(`Make ${callLabel(t.call)} asynchronous (style: async)${remains}`, [setPair(t.call.from.uri, file.text, t.call.node, 'style', 'async')]));
      const ev = callToEventFix(t.call, ctx);
      if (ev) fixes.push({ ...ev, title: ev.title + remains });
    }
    return fixes;
  },
};
