import type { Rule } from '../rule';
import { acceptsIn } from '../accepts';
import { adrTemplate } from '../adr';

export const missingAdr: Rule = {
  meta: {
    id: 'missing-adr',
    title: 'A decision that links an ADR file that does not exist',
    category: 'structure',
    alwaysOn: true,
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: false,
  },
  check(ctx) {
    const exists = ctx.host.exists;
    if (!exists) return;
    for (const file of ctx.files) {
      for (const { accept, label } of acceptsIn(file.topology)) {
        if (!accept.adr) continue;
        let uri: string;
        try {
          uri = new URL(accept.adr.value, file.uri).href;
        } catch {
          continue;
        }
        // A record outside the project is neither looked for nor offered to be created there.
        if (ctx.host.inside && !ctx.host.inside(uri, file.uri)) {
          ctx.report({
            uri: file.uri,
            span: accept.adr.span,
            message: `The decision record '${accept.adr.value}' is outside the project: Topolint creates and reads decision records only inside the workspace, so it offers no fix here. Keep the record in the project and link it by a relative path.`,
            messageId: 'outside',
            data: { outside: true },
          });
          continue;
        }
        if (exists(uri)) continue;
        ctx.report({
          uri: file.uri,
          span: accept.adr.span,
          message: `The decision record '${accept.adr.value}' does not exist. Whoever reads this accept later cannot find why the trade-off was taken. Create it, or fix the path.`,
          messageId: 'missing',
          data: { target: uri, rule: accept.rule.id, label, reason: accept.reason?.value ?? '' },
        });
      }
    }
  },
  fixes(finding, ctx) {
    const { target, rule, label, reason, outside } = (finding.data ?? {}) as { target?: string; rule?: string; label?: string; reason?: string; outside?: boolean };
    if (!target || !rule || outside || !target.startsWith('file:')) return [];
    const number = Number(/\/(\d{4})-[^/]*$/.exec(target)?.[1] ?? 1);
    const meta = ctx.rules?.get(rule) ?? { id: rule, title: rule, category: 'communication' as const, defaultSeverity: 'warning' as const, options: {}, fixable: false, acceptable: true };
    const text = adrTemplate(number, { ...finding, message: reason ? `Accepted: ${reason}` : `A ${rule} finding was accepted.` }, meta, label ?? rule);
    // The file name as the user wrote it, not percent-encoded as in the URI (`my%20decision.md`).
    const name = decodeURIComponent(target.split('/').pop() ?? target);
    return [{ title: `Create the decision record ${name}`, kind: 'quickfix', edits: [], creates: [{ uri: target, text }] }];
  },
};
