import type { Rule } from '../rule';
import { setPair } from '../yamledit';
import { ownerOf, ownerOfItem } from './util';
import { short } from './model-fixes';
import { capList } from '../text';

export const dualWrite: Rule = {
  meta: {
    id: 'dual-write',
    title: 'Saving state and publishing an event as two separate writes',
    category: 'events',
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    for (const s of ctx.system.serviceList) {
      const direct = s.publishes.filter((p) => p.delivery === 'direct');
      if (!direct.length) continue;
      // A cache usually holds copies, not the state of record: writing it next to a publish is no dual
      // write. But a cache that is the only store a service writes is its system of record (models.ts).
      const writes = ctx.system.models().recordWrites(s);
      if (!writes.length && direct.length < 2) continue;
      for (const p of direct) {
        const cache = writes.length && ctx.system.datastores.get(writes[0].store.id)?.storeKind === 'cache' ? ` (a cache, but the only store it writes)` : '';
        const message = writes.length
          ? `'${short(s.id)}' writes '${short(writes[0].store.id)}' and publishes '${short(p.event.id)}' directly: two writes that cannot commit together. ` +
            `A crash between them leaves the store${cache} and the consumers disagreeing. Publish through a transactional outbox (delivery: outbox) or change data capture (delivery: cdc).`
          : `'${short(s.id)}' publishes ${direct.length} events directly, '${short(p.event.id)}' among them: sends that cannot commit together. ` +
            `A crash between them tells some consumers and not others (${capList(direct.map((d) => `'${d.event.id}'`), ', ')}). Publish through a transactional outbox (delivery: outbox) or change data capture (delivery: cdc).`;
        ctx.report({
          uri: s.uri,
          span: p.event.span,
          message,
          messageId: writes.length ? 'store-and-publish' : 'several-publishes',
          related: [...writes.map((u) => ({ uri: s.uri, span: u.store.span, message: `writes ${u.store.id}` })), ...direct.filter((d) => d !== p).map((d) => ({ uri: s.uri, span: d.event.span, message: `publishes ${d.event.id} directly` }))],
          owners: [ownerOfItem(p, `the publication of '${p.event.id}' by '${s.id}'`), ownerOf(s)],
          data: { service: s.id, index: p.index },
        });
      }
    }
  },
  fixes(finding, ctx) {
    const s = ctx.system.services.get(String(finding.data?.service));
    const p = s?.publishes.find((x) => x.index === finding.data?.index);
    const file = s && ctx.file(s.uri);
    if (!s || !p || !file || p.node.kind !== 'map') return [];
    return [
      { title: `Publish '${p.event.id}' through a transactional outbox (delivery: outbox)`, kind: 'quickfix', isPreferred: true, edits: [setPair(s.uri, file.text, p.node, 'delivery', 'outbox')] },
      { title: `Publish '${p.event.id}' by change data capture (delivery: cdc)`, kind: 'quickfix', edits: [setPair(s.uri, file.text, p.node, 'delivery', 'cdc')] },
    ];
  },
};
