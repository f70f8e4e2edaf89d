/**
 * Wording and fixes shared by the rules that read the shared models (models.ts): chain-latency,
 * chain-availability, timeout-budget, no-fallback, fan-out. Each fix here says in its title what it
 * leaves or adds, so that applying it never silently leaves its finding.
 */
import type { Fix, FixContext, TextEdit } from '../rule';
import type { Call, Service } from '../model';
import { formatDuration, formatPercent } from '../units';
import { setPair, yamlScalar } from '../yamledit';

/** An id as a message shows it in its first sentence: long (hostile) ids are shortened to stay on one line. */
export function short(id: string, max = 28): string {
  return id.length <= max ? id : `${id.slice(0, max - 1)}…`;
}

/** "1 service", "2 services". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A duration written the way the DSL reads it back exactly: whole seconds, else whole ms (1.1s reads as 1100.0000000000002). */
export function durationText(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** "600ms × 2 attempts = 1.2s", or "1.2s" when nothing multiplies. */
export function costText(models: ReturnType<FixContext['system']['models']>, c: Call, cost: number, capped: boolean): string {
  if (!Number.isFinite(cost)) return 'no timeout: unbounded';
  const k = models.perRequest(c) * models.attempts(c);
  const parts: string[] = [];
  const per = models.perRequest(c);
  const att = models.attempts(c);
  if (per > 1) parts.push(c.perRequest?.value === 'n' ? `n (${per}) per request` : `${per} per request`);
  if (att > 1) parts.push(`${att} attempts`);
  const base = capped ? `timeout ${formatDuration(cost / k)}` : `waits on ${c.to.id}: ${formatDuration(cost / k)}`;
  return parts.length ? `${base} × ${parts.join(' × ')} = ${formatDuration(cost)}` : base;
}

/**
 * Sets a fallback on a call: the plain text is a description that counts (a degraded answer without the
 * callee), and clients that take snippets put the cursor on it to say what the caller really does.
 */
export function fallbackEdit(c: Call, ctx: FixContext): TextEdit | undefined {
  const file = ctx.file(c.from.uri);
  if (!file) return undefined;
  const text = `answer without ${c.to.id} (degraded)`;
  const value = yamlScalar(text, true);
  const edit = setPair(c.from.uri, file.text, c.node, 'fallback', value);
  const at = edit.newText.lastIndexOf(value);
  if (at < 0) return edit;
  const esc = (t: string) => t.replace(/[\\$}]/g, (ch) => `\\${ch}`);
  return { ...edit, snippet: `${esc(edit.newText.slice(0, at))}\${1:${esc(value)}}${esc(edit.newText.slice(at + value.length))}` };
}

/**
 * The timeouts that make a service's worst-case wait fit in `budget` ms: each call's share scaled by the
 * same factor and rounded down to whole milliseconds, so that the wait fits whenever the budget leaves
 * each call at least 1ms. Returns the new timeout per call, or undefined where the wait cannot be scaled
 * (unbounded, or zero); callers compare waitWith() with the budget for the rare budget that cannot fit.
 */
export function scaledTimeouts(s: Service, budget: number, ctx: FixContext): Map<Call, number> | undefined {
  const models = ctx.system.models();
  const worst = models.worst(s);
  if (!Number.isFinite(worst) || worst <= 0 || budget <= 0) return undefined;
  const f = Math.min(1, budget / worst);
  const out = new Map<Call, number>();
  const { sequential, parallel } = models.terms(s);
  const terms = [...sequential, ...parallel];
  const k = (c: Call) => models.perRequest(c) * models.attempts(c);
  for (const t of terms) out.set(t.call, Math.max(1, Math.floor((t.cost * f) / k(t.call))));
  // A timeout is at least 1ms, so tiny shares raised to 1ms can push the sum over the budget (1 + 4 + 1
  // + 91 + 4 = 101ms for 100ms): the excess is taken back from the longest timeouts, longest first, down
  // to 1ms each. Each pass fixes one call for good, so this ends after at most one pass per call.
  const byLength = terms.map((t) => t.call).sort((a, b) => out.get(b)! * k(b) - out.get(a)! * k(a));
  for (const c of byLength) {
    const over = waitWith(s, out, ctx) - budget;
    if (over <= 0) break;
    out.set(c, Math.max(1, out.get(c)! - Math.ceil(over / k(c))));
  }
  return out;
}

/** What a service would wait with some calls' timeouts replaced (for fix titles). */
export function waitWith(s: Service, timeouts: ReadonlyMap<Call, number>, ctx: FixContext): number {
  const models = ctx.system.models();
  const { sequential, parallel } = models.terms(s);
  const cost = (t: (typeof sequential)[number]) => {
    const to = timeouts.get(t.call);
    return to === undefined ? t.cost : to * models.perRequest(t.call) * models.attempts(t.call);
  };
  return sequential.reduce((a, t) => a + cost(t), 0) + parallel.reduce((a, t) => Math.max(a, cost(t)), 0);
}

/** The edits that set the given timeouts, and how many of those calls then give up before their callee. */
export function timeoutEdits(timeouts: ReadonlyMap<Call, number>, ctx: FixContext): { edits: TextEdit[]; shortfalls: number } | undefined {
  const models = ctx.system.models();
  const edits: TextEdit[] = [];
  let shortfalls = 0;
  for (const [c, ms] of timeouts) {
    const file = ctx.file(c.from.uri);
    if (!file) return undefined;
    edits.push(setPair(c.from.uri, file.text, c.node, 'timeout', durationText(ms)));
    const callee = models.syncCallee(c);
    const below = callee ? models.worst(callee) : 0;
    const before = ctx.system.timeoutOf(c);
    if (Number.isFinite(below) && ms < below && !(before !== undefined && before < below)) shortfalls++;
  }
  return { edits, shortfalls };
}

/** "; 2 calls then give up before their callees do (timeout-budget)" or "". */
export function shortfallNote(n: number): string {
  return n ? `; ${n === 1 ? '1 call then gives up before its callee does' : `${n} calls then give up before their callees do`} (timeout-budget)` : '';
}

/**
 * The end of the title of a fix that sets a fallback or cuts a call: " (reaches 99.60%)" when the entry
 * then meets its budget, else "; 'web' remains below 99.50% (98.90%)", since a fix that leaves its finding
 * says so after a semicolon with "remains" (the convention in CONTRIBUTING.md).
 */
export function availabilityNote(entry: string, after: number, budget: number): string {
  return after >= budget ? ` (reaches ${formatPercent(after)})` : `; '${short(entry, 20)}' remains below ${formatPercent(budget)} (${formatPercent(after)})`;
}

export function fixOf(title: string, edits: TextEdit[], kind: Fix['kind'] = 'quickfix'): Fix {
  return { title, kind, edits };
}

/** Calls whose cut is measured at most, per entry: each costs one breadth-first search. */
const CUT_CANDIDATES = 50;

/**
 * The calls an entry depends through that have no described fallback, ranked by the availability the
 * entry would have with that call cut (a fallback added, or the call made async), best first.
 */
export function rankedCuts(entry: Service, ctx: Pick<FixContext, 'system'>): { call: Call; after: number }[] {
  const models = ctx.system.models();
  const out: { call: Call; after: number }[] = [];
  for (const s of models.availability(entry).services) {
    for (const c of models.dependencyCalls(s)) {
      if (out.length >= CUT_CANDIDATES) break;
      out.push({ call: c, after: models.availability(entry, c).value });
    }
  }
  return out.sort((a, b) => b.after - a.after);
}

/** The availability budget of an entry: the strictest of its flows' budgets, else `floor`. */
export function entryBudget(entry: Service, ctx: Pick<FixContext, 'system'>, floor: number): { value: number; flow?: string } {
  let best: { value: number; flow?: string } | undefined;
  for (const f of ctx.system.flows.values()) {
    if (f.entry?.value !== entry.id || !f.availabilityBudget) continue;
    if (!best || f.availabilityBudget.value > best.value) best = { value: f.availabilityBudget.value, flow: f.id };
  }
  return best ?? { value: floor };
}
