import type { Fix, Rule } from '../rule';
import type { Call, Topology } from '../model';
import { insertTopPair, insertUnderEmpty, setPair } from '../yamledit';
import { callLabel, ownerOf, ownerOfItem, callData, callOfFinding } from './util';

/** Calls without a timeout in one file, from which they are one finding: the file has no default timeout. */
const GROUP_FROM = 3;

export const missingTimeout: Rule = {
  meta: {
    id: 'missing-timeout',
    title: 'A synchronous call with no timeout',
    category: 'failure',
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    // The calls without a timeout, by the file that defines them (its defaults apply to them).
    const byFile = new Map<string, Call[]>();
    for (const s of ctx.system.serviceList) {
      for (const c of s.calls) {
        if (c.style !== 'sync' || ctx.system.timeoutOf(c) !== undefined) continue;
        // A call whose own decision accepts the missing timeout keeps its own (accepted) finding.
        if ([...c.accepts, ...s.accepts].some((a) => a.rule.id === 'missing-timeout')) {
          report(c);
          continue;
        }
        const list = byFile.get(s.uri);
        if (list) list.push(c);
        else byFile.set(s.uri, [c]);
      }
    }
    for (const [uri, calls] of byFile) {
      const file = ctx.system.file(uri);
      // One cause, one finding: with no default timeout, many calls without one are one omission, reported
      // once where the default belongs, with the calls as related information.
      const at = file && (file.sections.get('defaults') ?? file.sections.get('topology'));
      if (file && at && calls.length >= GROUP_FROM) {
        ctx.report({
          uri,
          span: at.keySpan,
          message:
            `${calls.length} synchronous calls have no timeout, and the file sets no default timeout. ` +
            `When a callee hangs or an answer is lost, its caller waits as long as its client library lets it, holding a thread and a connection. ` +
            `Set defaults.timeout, and a timeout of its own on any call that needs another.`,
          messageId: 'no-default',
          related: calls.map((c) => ({ uri, span: c.to.span, message: `${c.from.id} → ${c.to.id} has no timeout` })),
          data: { file: uri, calls: calls.map((c) => [c.from.id, c.index]) },
        });
        continue;
      }
      for (const c of calls) report(c);
    }
    function report(c: Call) {
      ctx.report({
        uri: c.from.uri,
        span: c.to.span,
        message:
          `The call ${c.from.id} → ${c.to.id} has no timeout. When '${c.to.id}' hangs or the answer is lost, '${c.from.id}' waits as long as its client library lets it, ` +
          `holding a thread and a connection the whole time. Set a timeout here or in defaults.`,
        messageId: 'missing',
        owners: [ownerOfItem(c, callLabel(c)), ownerOf(c.from)],
        data: callData(c),
      });
    }
  },
  fixes(finding, ctx) {
    if (finding.messageId === 'no-default') {
      const file = ctx.file(String(finding.data?.file));
      if (!file) return [];
      const calls = ((finding.data?.calls ?? []) as [string, number][])
        .map(([from, index]) => ctx.system.services.get(from)?.calls.find((c) => c.index === index))
        .filter((c): c is Call => !!c);
      const fixes: Fix[] = [];
      const def = defaultTimeoutFix(file.uri, file.text, file.topology);
      if (def) fixes.push({ ...def, isPreferred: true });
      // Each call still has its own fix; the finding stays while other calls lack a timeout.
      const left = calls.length - 1;
      for (const c of calls) {
        const title = `Add timeout: 2s to ${callLabel(c)}${left >= GROUP_FROM ? `; ${left} calls without a timeout remain` : ''}`;
        fixes.push({ title, kind: 'quickfix', edits: [setPair(c.from.uri, file.text, c.node, 'timeout', '2s')] });
      }
      return fixes;
    }
    const found = callOfFinding(finding, ctx);
    if (!found) return [];
    const { call: c, file } = found;
    const fixes: Fix[] = [{ title: `Add timeout: 2s to ${callLabel(c)}`, kind: 'quickfix', isPreferred: true, edits: [setPair(c.from.uri, file.text, c.node, 'timeout', '2s')] }];
    const def = defaultTimeoutFix(c.from.uri, file.text, file.topology);
    if (def) fixes.push(def);
    return fixes;
  },
};

/** Sets defaults.timeout: in the `defaults:` map, under an empty `defaults:`, or in a new section near the top. */
function defaultTimeoutFix(uri: string, text: string, topology: Topology): Fix | undefined {
  const title = 'Set a default timeout for every call (defaults.timeout: 2s)';
  const defaults = topology.sections.get('defaults');
  if (defaults?.value?.kind === 'map') return { title, kind: 'quickfix', edits: [setPair(uri, text, defaults.value, 'timeout', '2s')] };
  if (defaults && !defaults.value) return { title, kind: 'quickfix', edits: [insertUnderEmpty(uri, text, defaults, 'timeout', { inline: '2s' })] };
  if (!defaults && topology.root?.kind === 'map') return { title, kind: 'quickfix', edits: [insertTopPair(uri, text, topology.root, 'defaults', topology.root.flow ? { inline: '{ timeout: 2s }' } : { block: ['timeout: 2s'] })] };
  return undefined;
}

