/**
 * How one finding's fixes read in a quick-fix menu: a fix that acts on another hop of a chain than the one
 * the finding is on says so ("on hop 3: …"), and the best fix is marked preferred so that an editor's
 * "auto fix" applies it. The engine runs this on every finding's fixes (fixesFor), so the editor, the CLI
 * and the tests all see the same titles.
 */
import type { Call } from './model';
import type { Finding, Fix, FixContext, TextEdit } from './rule';
import type { Span } from './span';

/**
 * The calls of a chain or cycle a finding keeps in `data.hops` (`[service, call index]`, hop 1 first), as the
 * rules on chains and cycles record them; empty when the finding has none or they no longer resolve.
 */
function hopCalls(finding: Finding, ctx: FixContext): (Call | undefined)[] {
  const hops = finding.data?.hops;
  if (!Array.isArray(hops)) return [];
  return hops.map((h) => {
    if (!Array.isArray(h) || typeof h[0] !== 'string' || typeof h[1] !== 'number') return undefined;
    return ctx.system.services.get(h[0])?.calls.find((c) => c.index === h[1]);
  });
}

const within = (s: Span, at: number) => s.start <= at && at <= s.end;

/** The column of an offset: the number of characters since the line's start. */
function columnAt(text: string, at: number): number {
  return at - (text.lastIndexOf('\n', at - 1) + 1);
}

/**
 * Whether an edit changes the call itself. A replacement must overlap the call's entry. An insertion at
 * the entry's end is ambiguous by offset alone: a new key of the call and a new key of the service that
 * makes it (`subscribes:` after `calls:`) go at the same place, so the inserted line's indentation
 * decides: the call's keys are indented at least as deep as its first key.
 */
function touches(edit: TextEdit, call: Call, text: string): boolean {
  if (edit.uri !== call.from.uri) return false;
  const s = edit.span;
  if (s.end > s.start) return s.start < call.span.end && s.end > call.span.start;
  // The entry's span can run on over the line break after it: its content ends before that.
  let end = call.span.end;
  while (end > call.span.start && /\s/.test(text[end - 1])) end--;
  if (call.span.start <= s.start && s.start < end) return true;
  // At the entry's end, or after a comment that ends its last line.
  const lineEnd = text.indexOf('\n', end);
  if (s.start < end || s.start > (lineEnd < 0 ? text.length : lineEnd)) return false;
  // An insertion on the same line (a flow map's `, key: v` before its `}`) belongs to the call only
  // strictly inside it; past its end it is in the enclosing service's map.
  const nl = /^\r?\n( *)/.exec(edit.newText);
  return !!nl && nl[1].length >= columnAt(text, call.span.start);
}

/**
 * Prefixes "on hop N: " to the fixes of a chain or cycle finding that act on exactly one hop other than
 * the one the finding points at, so that a menu shows which fixes are for the call under the cursor and
 * which reach further down the chain. Fixes that touch several hops say so in their own titles.
 */
function placeOnHops(finding: Finding, fixes: Fix[], ctx: FixContext): Fix[] {
  const calls = hopCalls(finding, ctx);
  if (calls.length < 2) return fixes;
  // Numbers name hops only when the calls make one path (each callee the next caller): a list of some hops
  // of a path (mixed-cycle keeps only its blocking ones) would number them unlike the related information,
  // and those fixes' titles name their call already.
  if (!calls.every((c, i) => c && (i === 0 || calls[i - 1]!.to.id === c.from.id))) return fixes;
  const here = calls.findIndex((c) => !!c && c.from.uri === finding.uri && within(c.span, finding.span.start));
  // A title that names the finding's own call is worded from there already ("Retry only at the call
  // web → api: set retries: 0 on the hops after it"); a hop number in front would contradict it.
  const hereCall = here >= 0 ? calls[here] : undefined;
  const hereName = hereCall ? `${hereCall.from.id} → ${hereCall.to.id}` : undefined;
  return fixes.map((fix) => {
    if (fix.accept || (hereName && fix.title.includes(hereName))) return fix;
    const hit = new Set<number>();
    for (const e of fix.edits) {
      const text = ctx.file(e.uri)?.text;
      if (text === undefined) continue;
      calls.forEach((c, i) => {
        if (c && touches(e, c, text)) hit.add(i);
      });
    }
    if (hit.size !== 1) return fix;
    const [i] = hit;
    return i === here ? fix : { ...fix, title: `on hop ${i + 1}: ${fix.title}` };
  });
}

/**
 * Marks the best fix preferred: the first that changes the design (never an accept fix), unless the rule
 * already said which (or that none) is, by setting `isPreferred` on any of its fixes.
 */
function markPreferred(fixes: Fix[]): Fix[] {
  if (fixes.some((f) => f.isPreferred !== undefined)) return fixes.map((f) => (f.accept && f.isPreferred ? { ...f, isPreferred: false } : f));
  const best = fixes.findIndex((f) => !f.accept);
  return best < 0 ? fixes : fixes.map((f, i) => (i === best ? { ...f, isPreferred: true } : f));
}

/** A finding's fixes as a menu shows them: where each acts, and which is preferred. */
export function arrangeFixes(finding: Finding, fixes: Fix[], ctx: FixContext): Fix[] {
  return markPreferred(placeOnHops(finding, fixes, ctx));
}
