import type { Fix, Rule } from '../rule';
import type { Call, Service } from '../model';
import { formatDuration } from '../units';
import { addListItem, yamlScalar } from '../yamledit';
import { callLabel, ownerOf, ownerOfItem, callData, callOfFinding } from './util';
import { count, fixOf, scaledTimeouts, short, shortfallNote, timeoutEdits, waitWith } from './model-fixes';

export const timeoutBudget: Rule = {
  meta: {
    id: 'timeout-budget',
    title: "A call's timeout shorter than what its callee may wait on its own calls",
    category: 'failure',
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    const models = sys.models();
    // One cause, one finding. Calls that take their timeout from a file's default are grouped at that
    // default; calls with their own timeout are grouped by callee (the callee's wait is the cause, and one
    // fix, shrinking its timeouts, answers every caller), reported at the shortest of those timeouts.
    const byDefault = new Map<string, { call: Call; wait: number }[]>();
    const byCallee = new Map<Service, Call[]>();
    for (let i = 0; i < sys.serviceList.length; i++) {
      const s = sys.serviceList[i];
      for (let k = 0; k < s.calls.length; k++) {
        const c = s.calls[k];
        const callee = models.syncCallee(c);
        const timeout = sys.timeoutOf(c);
        if (!callee || timeout === undefined) continue;
        const wait = models.worst(callee);
        // An unbounded wait below is missing-timeout's finding.
        if (!Number.isFinite(wait) || wait <= timeout) continue;
        if (!c.timeout) {
          const list = byDefault.get(s.uri) ?? [];
          list.push({ call: c, wait });
          byDefault.set(s.uri, list);
        } else {
          const list = byCallee.get(callee) ?? [];
          list.push(c);
          byCallee.set(callee, list);
        }
      }
    }
    for (const [callee, calls] of byCallee) {
      const wait = models.worst(callee);
      // The shortest timeout is the one the fix must fit; the first in document order among equals.
      let c = calls[0];
      for (const x of calls) if (x.timeout!.value < c.timeout!.value) c = x;
      const s = c.from;
      const timeout = c.timeout!.value;
      const retry = calls.some((x) => models.attempts(x) > 1);
      const others = calls.length - 1;
      ctx.report({
        uri: s.uri,
        span: c.timeout!.span,
        message:
          `'${short(s.id)}' gives up on '${short(c.to.id)}' after ${formatDuration(timeout)}, but '${short(c.to.id)}' may wait ${formatDuration(wait)} on its own calls. ` +
          `${others ? `${count(others, 'other caller')} ${others === 1 ? 'gives' : 'give'} up early too. ` : ''}` +
          `The work goes on downstream after the caller has stopped waiting${retry ? ', and each retry starts it again' : ', and is wasted'}: ` +
          `shrink the timeouts of '${c.to.id}' to fit, or pass the deadline down with the request.`,
        messageId: 'budget',
        related: [
          ...calls.filter((x) => x !== c).map((x) => ({ uri: x.from.uri, span: x.timeout!.span, message: `${callLabel(x)} also gives up after ${formatDuration(x.timeout!.value)}` })),
          ...innerRelated(callee, ctx.system),
        ],
        owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
        data: { ...callData(c), calls: calls.map((x) => [x.from.id, x.index]) },
      });
    }
    for (const [uri, list] of byDefault) {
      const file = sys.file(uri);
      const d = file?.defaults.timeout;
      if (!file || !d) continue;
      const callees = new Set(list.map((x) => x.call.to.id));
      const most = list.reduce((a, x) => Math.max(a, x.wait), 0);
      ctx.report({
        uri,
        span: d.span,
        message:
          `The default timeout of ${formatDuration(d.value)} is shorter than what ${count(callees.size, 'callee')} may wait on ${callees.size === 1 ? 'its' : 'their'} own calls (up to ${formatDuration(most)}). ` +
          `${count(list.length, 'call')} that ${list.length === 1 ? 'uses' : 'use'} it give${list.length === 1 ? 's' : ''} up while the work goes on downstream: ` +
          `shrink the inner timeouts to fit, give those calls their own timeouts, or pass the deadline down with each request.`,
        messageId: 'default-budget',
        related: list.map(({ call, wait }) => ({ uri: call.from.uri, span: call.to.span, message: `${callLabel(call)}: gives up after ${formatDuration(d.value)}; '${call.to.id}' may wait ${formatDuration(wait)}` })),
        owners: [],
        data: { uri, calls: list.map(({ call }) => [call.from.id, call.index]) },
      });
    }
  },
  fixes(finding, ctx) {
    const sys = ctx.system;
    const calls: Call[] = [];
    for (const [from, index] of (finding.data?.calls ?? []) as [string, number][]) {
      const c = sys.services.get(from)?.calls.find((x) => x.index === index);
      if (c) calls.push(c);
    }
    // The call the finding is at comes first (the deadline fix is offered for it).
    const at = finding.messageId === 'default-budget' ? undefined : callOfFinding(finding, ctx)?.call;
    if (at) calls.sort((a, b) => (a === at ? -1 : b === at ? 1 : 0));
    if (!calls.length) return [];
    const models = sys.models();
    // Each callee must fit in the shortest timeout its callers here give it.
    const fit = new Map<Service, number>();
    for (const c of calls) {
      const callee = models.syncCallee(c);
      const t = sys.timeoutOf(c);
      if (callee && t !== undefined) fit.set(callee, Math.min(fit.get(callee) ?? Infinity, t));
    }
    const fixes: Fix[] = [];
    const all = new Map<Call, number>();
    for (const [callee, t] of fit) for (const [c, ms] of scaledTimeouts(callee, t, ctx) ?? []) all.set(c, ms);
    const set = all.size ? timeoutEdits(all, ctx) : undefined;
    if (set) {
      const names = [...fit.keys()].map((s) => `'${short(s.id, 20)}'`).join(', ');
      const list = all.size <= 4 ? ` (${[...all].map(([c, ms]) => `${short(c.from.id, 16)} → ${short(c.to.id, 16)}: ${formatDuration(ms)}`).join(', ')})` : '';
      // A timeout is at least 1ms: a callee with more calls than milliseconds to give cannot fit, and the
      // title says so rather than leave the finding silently.
      const still = [...fit].find(([callee, t]) => waitWith(callee, all, ctx) > t);
      const remains = still ? `; '${short(still[0].id, 20)}' still waits ${formatDuration(waitWith(still[0], all, ctx))}, so the finding remains` : '';
      fixes.push({ ...fixOf(`Shrink the timeouts of ${names} to fit${list}${remains}${shortfallNote(set.shortfalls)}`, set.edits), isPreferred: true });
    }
    if (finding.messageId !== 'default-budget') {
      // Deadline propagation is run-time behaviour the topology cannot express: recorded as the decision
      // that answers this finding, with a reason that says what the code does.
      const c = calls[0];
      const file = ctx.file(c.from.uri);
      if (file) {
        const reason = `${c.from.id} passes its deadline down: ${c.to.id} stops its own calls when ${c.from.id} gives up`;
        fixes.push(
          fixOf(`Pass the deadline down from '${c.from.id}' to '${c.to.id}' (recorded on the call as the answer to this finding)`, [
            addListItem(c.from.uri, file.text, c.node, null as never, 'accept', [`rule: timeout-budget`, `reason: ${yamlScalar(reason)}`], `{ rule: timeout-budget, reason: ${JSON.stringify(reason)} }`),
          ]),
        );
      }
    }
    return fixes;
  },
};

/** The callee's calls that make its wait, with what each may cost. */
function innerRelated(callee: Service, sys: Parameters<NonNullable<Rule['check']>>[0]['system']) {
  const models = sys.models();
  const { sequential, parallel } = models.terms(callee);
  return [...sequential, ...parallel].map((t) => ({ uri: t.call.from.uri, span: t.call.timeout?.span ?? t.call.to.span, message: `${callLabel(t.call)}${t.call.parallel ? ' (parallel)' : ''}: ${formatDuration(t.cost)}` }));
}
