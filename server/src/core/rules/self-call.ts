import type { Rule } from '../rule';
import { removeItem } from '../yamledit';
import { ownerOfItem, ownerOf } from './util';

export const selfCall: Rule = {
  meta: {
    id: 'self-call',
    title: 'A service calling itself over the network',
    category: 'structure',
    alwaysOn: true,
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    for (const s of ctx.system.services.values()) {
      for (const c of s.calls) {
        if (c.to.id !== s.id) continue;
        ctx.report({
          uri: s.uri,
          span: c.to.span,
          message: `'${s.id}' calls itself over the network. That is a round trip (serialisation, packets, a chance to fail) for what an in-process call does for free. Call the code directly.`,
          messageId: 'self',
          owners: [ownerOfItem(c, `the call ${s.id} → ${s.id}`), ownerOf(s)],
          data: { service: s.id, index: c.index },
        });
      }
    }
  },
  fixes(finding, ctx) {
    const s = ctx.system.services.get(String(finding.data?.service));
    const file = s && ctx.file(s.uri);
    const calls = s?.callsField?.pair.value;
    const call = s?.calls.find((c) => c.index === finding.data?.index);
    if (!s || !file || !call || calls?.kind !== 'seq') return [];
    return [{ title: `Remove the call from '${s.id}' to itself`, kind: 'quickfix', isPreferred: true, edits: [removeItem(s.uri, file.text, calls, call.index)] }];
  },
};
