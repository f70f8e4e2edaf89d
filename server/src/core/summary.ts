/** The summary card of an element: who it talks to and what is wrong with it, for hovers and code lenses. */
import type { Finding } from './rule';
import type { Service } from './model';
import type { System } from './system';
import { formatDuration, formatPercent } from './units';

export interface ServiceStats {
  readonly calls: number;
  readonly calledBy: number;
  readonly chain: readonly string[];
  /** The shared availability model (models.ts): the service and everything it waits on, each once. */
  readonly availability: number;
  /** How many services it waits on synchronously, transitively (fallbacks and async hops cut). */
  readonly dependencies: number;
  /** The shared worst-case wait model, in ms: what a caller of it may wait. Infinity when unbounded. */
  readonly wait: number;
}

export function serviceStats(system: System, s: Service): ServiceStats {
  const callees = new Set(s.calls.filter((c) => c.to.id !== s.id).map((c) => c.to.id));
  const callers = new Set((system.callsTo.get(s.id) ?? []).filter((c) => c.from !== s).map((c) => c.from.id));
  const chain = system.chainFrom(s);
  const models = system.models();
  const a = models.availability(s);
  return { calls: callees.size, calledBy: callers.size, chain: chain.services.map((x) => x.id), availability: a.value, dependencies: a.services.length - 1, wait: models.worst(s) };
}

/** "calls 4 · called by 2 · longest sync chain 5 · 99.50% available" */
export function serviceLens(stats: ServiceStats): string {
  const chain = stats.chain.length > 1 ? ` · longest sync chain ${stats.chain.length}` : '';
  const up = stats.dependencies > 0 ? ` · ${formatPercent(stats.availability)} available` : '';
  return `calls ${stats.calls} · called by ${stats.calledBy}${chain}${up}`;
}

/** "up to 9s", "unbounded (a call without a timeout)" or undefined when it waits on nothing. */
export function waitText(wait: number): string | undefined {
  if (wait === 0) return undefined;
  return Number.isFinite(wait) ? `up to ${formatDuration(wait)}` : 'unbounded (a path without any timeout)';
}

/** The code lens's tooltip: what each of its numbers means, with the chain spelled out. */
export function serviceLensTooltip(stats: ServiceStats): string {
  const lines = [`calls ${stats.calls}: the services this one calls (sync or async).`, `called by ${stats.calledBy}: the services that call this one.`];
  if (stats.chain.length > 1) {
    lines.push(
      `longest sync chain ${stats.chain.length}: the most services a request from here waits on, one after another: ${stats.chain.join(' → ')}.`,
      `${formatPercent(stats.availability)} available: how often all ${stats.chain.length} are up at once (their availabilities multiplied), the most this chain can promise.`,
      'Click to see the hops.',
    );
  }
  return lines.join('\n');
}

const SEVERITY_ORDER: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** Findings most severe first, accepted ones last; otherwise in the order they came. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding) => (f.accepted ? 3 : (SEVERITY_ORDER[f.severity] ?? 3));
  return findings.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
}

/** A finding's message up to its first sentence, for the short card. */
function firstSentence(message: string, max = 110): string {
  const m = /^(.+?[.;:])(\s|$)/.exec(message);
  const s = m ? m[1].replace(/[;:]$/, '') : message;
  return s.length > max ? `${s.slice(0, s.lastIndexOf(' ', max - 1) > 40 ? s.lastIndexOf(' ', max - 1) : max - 1)}…` : s;
}

const list = (xs: readonly string[]) => (xs.length ? xs.map((x) => `\`${x}\``).join(', ') : 'none');

/** Markdown for a hover on an element's id. */
export function elementCard(system: System, kind: string, id: string, findings: readonly Finding[]): string | undefined {
  const lines: string[] = [];
  if (kind === 'service') {
    const s = system.services.get(id);
    if (!s) return undefined;
    const st = serviceStats(system, s);
    lines.push(`**service \`${id}\`**${s.serviceKind !== 'service' ? ` (${s.serviceKind})` : ''}${s.exposure === 'external' ? ' · external' : ''}`);
    if (s.description) lines.push('', s.description.value);
    const callers = [...new Set((system.callsTo.get(id) ?? []).filter((c) => c.from !== s).map((c) => `${c.from.id}${c.style === 'async' ? ' (async)' : ''}`))];
    lines.push(
      '',
      `- calls: ${list([...new Set(s.calls.map((c) => `${c.to.id}${c.style === 'async' ? ' (async)' : ''}`))])}`,
      `- called by: ${list(callers)}`,
      `- publishes: ${list(s.publishes.map((p) => p.event.id))}`,
      `- subscribes to: ${list(s.subscribes.map((p) => p.event.id))}`,
      `- uses: ${list(s.uses.map((u) => `${u.store.id} (${u.access})`))}`,
    );
    if (st.chain.length > 1) lines.push(`- longest sync chain from here: ${st.chain.join(' → ')} (${st.chain.length} services)`);
    if (st.dependencies > 0) lines.push(`- availability: ${formatPercent(st.availability)} over itself and the ${st.dependencies === 1 ? 'service' : `${st.dependencies} services`} it waits on`);
    const wait = waitText(st.wait);
    if (wait) lines.push(`- worst-case wait for its callers: ${wait}`);
  } else if (kind === 'datastore') {
    const d = system.datastores.get(id);
    if (!d) return undefined;
    lines.push(`**datastore \`${id}\`** (${d.storeKind}${d.technology ? `, ${d.technology.value}` : ''})`, '', `- owner: ${d.owner ? `\`${d.owner.value}\`` : 'nobody'}`, `- used by: ${list((system.usersOf.get(id) ?? []).map((u) => `${u.from.id} (${u.access})`))}`);
  } else if (kind === 'event') {
    const e = system.events.get(id);
    if (!e) return undefined;
    lines.push(`**event \`${id}\`** (${e.content === 'id' ? 'just an id' : e.content === 'reference' ? 'a reference to a stored body' : 'fully detailed'}${e.broker ? `, ${e.broker.value}` : ''})`, '', `- published by: ${list((system.publishersOf.get(id) ?? []).map((p) => p.from.id))}`, `- consumed by: ${list((system.subscribersOf.get(id) ?? []).map((p) => p.from.id))}`);
  } else if (kind === 'flow') {
    const f = system.flows.get(id);
    if (!f) return undefined;
    lines.push(`**flow \`${id}\`**`, '', `- entry: ${f.entry ? `\`${f.entry.value}\`` : 'none'}`);
  } else return undefined;
  if (findings.length) {
    lines.push('', '**Findings**', '');
    for (const f of bySeverity(findings)) lines.push(`- ${f.accepted ? 'accepted' : f.severity} \`${f.rule}\`: ${f.message}`);
  }
  return lines.join('\n');
}

/**
 * The hover's short card: what the element is, one line of numbers (services) or links, and one line
 * per finding, most severe first, cut at the first sentence. The full card (elementCard) is behind a
 * link; the editor shows the findings' full messages above the card anyway.
 */
export function shortCard(system: System, kind: string, id: string, findings: readonly Finding[]): string | undefined {
  const lines: string[] = [];
  if (kind === 'service') {
    const s = system.services.get(id);
    if (!s) return undefined;
    lines.push(`**service \`${id}\`**${s.serviceKind !== 'service' ? ` (${s.serviceKind})` : ''}${s.exposure === 'external' ? ' · external' : ''}`);
    if (s.description) lines.push('', firstSentence(s.description.value, 160));
    lines.push('', serviceLens(serviceStats(system, s)));
  } else if (kind === 'datastore') {
    const d = system.datastores.get(id);
    if (!d) return undefined;
    lines.push(`**datastore \`${id}\`** (${d.storeKind}${d.technology ? `, ${d.technology.value}` : ''})`, '', `owner ${d.owner ? `\`${d.owner.value}\`` : 'nobody'} · used by ${(system.usersOf.get(id) ?? []).length}`);
  } else if (kind === 'event') {
    const e = system.events.get(id);
    if (!e) return undefined;
    lines.push(`**event \`${id}\`** (${e.content === 'id' ? 'just an id' : 'fully detailed'}${e.broker ? `, ${e.broker.value}` : ''})`, '', `published by ${(system.publishersOf.get(id) ?? []).length} · consumed by ${(system.subscribersOf.get(id) ?? []).length}`);
  } else if (kind === 'flow') {
    const f = system.flows.get(id);
    if (!f) return undefined;
    lines.push(`**flow \`${id}\`**`, '', `entry ${f.entry ? `\`${f.entry.value}\`` : 'none'}`);
  } else return undefined;
  if (findings.length) {
    lines.push('');
    for (const f of bySeverity(findings)) lines.push(`- ${f.accepted ? 'accepted' : f.severity} \`${f.rule}\`: ${firstSentence(f.message)}`);
  }
  return lines.join('\n');
}
