import type { Rule } from '../rule';
import { ownerOf, ownerOfItem } from './util';

export const filesystemDrop: Rule = {
  meta: {
    id: 'filesystem-drop',
    title: 'Services that exchange data through files in a shared filesystem or bucket',
    category: 'communication',
    defaultSeverity: 'info',
    options: {},
    fixable: false,
    acceptable: true,
  },
  check(ctx) {
    for (const d of ctx.system.datastores.values()) {
      if (d.storeKind !== 'filesystem' && d.storeKind !== 'bucket') continue;
      const uses = ctx.system.usersOf.get(d.id) ?? [];
      const writers = [...new Set(uses.filter((u) => u.access !== 'read').map((u) => u.from.id))];
      if (writers.length !== 1) continue;
      for (const u of uses) {
        if (u.access !== 'read' || u.from.id === writers[0]) continue;
        ctx.report({
          uri: u.from.uri,
          span: u.store.span,
          message:
            `'${u.from.id}' reads files that '${writers[0]}' drops in '${d.id}'. That suits large volumes and old systems, but '${u.from.id}' must poll to notice new files, ` +
            `and both must agree on the format and cope with half-written or missing files.`,
          messageId: 'drop',
          related: uses.filter((x) => x.from.id === writers[0]).map((x) => ({ uri: x.from.uri, span: x.store.span, message: `${writers[0]} writes here` })),
          owners: [ownerOfItem(u, `the use of '${d.id}' by '${u.from.id}'`), ownerOf(u.from), ownerOf(d)],
        });
      }
    }
  },
};
