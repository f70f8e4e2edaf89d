import type { Fix, Rule } from '../rule';
import { formatPercent } from '../units';
import { callLabel, ownerOf } from './util';
import { availabilityNote, count, entryBudget, fallbackEdit, fixOf, rankedCuts, short } from './model-fixes';

/** Calls listed as related information (and offered a fallback), at most: the ones that win back the most. */
const LISTED = 10;

export const noFallback: Rule = {
  meta: {
    id: 'no-fallback',
    title: 'An entry below its availability budget whose synchronous calls have no fallback',
    category: 'failure',
    defaultSeverity: 'info',
    options: { min: { type: 'percent', default: 0.995, min: 0, description: "The availability an entry must reach when none of its flows sets a budget." } },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    const models = sys.models();
    // One finding per entry, and only where the missing fallbacks cost something: the entry misses its
    // budget. The calls are related information, ranked by what a fallback on each would win back.
    for (const entry of sys.entries()) {
      const budget = entryBudget(entry, ctx, ctx.options.min);
      const a = models.availability(entry);
      if (a.value >= budget.value) continue;
      const ranked = rankedCuts(entry, ctx);
      if (!ranked.length) continue;
      const best = ranked[0];
      const gain = best.after - a.value;
      ctx.report({
        uri: entry.uri,
        span: entry.idSpan,
        message:
          `'${short(entry.id)}' is ${formatPercent(a.value)} available, below ${formatPercent(budget.value)}, and ${count(ranked.length, 'call')} it waits on ${ranked.length === 1 ? 'has' : 'have'} no fallback. ` +
          `When one fails, the user's request fails with it. A fallback on ${callLabel(best.call)} wins back the most` +
          `${gain > 0 ? ` (to ${formatPercent(best.after)})` : ''}: say what the caller does instead, such as a cached answer, a default or a degraded page.`,
        messageId: 'no-fallback',
        related: ranked.slice(0, LISTED).map(({ call, after }) => ({ uri: call.from.uri, span: call.to.span, message: `${callLabel(call)}: a fallback here gives ${formatPercent(after)}` })),
        owners: [ownerOf(entry)],
        data: { entry: entry.id, budget: budget.value },
      });
    }
  },
  fixes(finding, ctx) {
    const entry = ctx.system.services.get(String(finding.data?.entry));
    const budget = Number(finding.data?.budget);
    if (!entry || !Number.isFinite(budget)) return [];
    const fixes: Fix[] = [];
    for (const { call, after } of rankedCuts(entry, ctx).slice(0, LISTED)) {
      const edit = fallbackEdit(call, ctx);
      if (edit) fixes.push({ ...fixOf(`Add a fallback to ${callLabel(call)}${availabilityNote(entry.id, after, budget)}`, [edit]), isPreferred: fixes.length === 0 });
    }
    return fixes;
  },
};
