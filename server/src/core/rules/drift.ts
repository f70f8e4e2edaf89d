/**
 * drift: the topology against what was observed in the running system (`topolint check --observed`,
 * the host's `observed()`): a call observed but not declared, a call declared sync but observed async or
 * the reverse, an observed perRequest above the declared one, a store touched but not declared — each on
 * the declared element or on the service that should declare it, with a fix that writes the observed
 * fact. An info reports declared calls that were never observed, with the number of traces read.
 * Without observations the rule reports nothing.
 */
import type { FixContext, Rule, TextEdit } from '../rule';
import type { Call } from '../model';
import type { ObservedCall, ObservedUse } from '../observed';
import { addListItem, indentUnit, insertPair, insertUnderEmpty, setPair, yamlScalar } from '../yamledit';
import { ownerOf, ownerOfItem, callLabel } from './util';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** "12 calls in 9 traces" from traces; "Deployment/a env X" from manifests. */
function seen(o: ObservedCall): string {
  return o.traces > 0 ? `${plural(o.count, 'call')} in ${plural(o.traces, 'trace')}` : `seen in ${o.source}`;
}

function callItem(o: ObservedCall): string[] {
  const lines = [`to: ${yamlScalar(o.to)}`];
  if (o.style === 'async') lines.push('style: async');
  if (o.protocol) lines.push(`protocol: ${yamlScalar(o.protocol)}`);
  if (o.perRequest && o.perRequest > 1) lines.push(`perRequest: ${o.perRequest}`);
  if (o.parallel) lines.push('parallel: true');
  return lines;
}

function flow(lines: readonly string[]): string {
  return `{ ${lines.join(', ')} }`;
}

/** An edit that declares a missing service or datastore in the file of `near` (its section, or a new one). */
function declareElement(ctx: FixContext, uri: string, section: 'services' | 'datastores', id: string, body: string[]): TextEdit | undefined {
  const file = ctx.file(uri);
  if (!file) return undefined;
  const pair = file.topology.sections.get(section);
  const key = yamlScalar(id);
  if (pair?.value?.kind === 'map' && (pair.value.flow || pair.value.pairs.length)) return insertPair(uri, file.text, pair.value, key, body.length ? { block: body } : { inline: '{}' });
  if (pair && !pair.value) return insertUnderEmpty(uri, file.text, pair, key, body.length ? { block: body } : { inline: '{}' });
  const root = file.topology.root;
  if (!pair && root?.kind === 'map' && !root.flow) {
    const unit = indentUnit(file.text);
    return insertPair(uri, file.text, root, section, { block: body.length ? [`${key}:`, ...body.map((l) => unit + l)] : [`${key}: {}`] });
  }
  return undefined;
}

export const drift: Rule = {
  meta: {
    id: 'drift',
    title: 'The topology differs from what was observed in the running system',
    category: 'structure',
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const obs = ctx.host.observed?.();
    if (!obs) return;
    const sys = ctx.system;
    const observedPairs = new Set<string>();
    const pairKey = (a: string, b: string) => `${a}\u0000${b}`;
    for (const o of obs.calls) observedPairs.add(pairKey(o.from, o.to));
    const eventPairs = new Map<string, string>();
    for (const e of obs.eventEdges) if (!eventPairs.has(pairKey(e.from, e.to))) eventPairs.set(pairKey(e.from, e.to), e.event);

    // Observed calls: undeclared, or declared with another style or a lower perRequest.
    const byPair = new Map<string, ObservedCall[]>();
    for (const o of obs.calls) {
      const k = pairKey(o.from, o.to);
      byPair.set(k, [...(byPair.get(k) ?? []), o]);
    }
    for (const list of byPair.values()) {
      const s = sys.services.get(list[0].from);
      if (!s) continue;
      const declared = s.calls.filter((c) => c.to.id === list[0].to);
      if (!declared.length) {
        const o = list.find((x) => x.style === 'sync') ?? list[0];
        ctx.report({
          uri: s.uri,
          span: s.idSpan,
          message: `'${o.from}' calls '${o.to}' (${seen(o)}${o.perRequest && o.perRequest > 1 ? `, ${o.perRequest} per request` : ''}), but the topology declares no call ${o.from} → ${o.to}. Declare it, so the rules see it.`,
          messageId: 'undeclared-call',
          owners: [ownerOf(s)],
          data: { kind: 'call', service: s.id, to: o.to, observed: { ...o } },
        });
        continue;
      }
      for (const c of declared) {
        const styles = new Set(list.map((x) => x.style).filter(Boolean));
        if (styles.size && !styles.has(c.style)) {
          const o = list.find((x) => x.style)!;
          ctx.report({
            uri: s.uri,
            span: c.styleField?.span ?? c.to.span,
            message: `${cap(callLabel(c))} is declared ${c.style} but observed ${o.style} (${seen(o)}): the rules reason about a style the system does not use.`,
            messageId: 'style',
            owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
            data: { kind: 'style', service: s.id, index: c.index, style: o.style },
          });
        }
        const o = list.find((x) => x.style === c.style && x.perRequest !== undefined) ?? (c.style === 'sync' || !list.some((x) => x.style) ? list.find((x) => x.perRequest !== undefined) : undefined);
        const declaredPer = c.perRequest?.value ?? 1;
        if (o?.perRequest !== undefined && declaredPer !== 'n' && o.perRequest > declaredPer) {
          ctx.report({
            uri: s.uri,
            span: c.perRequest?.span ?? c.to.span,
            message: `${cap(callLabel(c))} is made ${o.perRequest} times per request (median${o.maxPerRequest && o.maxPerRequest > o.perRequest ? `, up to ${o.maxPerRequest}` : ''}, ${seen(o)}), declared ${declaredPer}.`,
            messageId: 'per-request',
            owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
            data: { kind: 'perRequest', service: s.id, index: c.index, perRequest: o.perRequest },
          });
        }
      }
    }

    // Declared sync calls that only ever happened through an event.
    for (const s of sys.services.values()) {
      for (const c of s.calls) {
        const k = pairKey(s.id, c.to.id);
        const event = eventPairs.get(k);
        if (c.style !== 'sync' || !event || observedPairs.has(k)) continue;
        ctx.report({
          uri: s.uri,
          span: c.styleField?.span ?? c.to.span,
          message: `${cap(callLabel(c))} is declared sync but observed async, through the event '${event}': the rules reason about a style the system does not use.`,
          messageId: 'style',
          owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
          data: { kind: 'style', service: s.id, index: c.index, style: 'async' },
        });
      }
    }

    // Stores touched but not declared.
    for (const u of obs.uses) {
      const s = sys.services.get(u.service);
      if (!s || s.uses.some((x) => x.store.id === u.store)) continue;
      ctx.report({
        uri: s.uri,
        span: s.idSpan,
        message: `'${u.service}' ${u.access === 'read' ? 'reads' : u.access === 'write' ? 'writes' : 'reads and writes'} '${u.store}'${u.technology ? ` (${u.technology})` : ''}, seen in ${u.source}, but declares no use of it.`,
        messageId: 'undeclared-use',
        owners: [ownerOf(s)],
        data: { kind: 'use', service: s.id, use: { ...u }, storeDeclared: sys.datastores.has(u.store) },
      });
    }

    // Declared calls never observed, when both ends were seen in traces.
    if (obs.traces > 0) {
      const seenServices = new Set(obs.services);
      for (const s of sys.services.values()) {
        if (!seenServices.has(s.id)) continue;
        for (const c of s.calls) {
          const k = pairKey(s.id, c.to.id);
          if (!seenServices.has(c.to.id) || observedPairs.has(k) || eventPairs.has(k)) continue;
          ctx.report({
            uri: s.uri,
            span: c.to.span,
            severity: 'info',
            message: `${cap(callLabel(c))} was never observed in ${plural(obs.traces, 'trace')}, though both services were. Remove it if it is gone, or keep it for paths the traces did not cover.`,
            messageId: 'unobserved',
            owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
            data: { kind: 'unobserved', service: s.id, index: c.index },
          });
        }
      }
    }
  },
  fixes(finding, ctx) {
    const d = finding.data as { kind?: string; service?: string; index?: number; to?: string; observed?: ObservedCall; style?: string; perRequest?: number; use?: ObservedUse; storeDeclared?: boolean } | undefined;
    const s = d?.service ? ctx.system.services.get(d.service) : undefined;
    const file = s && ctx.file(s.uri);
    if (!d || !s || !file) return [];
    const call: Call | undefined = d.index !== undefined ? s.calls.find((c) => c.index === d.index) : undefined;
    switch (d.kind) {
      case 'call': {
        const o = d.observed!;
        const lines = callItem(o);
        const edits = [addListItem(s.uri, file.text, s.node, s.pair, 'calls', lines, flow(lines))];
        let title = `Declare the observed call ${s.id} → ${o.to}`;
        if (!ctx.system.services.has(o.to)) {
          const e = declareElement(ctx, s.uri, 'services', o.to, []);
          if (!e) return [];
          edits.push(e);
          title += ` and the service '${o.to}'`;
        }
        return [{ title, kind: 'quickfix', isPreferred: true, edits }];
      }
      case 'style':
        if (!call) return [];
        return [{ title: `Set the style of ${callLabel(call)} to ${d.style}, as observed`, kind: 'quickfix', isPreferred: true, edits: [setPair(s.uri, file.text, call.node, 'style', String(d.style))] }];
      case 'perRequest':
        if (!call) return [];
        return [{ title: `Set perRequest of ${callLabel(call)} to ${d.perRequest}, as observed`, kind: 'quickfix', isPreferred: true, edits: [setPair(s.uri, file.text, call.node, 'perRequest', String(d.perRequest))] }];
      case 'use': {
        const u = d.use!;
        const lines = [`store: ${yamlScalar(u.store)}`, ...(u.access !== 'readwrite' ? [`access: ${u.access}`] : [])];
        const edits = [addListItem(s.uri, file.text, s.node, s.pair, 'uses', lines, flow(lines))];
        let title = `Declare that '${s.id}' uses '${u.store}' (${u.access}), as observed`;
        if (!ctx.system.datastores.has(u.store)) {
          const e = declareElement(ctx, s.uri, 'datastores', u.store, [`kind: ${u.kind ?? 'database'}`, ...(u.technology ? [`technology: ${yamlScalar(u.technology)}`] : [])]);
          if (!e) return [];
          edits.push(e);
          title += ` and the datastore`;
        }
        return [{ title, kind: 'quickfix', isPreferred: true, edits }];
      }
      default:
        return [];
    }
  },
};
