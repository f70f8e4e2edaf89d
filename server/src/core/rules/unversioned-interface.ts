import type { Fix, FixContext, Rule, TextEdit } from '../rule';
import type { Service } from '../model';
import { insertUnderEmpty, setPair, yamlScalar } from '../yamledit';
import { ownerOf } from './util';

/** Unversioned interfaces from which, when no service names a version at all, they are one finding. */
const GROUP_FROM = 3;

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
    const sys = ctx.system;
    const found: { s: Service; callers: number; external: boolean }[] = [];
    for (const s of sys.serviceList) {
      // `versions: []` names no version either.
      if (s.versions?.value.length) continue;
      // A frontend or a backend for a frontend is served to its own browser or app, released with it:
      // its interface is not one that other teams' consumers depend on.
      const kind: string = s.serviceKind;
      if (kind === 'frontend' || kind === 'bff') continue;
      const callers = new Set((sys.callsTo.get(s.id) ?? []).filter((c) => c.from.id !== s.id).map((c) => c.from.id));
      const external = s.exposure === 'external';
      if (!external && callers.size < ctx.options.callers) continue;
      found.push({ s, callers: callers.size, external });
    }
    // One cause, one finding: where no service names a version, the system does not version its
    // interfaces at all, and that is one decision, reported once at the top of the file.
    const accepted = (s: Service) => s.accepts.some((a) => a.rule.id === 'unversioned-interface');
    const open = found.filter((x) => !accepted(x.s));
    const anyVersions = sys.serviceList.some((s) => s.versions?.value.length);
    const main = sys.files[0];
    const top = main?.sections.get('topology');
    if (!anyVersions && open.length >= GROUP_FROM && main && top) {
      ctx.report({
        uri: main.uri,
        span: top.keySpan,
        message:
          `${open.length} interfaces are external or widely called, and no service names the versions it serves. ` +
          `A breaking change to any of them must ship to every consumer at once. Name the versions each serves (versions: [v1]) so old and new can run side by side.`,
        messageId: 'none-versioned',
        related: open.map(({ s, callers, external }) => ({ uri: s.uri, span: s.idSpan, message: external ? `'${s.id}' is reached from outside` : `${callers} services call '${s.id}'` })),
        data: { services: open.map((x) => x.s.id) },
      });
    }
    for (const { s, callers, external } of found) {
      if (!anyVersions && open.length >= GROUP_FROM && main && top && !accepted(s)) continue;
      ctx.report({
        uri: s.uri,
        span: s.idSpan,
        message:
          `${external ? `'${s.id}' is reached from outside` : `${callers} services call '${s.id}'`}, and its interface has no versions. ` +
          `A breaking change must ship to every consumer at once. Name the versions it serves (versions: [v1]) so old and new can run side by side.`,
        messageId: external ? 'external' : 'many-callers',
        owners: [ownerOf(s)],
        data: { service: s.id },
      });
    }
  },
  fixes(finding, ctx) {
    if (finding.messageId === 'none-versioned') {
      const ids = (finding.data?.services ?? []) as string[];
      const one = ids.map((id) => versionsEdit(ctx, id)).filter((x): x is NonNullable<typeof x> => !!x);
      const fixes: Fix[] = [];
      if (one.length) fixes.push({ title: `Declare the versions each of the ${one.length} interfaces serves (versions: [v1], or what its callers ask for)`, kind: 'quickfix', isPreferred: true, edits: one.map((x) => x.edit) });
      for (const x of one) fixes.push({ title: `Declare the versions '${x.id}' serves (versions: ${x.list}); ${one.length - 1} other interfaces stay unversioned`, kind: 'quickfix', edits: [x.edit] });
      return fixes;
    }
    const x = versionsEdit(ctx, String(finding.data?.service));
    return x ? [{ title: `Declare the interface versions '${x.id}' serves (versions: ${x.list})`, kind: 'quickfix', isPreferred: true, edits: [x.edit] }] : [];
  },
};

/** `versions:` for a service: the versions its callers already ask for, else v1. */
function versionsEdit(ctx: FixContext, id: string): { id: string; list: string; edit: TextEdit } | undefined {
  const s = ctx.system.services.get(id);
  const file = s && ctx.file(s.uri);
  if (!s || !file) return undefined;
  // Declaring [v1] while a caller says `version: v2` would trade this note for an unserved-version error.
  const asked = [...new Set((ctx.system.callsTo.get(s.id) ?? []).filter((c) => c.from.id !== s.id && c.version).map((c) => c.version!.value))].sort();
  const list = `[${(asked.length ? asked : ['v1']).map((v) => yamlScalar(v, true)).join(', ')}]`;
  const edit = s.node ? setPair(s.uri, file.text, s.node, 'versions', list) : insertUnderEmpty(s.uri, file.text, s.pair, 'versions', { inline: list });
  return { id: s.id, list, edit };
}
