import type { Rule } from '../rule';
import { insertUnderEmpty, setPair, yamlScalar } from '../yamledit';
import { ownerOf } from './util';

export const unversionedInterface: Rule = {
  meta: {
    id: 'unversioned-interface',
    title: 'A widely used or external interface with no versions',
    category: 'interfaces',
    defaultSeverity: 'info',
    options: { callers: { type: 'int', default: 3, min: 1, description: 'Callers from which an interface should be versioned.' } },
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    for (const s of ctx.system.serviceList) {
      // `versions: []` names no version either.
      if (s.versions?.value.length) continue;
      const callers = new Set((ctx.system.callsTo.get(s.id) ?? []).filter((c) => c.from.id !== s.id).map((c) => c.from.id));
      const external = s.exposure === 'external';
      if (!external && callers.size < ctx.options.callers) continue;
      ctx.report({
        uri: s.uri,
        span: s.idSpan,
        message:
          `${external ? `'${s.id}' is reached from outside` : `${callers.size} services call '${s.id}'`} and its interface has no versions: a breaking change must ship ` +
          `to every consumer at once. Name the versions it serves (versions: [v1]) so old and new can run side by side.`,
        messageId: external ? 'external' : 'many-callers',
        owners: [ownerOf(s)],
        data: { service: s.id },
      });
    }
  },
  fixes(finding, ctx) {
    const s = ctx.system.services.get(String(finding.data?.service));
    const file = s && ctx.file(s.uri);
    if (!s || !file) return [];
    // The versions its callers already ask for, else v1. Declaring [v1] while a caller says `version: v2`
    // would trade this note for an unserved-version error.
    const asked = [...new Set((ctx.system.callsTo.get(s.id) ?? []).filter((c) => c.from.id !== s.id && c.version).map((c) => c.version!.value))].sort();
    const list = `[${(asked.length ? asked : ['v1']).map((v) => yamlScalar(v, true)).join(', ')}]`;
    const edit = s.node ? setPair(s.uri, file.text, s.node, 'versions', list) : insertUnderEmpty(s.uri, file.text, s.pair, 'versions', { inline: list });
    return [{ title: `Declare the interface versions '${s.id}' serves (versions: ${list})`, kind: 'quickfix', isPreferred: true, edits: [edit] }];
  },
};
