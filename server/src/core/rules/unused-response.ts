import type { Fix, Rule } from '../rule';
import type { Call } from '../model';
import { setPair } from '../yamledit';
import { callLabel, ownerOf, ownerOfItem, callData, callOfFinding } from './util';
import { callToEventFix } from './refactor';
import { short } from './model-fixes';

/**
 * Operation names that announce a command with no answer: Send…, Notify…, Email…, Log…, Track…, Audit…,
 * Record…, as a whole word at the start (SendReceipt, send_receipt, log-event; not Login or Recordings).
 */
const NO_ANSWER = /^(send|notify|email|log|track|audit|record)/i;
/** What may follow the verb: the end, a capital (SendReceipt), a digit or a separator. Case-sensitive. */
const WORD_END = /[A-Z0-9_.\-\s/:]/;

/** Whether a call's operation name says it expects no answer (the heuristic hint). */
export function announcesNoAnswer(c: Call): boolean {
  const op = c.operation?.value.trim();
  if (!op) return false;
  const m = NO_ANSWER.exec(op);
  if (!m) return false;
  // "Login" and "recording" go on in lower case, so the verb is not a word of its own there.
  const next = op[m[0].length];
  return next === undefined || WORD_END.test(next);
}

export const unusedResponse: Rule = {
  meta: {
    id: 'unused-response',
    title: 'A blocking call whose answer the caller does not use',
    category: 'communication',
    defaultSeverity: 'warning',
    options: {},
    fixable: true,
    acceptable: true,
  },
  check(ctx) {
    const sys = ctx.system;
    for (const s of sys.serviceList) {
      for (const c of s.calls) {
        if (c.style !== 'sync' || c.to.id === s.id) continue;
        if (c.result === 'unused' && c.resultField) {
          ctx.report({
            uri: s.uri,
            span: c.to.span,
            message:
              `'${short(s.id)}' waits for an answer from '${short(c.to.id)}' that it does not use (result: unused). ` +
              `It still fails and slows down with '${c.to.id}' for nothing: publish an event, or make the call asynchronous.`,
            messageId: 'unused',
            owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
            data: callData(c),
          });
        } else if (!c.resultField && c.operation && announcesNoAnswer(c)) {
          ctx.report({
            uri: s.uri,
            span: c.operation.span,
            message:
              // The callee is named: two calls with one operation name (SendOrder to two services) are two
              // findings that must not read the same. Ids are cut so the sentence fits in 120 characters.
              `'${short(s.id, 16)}' blocks on '${short(c.to.id, 16)}' for '${short(c.operation.value, 21)}', which sounds like a command with no answer. ` +
              `If nothing uses the result, publish an event or make the call asynchronous; if something does, say result: used.`,
            messageId: 'hint',
            severity: 'info',
            owners: [ownerOfItem(c, callLabel(c)), ownerOf(s)],
            data: callData(c),
          });
        }
      }
    }
  },
  fixes(finding, ctx) {
    const found = callOfFinding(finding, ctx);
    if (!found) return [];
    const { call: c, file } = found;
    const fixes: Fix[] = [];
    const ev = callToEventFix(c, ctx);
    if (ev) fixes.push({ ...ev, isPreferred: true });
    fixes.push({ title: `Make ${callLabel(c)} asynchronous (style: async)`, kind: 'quickfix', edits: [setPair(c.from.uri, file.text, c.node, 'style', 'async')] });
    if (finding.messageId === 'hint') fixes.push({ title: `Say that '${c.from.id}' uses the answer (result: used)`, kind: 'quickfix', edits: [setPair(c.from.uri, file.text, c.node, 'result', 'used')] });
    return fixes;
  },
};
