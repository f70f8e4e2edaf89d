import type { Fix, Rule } from '../rule';
import { appendItem, setPair } from '../yamledit';
import { callLabel, ownerOf, ownerOfItem } from './util';
import { capList } from '../text';

export const unservedVersion: Rule = {
  meta: {
    id: 'unserved-version',
    title: "A call to an interface version the callee does not serve",
    category: 'interfaces',
    defaultSeverity: 'error',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    for (const s of ctx.system.serviceList) {
      for (const c of s.calls) {
        if (!c.version) continue;
        const callee = ctx.system.services.get(c.to.id);
        if (!callee?.versions) continue;
        const wanted = c.version.value;
        if (callee.versions.value.some((r) => r.id === wanted)) continue;
        const served = callee.versions.value.map((r) => r.id);
        ctx.report({
          uri: s.uri,
          span: c.version.span,
          message:
            `'${s.id}' calls version ${c.version.value} of '${c.to.id}', which serves ${served.length ? capList(served, ', ') : 'no version'}. ` +
            `The call breaks as soon as both are deployed, unless they are released in lock-step. ` +
            `Move to a served version, or let '${c.to.id}' serve both while callers migrate (expand, then contract).`,
          messageId: 'unserved',
          related: [{ uri: callee.uri, span: callee.versions.span, message: `'${c.to.id}' serves ${capList(served, ', ') || 'nothing'}` }],
          owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
          data: { service: s.id, index: c.index },
        });
      }
    }
  },
  fixes(finding, ctx) {
    const s = ctx.system.services.get(String(finding.data?.service));
    const c = s?.calls.find((x) => x.index === finding.data?.index);
    const callee = c && ctx.system.services.get(c.to.id);
    const file = s && ctx.file(s.uri);
    if (!s || !c || !callee?.versions || !file || !c.version) return [];
    const fixes: Fix[] = callee.versions.value.map((v) => ({ title: `Call version ${v.id} instead`, kind: 'quickfix' as const, edits: [setPair(s.uri, file.text, c.node, 'version', v.id)] }));
    const calleeFile = ctx.file(callee.uri);
    const seq = callee.versions.pair.value;
    if (calleeFile && seq?.kind === 'seq') {
      fixes.push({ title: `Let '${callee.id}' serve ${c.version.value} too, while callers migrate`, kind: 'quickfix', edits: [appendItem(callee.uri, calleeFile.text, seq, [c.version.value], c.version.value)] });
    }
    return fixes;
  },
};
