import type { Fix, Rule, TextEdit } from '../rule';
import type { Call } from '../model';
import { formatPercent } from '../units';
import { indentUnit, insertPair, insertUnderEmpty, removeItem, replaceNode, yamlScalar } from '../yamledit';
import { ID_PATTERN } from '../schema';
import { ownerOf, threshold } from './util';
import { callToEventFix } from './refactor';
import { count, short } from './model-fixes';
import { announcesNoAnswer } from './unused-response';

export const fanOut: Rule = {
  meta: {
    id: 'fan-out',
    title: 'A service that calls many services synchronously',
    category: 'communication',
    defaultSeverity: 'warning',
    options: { max: { type: 'int', default: 5, min: 1, description: 'The most distinct synchronous callees a service may have; more is a finding.' } },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    const models = sys.models();
    const max = threshold(fanOut.meta, ctx.options, 'max');
    for (const s of sys.serviceList) {
      const callees = sys.syncEdgeCalls[sys.indexOf.get(s)!];
      if (callees.length <= max) continue;
      const a = models.availability(s);
      const deps = a.services.length - 1;
      const up = deps
        ? `it is up only when all ${count(deps, 'service')} it depends on ${deps === 1 ? 'is' : 'are'} (${formatPercent(a.value)} with its own availability)`
        : 'each call has a fallback, but every failure degrades the answer';
      ctx.report({
        uri: s.uri,
        span: s.idSpan,
        message:
          `'${short(s.id)}' waits on ${callees.length} services synchronously, over the limit of ${max}. ` +
          `${up[0].toUpperCase()}${up.slice(1)}, and without parallel calls it is as slow as all of them together. ` +
          `Aggregate some behind one call, publish an event for those whose answer it does not need, or call in parallel with fallbacks.`,
        messageId: 'fan-out',
        related: callees.map((c) => ({ uri: s.uri, span: c.to.span, message: `calls ${c.to.id}` })),
        owners: [ownerOf(s)],
        data: { service: s.id, max },
      });
    }
  },
  fixes(finding, ctx) {
    const sys = ctx.system;
    const s = sys.services.get(String(finding.data?.service));
    const max = Number(finding.data?.max);
    const file = s && ctx.file(s.uri);
    const callsSeq = s?.callsField?.pair.value;
    if (!s || !file || !Number.isInteger(max) || callsSeq?.kind !== 'seq') return [];
    const callees = sys.syncEdgeCalls[sys.indexOf.get(s)!].map((c) => c.to.id);
    const over = callees.length - max;
    const fixes: Fix[] = [];

    // Aggregate: the last (over + 1) callees move behind one call to a new service, which leaves `max`.
    const moved = callees.slice(callees.length - (over + 1));
    const movedSet = new Set(moved);
    const movedCalls = s.calls.filter((c) => c.style === 'sync' && movedSet.has(c.to.id));
    const services = file.topology.sections.get('services');
    // The new id is made from the caller's, which is hostile input: one the schema would reject is not reused.
    const base = ID_PATTERN.test(s.id) ? `${s.id}-aggregate` : 'aggregate';
    let id = base;
    for (let i = 2; sys.services.has(id); i++) id = `${base}-${i}`;
    if (services?.value?.kind === 'map' && movedCalls.length) {
      const first = movedCalls[0];
      const edits = [replaceNode(s.uri, first.to, id, file.text), ...mergeDeletions(movedCalls.slice(1).map((c) => removeItem(s.uri, file.text, callsSeq, c.index)))];
      const calls = movedCalls.map((c) => `${indentUnit(file.text)}- ${flowCall(c, file.text)}`);
      const block = [`description: ${yamlScalar(`Aggregates ${moved.join(', ')} for ${s.id}`, true)}`, 'calls:', ...calls];
      edits.push(services.value.pairs.length || services.value.flow ? insertPair(s.uri, file.text, services.value, id, { block }) : insertUnderEmpty(s.uri, file.text, services, id, { block }));
      const after = moved.length > max ? `; '${id}' then waits on ${moved.length}, over the limit` : '';
      fixes.push({ title: `Aggregate the calls to ${moved.map((x) => `'${short(x, 20)}'`).join(', ')} behind one call to a new service '${id}'${after}`, kind: 'refactor.rewrite', edits, isPreferred: true });
    }

    // Publish an event instead: first the calls whose answer nobody uses, then those whose names say so.
    const rank = (c: Call) => (c.result === 'unused' ? 0 : announcesNoAnswer(c) ? 1 : 2);
    const candidates = s.calls.filter((c) => c.style === 'sync' && callees.includes(c.to.id) && s.calls.filter((x) => x.style === 'sync' && x.to.id === c.to.id).length === 1);
    candidates.sort((a, b) => rank(a) - rank(b) || b.index - a.index);
    for (const c of candidates.slice(0, 3)) {
      const ev = callToEventFix(c, ctx);
      if (!ev) continue;
      const left = callees.length - 1;
      fixes.push({ ...ev, title: `${ev.title}${left > max ? `; '${s.id}' still waits on ${left}, over the limit of ${max}` : ''}` });
    }
    return fixes;
  },
};

/**
 * Removing neighbouring items of a flow list gives deletions that overlap (each takes a comma on one
 * side): joined into one deletion each, they remove exactly the items and their commas.
 */
function mergeDeletions(edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start);
  const out: TextEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && e.span.start <= last.span.end) out[out.length - 1] = { ...last, span: { start: last.span.start, end: Math.max(last.span.end, e.span.end) } };
    else out.push(e);
  }
  return out;
}

/** A call as a flow map for the aggregator: its callee, and its timeout, retries and operation as written. */
function flowCall(c: Call, text: string): string {
  const parts = [`to: ${c.to.id}`];
  const raw = (f: { span: { start: number; end: number } } | undefined) => {
    const t = f ? text.slice(f.span.start, f.span.end) : '';
    return t && !/[\r\n]/.test(t) ? t : undefined;
  };
  for (const [key, f] of [['operation', c.operation], ['timeout', c.timeout], ['retries', c.retries], ['perRequest', c.perRequest], ['idempotent', c.idempotent]] as const) {
    const v = raw(f);
    if (v !== undefined) parts.push(`${key}: ${key === 'operation' ? yamlScalar(c.operation!.value, true) : v}`);
  }
  parts.push('parallel: true');
  return `{ ${parts.join(', ')} }`;
}
