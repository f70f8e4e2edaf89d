import type { Fix, Report, Rule } from '../rule';
import type { Flow, Service } from '../model';
import { formatPercent } from '../units';
import { setPair } from '../yamledit';
import { callLabel, ownerOf } from './util';
import { callToEventFix } from './refactor';
import { availabilityNote, count, fallbackEdit, fixOf, rankedCuts, short } from './model-fixes';

/** Dependencies listed as related information, at most (the message gives the count of all). */
const RELATED = 20;

export const chainAvailability: Rule = {
  meta: {
    id: 'chain-availability',
    title: "An entry's availability over everything it waits on synchronously, below the budget",
    category: 'communication',
    defaultSeverity: 'warning',
    options: { min: { type: 'percent', default: 0.995, min: 0, description: "The lowest acceptable availability of an entry whose flow sets no availability budget." } },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    const models = sys.models();
    const report = (entry: Service, budget: number, what: string, at: Pick<Report, 'uri' | 'span'>, owner: Flow | Service, messageId: string, flow?: string) => {
      const a = models.availability(entry);
      if (a.value >= budget || a.services.length < 2) return;
      // The least available dependency (the first of equals, as a stable sort by availability would put
      // it) and the most available one's value: one pass, where a sort read each availability many times.
      const deps = a.services.length - 1;
      let least = a.services[1];
      let lowest = sys.availabilityOf(least);
      let highest = lowest;
      for (let i = 2; i < a.services.length; i++) {
        const v = sys.availabilityOf(a.services[i]);
        if (v < lowest) {
          least = a.services[i];
          lowest = v;
        }
        if (v > highest) highest = v;
      }
      // Naming the least available one helps only when it stands out from the rest.
      const weakest = lowest < highest ? ` (the least available is '${least.id}' at ${formatPercent(lowest)})` : '';
      ctx.report({
        ...at,
        message:
          `${what} is ${formatPercent(a.value)} available over ${count(deps, 'synchronous dependency', 'synchronous dependencies')}, below ${formatPercent(budget)}. ` +
          `A request fails when any of them fails${weakest}: ` +
          `add fallbacks where a degraded answer will do, or make calls asynchronous.`,
        messageId,
        related: a.services.slice(0, RELATED).map((s) => ({ uri: s.uri, span: s.availability?.span ?? s.idSpan, message: `${s.id}: ${formatPercent(sys.availabilityOf(s))}` })),
        owners: [ownerOf(owner)],
        data: { entry: entry.id, budget, ...(flow ? { flow } : {}) },
      });
    };
    const flows = [...sys.flows.values()];
    if (flows.length) {
      for (const f of flows) {
        const entry = f.entry && sys.services.get(f.entry.value);
        if (!entry || !f.entry) continue;
        const at = f.availabilityBudget ? { uri: f.uri, span: f.availabilityBudget.span } : { uri: f.uri, span: f.entry.span };
        report(entry, f.availabilityBudget?.value ?? ctx.options.min, `Flow '${short(f.id)}'`, at, f, 'flow', f.id);
      }
      return;
    }
    for (const entry of sys.entries()) report(entry, ctx.options.min, `Entry '${short(entry.id)}'`, { uri: entry.uri, span: entry.idSpan }, entry, 'entry');
  },
  fixes(finding, ctx) {
    const entry = ctx.system.services.get(String(finding.data?.entry));
    const budget = Number(finding.data?.budget);
    if (!entry || !Number.isFinite(budget)) return [];
    const fixes: Fix[] = [];
    const ranked = rankedCuts(entry, ctx).slice(0, 5);
    // The fallback that wins back the most first; each title says where the entry then stands.
    for (const { call, after } of ranked) {
      const edit = fallbackEdit(call, ctx);
      if (edit) fixes.push({ ...fixOf(`Add a fallback to ${callLabel(call)}${availabilityNote(entry.id, after, budget)}`, [edit]), isPreferred: fixes.length === 0 });
    }
    for (const { call, after } of ranked.slice(0, 3)) {
      const file = ctx.file(call.from.uri);
      if (file) fixes.push(fixOf(`Make ${callLabel(call)} asynchronous (style: async)${availabilityNote(entry.id, after, budget)}`, [setPair(call.from.uri, file.text, call.node, 'style', 'async')]));
      const ev = callToEventFix(call, ctx);
      if (ev) fixes.push({ ...ev, title: `${ev.title}${availabilityNote(entry.id, after, budget)}` });
    }
    return fixes;
  },
};
