import type { Rule } from '../rule';
import { ownerOf } from './util';

export const commonDataLake: Rule = {
  meta: {
    id: 'common-data-lake',
    title: 'A data lake or warehouse shared by several services (common data, by design)',
    category: 'communication',
    defaultSeverity: 'info',
    options: {},
    fixable: false,
    acceptable: true,
  },
  check(ctx) {
    for (const d of ctx.system.datastores.values()) {
      if (d.storeKind !== 'data-lake' && d.storeKind !== 'warehouse') continue;
      const users = new Map<string, import('../model').Use>();
      for (const u of ctx.system.usersOf.get(d.id) ?? []) if (!users.has(u.from.id)) users.set(u.from.id, u);
      if (users.size < 2) continue;
      const lake = d.storeKind === 'data-lake';
      ctx.report({
        uri: d.uri,
        span: d.idSpan,
        message:
          `${users.size} services share the ${lake ? 'data lake' : 'warehouse'} '${d.id}'. Common data is simple and handles large volumes, but ` +
          (lake
            ? `every reader must understand the raw formats the writers put in, and readers learn of new data only by looking.`
            : `every writer is bound to its structure, so changing it touches them all.`),
        messageId: lake ? 'lake' : 'warehouse',
        related: [...users.values()].map((u) => ({ uri: u.from.uri, span: u.store.span, message: `${u.from.id} ${u.access === 'read' ? 'reads' : 'writes'} it` })),
        owners: [ownerOf(d)],
      });
    }
  },
};
