import type { Rule } from '../rule';
import { insertPair, insertUnderEmpty, setPair } from '../yamledit';
import { callLabel, ownerOf, ownerOfItem, callData, callOfFinding } from './util';

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
    for (const s of ctx.system.serviceList) {
      for (const c of s.calls) {
        if (c.style !== 'sync' || ctx.system.timeoutOf(c) !== undefined) continue;
        ctx.report({
          uri: s.uri,
          span: c.to.span,
          message:
            `The call ${c.from.id} → ${c.to.id} has no timeout: when '${c.to.id}' hangs or the answer is lost, '${s.id}' waits as long as its client library lets it, ` +
            `holding a thread and a connection the whole time. Set a timeout here or in defaults.`,
          messageId: 'missing',
          owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
          data: callData(c),
        });
      }
    }
  },
  fixes(finding, ctx) {
    const found = callOfFinding(finding, ctx);
    if (!found) return [];
    const { call: c, file } = found;
    const s = c.from;
    const fixes = [{ title: `Add timeout: 2s to ${callLabel(c)}`, kind: 'quickfix' as const, isPreferred: true, edits: [setPair(s.uri, file.text, c.node, 'timeout', '2s')] }];
    const defaults = file.topology.sections.get('defaults');
    if (defaults?.value?.kind === 'map') fixes.push({ title: 'Add a default timeout for every call (defaults.timeout: 2s)', kind: 'quickfix', isPreferred: false, edits: [setPair(s.uri, file.text, defaults.value, 'timeout', '2s')] });
    else if (defaults && !defaults.value) fixes.push({ title: 'Add a default timeout for every call (defaults.timeout: 2s)', kind: 'quickfix', isPreferred: false, edits: [insertUnderEmpty(s.uri, file.text, defaults, 'timeout', { inline: '2s' })] });
    else if (!defaults && file.topology.root?.kind === 'map' && !file.topology.root.flow) fixes.push({ title: 'Add a default timeout for every call (defaults.timeout: 2s)', kind: 'quickfix', isPreferred: false, edits: [insertPair(s.uri, file.text, file.topology.root, 'defaults', { block: ['timeout: 2s'] })] });
    return fixes;
  },
};
