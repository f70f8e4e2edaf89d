import type { Fix, Related, Rule } from '../engine';
import type { Datastore, Use } from '../model';
import { addListItem, removeItem, setPair, insertUnderEmpty } from '../yamledit';
import { ownerOf, ownerOfItem } from './util';
import { capList } from '../text';

/** Stores that are shared by design (common-data-lake's business, not this rule's). */
const SHARED_BY_DESIGN = new Set(['data-lake', 'warehouse']);

export const sharedDatabase: Rule = {
  meta: {
    id: 'shared-database',
    title: 'A datastore shared by several services, or used by one that does not own it',
    category: 'communication',
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    for (const store of ctx.system.datastores.values()) {
      if (SHARED_BY_DESIGN.has(store.storeKind)) continue;
      // One entry per service: a service listing the store twice is still one user. Its writing entry
      // stands for it when it has one, so `access: read` listed before `access: write` still counts as a writer.
      const byService = new Map<string, Use>();
      for (const u of ctx.system.usersOf.get(store.id) ?? []) {
        const seen = byService.get(u.from.id);
        if (!seen || (seen.access === 'read' && u.access !== 'read')) byService.set(u.from.id, u);
      }
      const users = [...byService.values()];
      const writers = users.filter((u) => u.access !== 'read');
      const owner = store.owner?.value;
      const ownerKnown = owner !== undefined && ctx.system.services.has(owner);
      // A file drop with one writer is filesystem-drop's (the common-data pattern), not coupling through a database.
      if ((store.storeKind === 'filesystem' || store.storeKind === 'bucket') && writers.length <= 1) continue;
      if (users.length === 0 || (users.length === 1 && (!ownerKnown || users[0].from.id === owner))) continue;
      const related = (self: Use): Related[] => [
        ...(store.owner ? [{ uri: store.uri, span: store.owner.span, message: `owned by '${owner}'` }] : [{ uri: store.uri, span: store.idSpan, message: `'${store.id}' has no owner` }]),
        ...users.filter((u) => u !== self).map((u) => ({ uri: u.from.uri, span: u.store.span, message: `'${u.from.id}' ${verb(u)} it too` })),
      ];
      for (const u of users) {
        if (ownerKnown && u.from.id === owner) continue;
        const manyWriters = writers.length >= 2 && u.access !== 'read';
        const others = users.filter((x) => x !== u).map((x) => `'${x.from.id}'`);
        const why = manyWriters
          ? `${writers.length} services write '${store.id}'`
          : ownerKnown
            ? `'${store.id}' belongs to '${owner}'`
            : `'${store.id}' has no owner and ${capList(others, ', ')} use${others.length === 1 ? 's' : ''} it too`;
        const advice = ownerKnown ? `Call '${owner}' for this data instead` : `Give '${store.id}' one owner and let the others call it`;
        ctx.report({
          uri: u.from.uri,
          span: u.store.span,
          message:
            `'${u.from.id}' ${verb(u)} '${store.id}', but ${why}: every service touching it is coupled to its schema and cannot change or deploy alone. ` +
            `${advice}, or split the store.`,
          messageId: manyWriters ? 'many-writers' : ownerKnown ? 'foreign-use' : 'no-owner',
          severity: manyWriters ? 'error' : 'warning',
          related: related(u),
          owners: [ownerOfItem(u, `the use of '${store.id}' by '${u.from.id}'`), ownerOf(u.from), ownerOf(store)],
          data: { service: u.from.id, index: u.index, store: store.id },
        });
      }
    }
  },
  fixes(finding, ctx) {
    const s = ctx.system.services.get(String(finding.data?.service));
    const store = ctx.system.datastores.get(String(finding.data?.store));
    const use = s?.uses.find((u) => u.index === finding.data?.index);
    const file = s && ctx.file(s.uri);
    if (!s || !store || !use || !file) return [];
    const fixes: Fix[] = [];
    const owner = store.owner?.value;
    const usesSeq = s.usesField?.pair.value;
    if (owner && ctx.system.services.has(owner) && owner !== s.id && usesSeq?.kind === 'seq') {
      const op = `${use.access === 'read' ? 'read' : 'write'} ${store.id}`;
      fixes.push({
        title: `Call '${owner}' (the owner) instead of using '${store.id}' directly`,
        kind: 'refactor.rewrite',
        isPreferred: true,
        edits: [
          removeItem(s.uri, file.text, usesSeq, use.index),
          addListItem(s.uri, file.text, s.node, s.pair, 'calls', [`to: ${owner}`, `operation: ${op}`], `{ to: ${owner}, operation: ${op} }`),
        ],
      });
    }
    if (!owner) fixes.push(...assignOwner(store, s.id, ctx.file(store.uri)?.text));
    return fixes;
  },
};

function verb(u: Use): string {
  return u.access === 'read' ? 'reads' : u.access === 'write' ? 'writes' : 'reads and writes';
}

function assignOwner(store: Datastore, service: string, text: string | undefined): Fix[] {
  if (text === undefined) return [];
  const edit = store.node ? setPair(store.uri, text, store.node, 'owner', service) : insertUnderEmpty(store.uri, text, store.pair, 'owner', { inline: service });
  return [{ title: `Make '${service}' the owner of '${store.id}'`, kind: 'quickfix', edits: [edit] }];
}
