import type { Finding, Fix, Rule, RuleContext } from '../engine';
import type { Accept, Service, Topology } from '../model';
import { didYouMean } from '../schema';
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

/** Every reference in the system, with the kind of id it must name (an array: this runs on every keystroke). */
function references(system: System): Ref[] {
  const out: Ref[] = [];
  for (const file of system.files) {
    const uri = file.uri;
    for (const s of file.services) {
      for (const c of s.calls) out.push({ kind: 'service', id: c.to.id, span: c.to.span, uri, where: `'${s.id}' calls` });
      for (const p of s.publishes) out.push({ kind: 'event', id: p.event.id, span: p.event.span, uri, where: `'${s.id}' publishes` });
      for (const p of s.subscribes) out.push({ kind: 'event', id: p.event.id, span: p.event.span, uri, where: `'${s.id}' subscribes to` });
      for (const u of s.uses) out.push({ kind: 'datastore', id: u.store.id, span: u.store.span, uri, where: `'${s.id}' uses` });
      for (const d of s.deployTogether) out.push({ kind: 'service', id: d.id, span: d.span, uri, where: `'${s.id}' deploys together with` });
    }
    for (const d of file.datastores) if (d.owner) out.push({ kind: 'service', id: d.owner.value, span: d.owner.span, uri, where: `the owner of '${d.id}' is` });
    for (const f of file.flows) if (f.entry) out.push({ kind: 'service', id: f.entry.value, span: f.entry.span, uri, where: `flow '${f.id}' enters at` });
    for (const r of file.rules) out.push({ kind: 'rule', id: r.rule.id, span: r.rule.span, uri, where: 'the rules block configures' });
    for (const a of allAccepts(file)) out.push({ kind: 'rule', id: a.rule.id, span: a.rule.span, uri, where: 'this decision answers' });
  }
  return out;
}

/** Every accept entry of a file, in document order of its elements (no generators or spreads: hot path). */
function allAccepts(file: Topology): Accept[] {
  const out: Accept[] = [];
  const add = (list: readonly Accept[]) => {
    for (const a of list) out.push(a);
  };
  for (const el of file.services) add(el.accepts);
  for (const el of file.datastores) add(el.accepts);
  for (const el of file.events) add(el.accepts);
  for (const el of file.flows) add(el.accepts);
  for (const s of file.services) {
    for (const x of s.calls) add(x.accepts);
    for (const x of s.publishes) add(x.accepts);
    for (const x of s.subscribes) add(x.accepts);
    for (const x of s.uses) add(x.accepts);
  }
  return out;
}

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

/** Rule ids, set by the registry (rules/index.ts) so this module does not import every rule. */
export const KNOWN_RULES = new Set<string>();

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
        message: link.target
          ? `Imports '${link.path}', but there is no such file: nothing it defines can be referenced. Fix the path, or create the file.`
          : `Imports '${link.path}', which is not a file path.`,
        messageId: 'missing-import',
        data: { kind: 'import', id: link.path },
      });
    }
    for (const r of references(ctx.system)) {
      const has = r.kind === 'service' ? ctx.system.services.has(r.id) : r.kind === 'event' ? ctx.system.events.has(r.id) : r.kind === 'datastore' ? ctx.system.datastores.has(r.id) : KNOWN_RULES.has(r.id);
      if (has) continue;
      const near = didYouMean(r.id, known(ctx.system, r.kind, KNOWN_RULES));
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
