import type { Fix, Rule } from '../rule';
import { removeItem, setPair, yamlScalar } from '../yamledit';
import { ownerOf, ownerOfItem } from './util';
import { capList } from '../text';

export const sensitiveEventData: Rule = {
  meta: {
    id: 'sensitive-event-data',
    title: 'A sensitive field of an event reaching a consumer that does not need it',
    category: 'events',
    defaultSeverity: 'info',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    for (const e of sys.events.values()) {
      const sensitive = e.fields.filter((f) => f.sensitive);
      if (!sensitive.length) continue;
      for (const sub of sys.subscribersOf.get(e.id) ?? []) {
        const needs = new Set((sub.uses?.value ?? []).map((r) => r.id));
        const unneeded = sensitive.filter((f) => !needs.has(f.name));
        if (!unneeded.length) continue;
        const names = capList(unneeded.map((f) => `'${f.name}'`), ', ');
        ctx.report({
          uri: sub.from.uri,
          span: sub.event.span,
          message:
            (unneeded.length === 1
              ? `'${sub.from.id}' receives the sensitive field ${names} of '${e.id}' ${sub.uses ? 'but does not list it in uses' : 'and does not say which fields it needs'}. `
              : `'${sub.from.id}' receives ${unneeded.length} sensitive fields of '${e.id}' ${sub.uses ? 'that it does not list in uses' : 'and does not say which fields it needs'}. `) +
            `Sensitive data${unneeded.length === 1 ? '' : ` (${names})`} spreads to every consumer, and each one becomes part of the audit. List the fields this consumer uses, or split '${e.id}' into a public and a private event.`,
          messageId: sub.uses ? 'unused-sensitive' : 'no-uses',
          related: unneeded.map((f) => ({ uri: e.uri, span: f.span, message: `'${f.name}' is sensitive` })),
          owners: [ownerOfItem(sub, `the subscription of '${sub.from.id}' to '${e.id}'`), ownerOf(sub.from), ownerOf(e)],
          data: { service: sub.from.id, index: sub.index, event: e.id },
        });
      }
    }
  },
  fixes(finding, ctx) {
    const s = ctx.system.services.get(String(finding.data?.service));
    const sub = s?.subscribes.find((x) => x.index === finding.data?.index);
    const e = ctx.system.events.get(String(finding.data?.event));
    const file = s && ctx.file(s.uri);
    if (!s || !sub || !e || !file || sub.node.kind !== 'map') return [];
    const fixes: Fix[] = [];
    if (!sub.uses) {
      // Saying which fields it needs turns "says nothing" into a precise finding (or none, once the
      // sensitive fields are trimmed), and lets the fields below be trimmed safely.
      const keep = e.fields.filter((f) => !f.sensitive).map((f) => yamlScalar(f.name, true));
      // The sensitive fields still reach it: the finding stays, precise now, until they are trimmed or split off.
      const still = e.fields.filter((f) => f.sensitive).map((f) => `'${f.name}'`).join(', ');
      fixes.push({
        title: `List the fields '${s.id}' needs (uses: [${keep.join(', ')}]); receiving ${still} remains, to trim or split off`,
        kind: 'quickfix',
        edits: [setPair(s.uri, file.text, sub.node, 'uses', `[${keep.join(', ')}]`)],
      });
    }
    // Trim a sensitive field nobody needs: only when every subscriber says what it uses and none lists
    // it, so that no consumer loses data it reads. (The old fix here rewrote `uses` to the list it
    // already had, which changed nothing.)
    const subs = ctx.system.subscribersOf.get(e.id) ?? [];
    const eventFile = ctx.file(e.uri);
    const seq = e.node?.pairs.find((p) => p.key === 'fields')?.value;
    if (eventFile && seq?.kind === 'seq' && subs.every((x) => x.uses)) {
      for (const f of e.fields) {
        if (!f.sensitive || subs.some((x) => x.uses!.value.some((r) => r.id === f.name))) continue;
        const index = seq.items.findIndex((n) => n.span.start === f.span.start);
        if (index < 0) continue;
        fixes.push({ title: `Remove the sensitive field '${f.name}' from '${e.id}': no consumer uses it`, kind: 'quickfix', edits: [removeItem(e.uri, eventFile.text, seq, index)] });
      }
    }
    return fixes;
  },
};
