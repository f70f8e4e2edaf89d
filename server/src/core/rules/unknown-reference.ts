import type { Finding, Fix, Rule, RuleContext } from '../rule';
import type { Accept, Service } from '../model';
import { nearestId } from './nearest';
import type { System } from '../system';
import { indentUnit, insertPair, insertUnderEmpty, replaceNode } from '../yamledit';
import type { Span } from '../span';

type Kind = 'service' | 'event' | 'datastore' | 'rule';

const SECTION: Record<Exclude<Kind, 'rule'>, string> = { service: 'services', event: 'events', datastore: 'datastores' };

interface Ref {
  readonly kind: Kind;
  readonly id: string;
  readonly span: Span;
  readonly uri: string;
  readonly where: string;
}

/**
 * Every reference that names nothing, with the kind of id it must name. Called on every keystroke over
 * thousands of references: a reference that resolves costs a map lookup and nothing else.
 */
function dangling(system: System, ruleIds: ReadonlySet<string>): Ref[] {
  const out: Ref[] = [];
  const { services, events, datastores } = system;
  // `where` is a template with {} for the owner's id, filled only for a reference that names nothing.
  const miss = (kind: Kind, id: string, span: Span, uri: string, where: string, owner = '') => out.push({ kind, id, span, uri, where: where.replace('{}', owner) });
  const accepted = (list: readonly Accept[], uri: string) => {
    for (const a of list) if (!ruleIds.has(a.rule.id)) miss('rule', a.rule.id, a.rule.span, uri, 'this decision answers');
  };
  // The system's indexes already hold every call, publication, subscription and use by the id it names
  // (when no service id is defined twice: a later definition's items are not indexed). When every id
  // they name resolves, the items need not be walked one by one, except those with accept entries,
  // which the system lists. Otherwise every item is checked, in the order the findings have always had.
  const indexed = !system.duplicates.some((d) => d.kind === 'service') && allResolve(system.callsTo, services) && allResolve(system.publishersOf, events) && allResolve(system.subscribersOf, events) && allResolve(system.usersOf, datastores);
  for (const file of system.files) {
    const uri = file.uri;
    for (let i = 0; i < file.services.length; i++) {
      const s = file.services[i];
      if (!indexed) {
        for (const c of s.calls) if (!services.has(c.to.id)) miss('service', c.to.id, c.to.span, uri, "'{}' calls", s.id);
        for (const p of s.publishes) if (!events.has(p.event.id)) miss('event', p.event.id, p.event.span, uri, "'{}' publishes", s.id);
        for (const p of s.subscribes) if (!events.has(p.event.id)) miss('event', p.event.id, p.event.span, uri, "'{}' subscribes to", s.id);
        for (const u of s.uses) if (!datastores.has(u.store.id)) miss('datastore', u.store.id, u.store.span, uri, "'{}' uses", s.id);
      }
      for (let k = 0; k < s.deployTogether.length; k++) { const d = s.deployTogether[k]; if (!services.has(d.id)) miss('service', d.id, d.span, uri, "'{}' deploys together with", s.id); }
    }
    for (let i = 0; i < file.datastores.length; i++) { const d = file.datastores[i]; if (d.owner && !services.has(d.owner.value)) miss('service', d.owner.value, d.owner.span, uri, "the owner of '{}' is", d.id); }
    for (let i = 0; i < file.flows.length; i++) { const f = file.flows[i]; if (f.entry && !services.has(f.entry.value)) miss('service', f.entry.value, f.entry.span, uri, "flow '{}' enters at", f.id); }
    for (const r of file.rules) if (!ruleIds.has(r.rule.id)) miss('rule', r.rule.id, r.rule.span, uri, 'the rules block configures');
    // Every `accept` entry, in acceptsIn's order (accepts.ts), without building its labels: most elements
    // have none, and this runs on every keystroke.
    for (const els of [file.services, file.datastores, file.events, file.flows] as const) for (const el of els) if (el.accepts.length) accepted(el.accepts, uri);
    if (indexed) continue;
    for (const s of file.services) {
      for (const c of s.calls) if (c.accepts.length) accepted(c.accepts, uri);
      for (const p of s.publishes) if (p.accepts.length) accepted(p.accepts, uri);
      for (const p of s.subscribes) if (p.accepts.length) accepted(p.accepts, uri);
      for (const u of s.uses) if (u.accepts.length) accepted(u.accepts, uri);
    }
  }
  // The items' accept entries, when the items were not walked above. Their order differs from the walk's
  // only between entries at one place (an alias repeats a node), and those read the same.
  if (indexed) for (const item of system.itemAccepts) accepted(item.accepts, item.from.uri);
  return out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.span.start - b.span.start));
}

/** Whether every id an index is keyed by names an element of `defined`. */
function allResolve(index: ReadonlyMap<string, unknown>, defined: ReadonlyMap<string, unknown>): boolean {
  for (const id of index.keys()) if (!defined.has(id)) return false;
  return true;
}

/** How many id comparisons one analysis spends on "Did you mean" suggestions (about 100 ms on a busy machine). */
const SUGGESTION_BUDGET = 100_000;

function known(system: System, kind: Kind, ruleIds: ReadonlySet<string>): Iterable<string> {
  switch (kind) {
    case 'service':
      return system.services.keys();
    case 'event':
      return system.events.keys();
    case 'datastore':
      return system.datastores.keys();
    case 'rule':
      return ruleIds;
  }
}

export const unknownReference: Rule = {
  meta: {
    id: 'unknown-reference',
    title: 'A reference that names no service, event, datastore or rule',
    category: 'structure',
    alwaysOn: true,
    defaultSeverity: 'error',
    options: {},
    fixable: true,
    acceptable: false,
  },
  check(ctx: RuleContext) {
    for (const link of ctx.imports ?? []) {
      if (link.exists) continue;
      ctx.report({
        uri: link.from,
        span: link.span,
        message: link.refused === 'outside'
          ? `Imports '${link.path}', which is outside the project, so nothing was read. Imports are read only inside the workspace folder (for topolint check, the project root or --root).`
          : link.refused === 'not-topology'
          ? `Imports '${link.path}', which is not a topology file, so nothing from it is used. A topology file has a 'topology:' key.`
          : link.target
          ? `Imports '${link.path}', but there is no such file. Nothing it defines can be referenced. Fix the path, or create the file.`
          : `Imports '${link.path}', which is not a file path.`,
        messageId: 'missing-import',
        data: { kind: 'import', id: link.path },
      });
    }
    // The rule ids come from the analysis' registry, so this module need not import every rule.
    const ruleIds = new Set(ctx.rules?.keys());
    // A suggestion compares the id with every known id of its kind: once per distinct id (a missing store
    // is often named by hundreds of services), and within a budget of comparisons, past which the message
    // goes without one. 1,441 references to 7 missing stores among 3,000 took 39 s before.
    const suggestions = new Map<string, string | undefined>();
    let budget = SUGGESTION_BUDGET;
    const suggest = (kind: Kind, id: string): string | undefined => {
      const k = `${kind}\u0000${id}`;
      if (suggestions.has(k)) return suggestions.get(k);
      const size = kind === 'service' ? ctx.system.services.size : kind === 'event' ? ctx.system.events.size : kind === 'datastore' ? ctx.system.datastores.size : ruleIds.size;
      const near = budget >= size ? nearestId(id, known(ctx.system, kind, ruleIds)) : undefined;
      budget -= Math.min(budget, size);
      suggestions.set(k, near);
      return near;
    };
    for (const r of dangling(ctx.system, ruleIds)) {
      const near = suggest(r.kind, r.id);
      const hint = near ? ` Did you mean '${near}'?` : r.kind === 'rule' ? '' : ` Define it under '${SECTION[r.kind]}:' or fix the name.`;
      const where = r.where.charAt(0).toUpperCase() + r.where.slice(1);
      ctx.report({
        uri: r.uri,
        span: r.span,
        message: `${where} '${r.id}', but no ${r.kind === 'datastore' ? 'datastore' : r.kind} has that id.${hint}`,
        messageId: `unknown-${r.kind}`,
        data: { kind: r.kind, id: r.id, suggestion: near },
      });
    }
  },
  fixes(finding: Finding, ctx) {
    const fixes: Fix[] = [];
    const { kind, id, suggestion } = (finding.data ?? {}) as { kind?: Kind; id?: string; suggestion?: string };
    // A missing import file has no quick fix: the right path is the user's to say.
    if (!kind || !id || (kind as string) === 'import') return fixes;
    if (suggestion) fixes.push({ title: `Change to '${suggestion}'`, kind: 'quickfix', isPreferred: true, edits: [replaceNode(finding.uri, finding, suggestion)] });
    if (kind !== 'rule') {
      const file = ctx.file(finding.uri);
      if (file) {
        const section = file.topology.sections.get(SECTION[kind]);
        const title = `Create ${kind} '${id}'`;
        if (section?.value?.kind === 'map' && section.value.pairs.length) {
          fixes.push({ title, kind: 'quickfix', edits: [insertPair(finding.uri, file.text, section.value, id, { block: stub(kind) })] });
        } else if (section && !section.value) {
          fixes.push({ title, kind: 'quickfix', edits: [insertUnderEmpty(finding.uri, file.text, section, id, { block: stub(kind) })] });
        } else if (!section && file.topology.root?.kind === 'map' && !file.topology.root.flow) {
          fixes.push({ title, kind: 'quickfix', edits: [insertPair(finding.uri, file.text, file.topology.root, SECTION[kind], { block: [`${id}:`, ...stub(kind).map((l) => indentUnit(file.text) + l)] })] }); // The file's indent unit.
        }
      }
    }
    return fixes;
  },
};

function stub(kind: Exclude<Kind, 'rule'>): string[] {
  switch (kind) {
    case 'service':
      return ['description: TODO'];
    case 'event':
      return ['content: full'];
    case 'datastore':
      return ['kind: database'];
  }
}

export type { Service };
