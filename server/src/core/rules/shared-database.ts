import type { Fix, Related, Rule } from '../rule';
import type { Datastore, Use } from '../model';
import { addListItem, removeItem, setPair, insertUnderEmpty } from '../yamledit';
import { ownerOf, ownerOfItem } from './util';
import { short } from './model-fixes';
import { longestPaths, stronglyConnected } from '../graph';
import type { Service } from '../model';
import type { System } from '../system';
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
      // Most stores have no user or one use by one service: nothing to find, and nothing to allocate for
      // it (the full test below skips them too; a file drop with one user is skipped there as well).
      const list = ctx.system.usersOf.get(store.id);
      if (!list) continue;
      if (list.length === 1) {
        const only = store.owner?.value;
        if (only === undefined || !ctx.system.services.has(only) || list[0].from.id === only) continue;
      }
      // One entry per service: a service listing the store twice is still one user. Its writing entry
      // stands for it when it has one, so `access: read` listed before `access: write` still counts as a writer.
      const byService = new Map<string, Use>();
      for (const u of list) {
        const seen = byService.get(u.from.id);
        if (!seen || (seen.access === 'read' && u.access !== 'read')) byService.set(u.from.id, u);
      }
      const users = [...byService.values()];
      const writers = users.filter((u) => u.access !== 'read');
      // Services that write the store as their system of record: a cache written next to a database is a
      // copy, and two services refreshing one cache of copies are not two owners of its data (models.ts).
      const recordWriters = writers.filter((u) => ctx.system.models().writesOfRecord(u.from, store));
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
        const manyWriters = recordWriters.length >= 2 && recordWriters.includes(u);
        const others = users.filter((x) => x !== u).map((x) => `'${x.from.id}'`);
        const why = manyWriters
          ? `${recordWriters.length} services write '${store.id}' as their own data`
          : ownerKnown
            ? `'${store.id}' belongs to '${owner}'`
            : `'${store.id}' has no owner and ${capList(others, ', ')} use${others.length === 1 ? 's' : ''} it too`;
        const advice = ownerKnown ? `Call '${owner}' for this data instead` : `Give '${store.id}' one owner and let the others call it`;
        ctx.report({
          uri: u.from.uri,
          span: u.store.span,
          message:
            `'${short(u.from.id)}' ${verb(u)} '${short(store.id)}', but ${why}. ` +
            `Every service that touches it is coupled to its schema and cannot change or deploy alone: ${advice[0].toLowerCase()}${advice.slice(1)}, or split the store.`,
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
      const ownerService = ctx.system.services.get(owner)!;
      const cycle = cycleNote(s, ownerService, ctx.system);
      // A service that lists the store twice keeps its other use: the finding stands for both.
      const others = s.uses.filter((u) => u !== use && u.store.id === store.id).length;
      const rest = others ? `; ${others === 1 ? `its other use of '${short(store.id, 20)}' remains` : `its ${others} other uses of '${short(store.id, 20)}' remain`}` : '';
      fixes.push({
        // A cycle has no longest chain to speak of, and is the bigger news: it replaces the chain note.
        title: `Call '${owner}' (the owner) instead of using '${store.id}' directly${cycle || chainNote(s, ownerService, ctx.system, ctx.rules?.get('sync-chain')?.options.max?.default)}${rest}`,
        kind: 'refactor.rewrite',
        // A call that closes a synchronous cycle trades this finding for an error: still offered, since
        // the owner is the right home for the data, but not as the preferred fix.
        isPreferred: !cycle,
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

/**
 * "; makes a sync cycle via 'owner'" when the owner already reaches `s` synchronously, so that a blocking
 * call from s to the owner closes a new cycle (sync-cycle's error); "" otherwise, and also when the two are
 * already in one cycle (the call then joins a cycle that is reported already). One linear search.
 */
function cycleNote(s: Service, owner: Service, sys: System): string {
  const from = sys.indexOf.get(owner)!;
  const to = sys.indexOf.get(s)!;
  const { comp } = sys.syncComponents();
  if (comp[from] === comp[to]) return '';
  const seen = new Uint8Array(sys.serviceList.length);
  const stack = [from];
  seen[from] = 1;
  while (stack.length) {
    for (const w of sys.syncGraph.succ[stack.pop()!]) {
      if (w === to) return `; makes a sync cycle via '${short(owner.id, 20)}' (sync-cycle)`;
      if (!seen[w]) { seen[w] = 1; stack.push(w); }
    }
  }
  return '';
}

/**
 * What replacing a use by a call to the owner does to sync chains: "; makes a 5-service chain via 'x'"
 * when the longest chain from an entry through the new call is over sync-chain's default limit, else "".
 */
function chainNote(s: Service, owner: Service, sys: System, max: number | undefined): string {
  if (max === undefined) return '';
  // Services an entry reaches synchronously; only there does the new call make a chain.
  const reached = new Uint8Array(sys.serviceList.length);
  const stack: number[] = [];
  for (const e of sys.entries()) {
    const v = sys.indexOf.get(e)!;
    if (!reached[v]) { reached[v] = 1; stack.push(v); }
  }
  while (stack.length) for (const w of sys.syncGraph.succ[stack.pop()!]) if (!reached[w]) { reached[w] = 1; stack.push(w); }
  const from = sys.indexOf.get(s)!;
  if (!reached[from]) return '';
  // The longest chain that ends at s: the longest path from s over the reversed calls among reached services.
  const pred: number[][] = sys.serviceList.map(() => []);
  sys.syncGraph.succ.forEach((out, v) => { if (reached[v]) for (const w of out) if (reached[w]) pred[w].push(v); });
  const rev = { size: sys.serviceList.length, succ: pred };
  const back = longestPaths(rev, stronglyConnected(rev)).value[from];
  const length = back + sys.syncChains().value[sys.indexOf.get(owner)!];
  return length > max ? `; makes a ${length}-service chain via '${owner.id}', over sync-chain's limit of ${max}` : '';
}
