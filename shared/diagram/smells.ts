/**
 * How findings show on the map. Every finding marks its elements with its severity; a few rules also draw
 * their own shape of trouble: a chain's hops in order, a chatty call thicker by its count, a shared store,
 * a cycle. Rules are matched by id, so a rule added later still gets the severity marks.
 */
import type { GraphFinding, GraphPayload } from '../protocol';

export type Severity = GraphFinding['severity'];
const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/** The kinds of mark a rule draws besides its severity. */
export type SmellMark = 'chain' | 'chatty' | 'shared' | 'cycle';

export function markOf(rule: string): SmellMark | undefined {
  if (rule === 'sync-chain' || rule === 'chain-latency' || rule === 'chain-availability') return 'chain';
  if (rule === 'chatty-calls') return 'chatty';
  if (rule === 'shared-database' || rule === 'common-data-lake') return 'shared';
  if (rule.endsWith('-cycle')) return 'cycle';
  return undefined;
}

export interface ElementMarks {
  /** The worst severity of the element's findings that are not accepted. */
  readonly severity?: Severity;
  /** How many of its findings are not accepted. */
  readonly count: number;
  readonly accepted: number;
  readonly marks: ReadonlySet<SmellMark>;
}

/** Marks per element id, from the findings that are not accepted (accepted ones only count as such). */
export function elementMarks(p: Pick<GraphPayload, 'findings'>): Map<string, ElementMarks> {
  const out = new Map<string, { severity?: Severity; count: number; accepted: number; marks: Set<SmellMark> }>();
  for (const f of p.findings) {
    for (const id of f.elements) {
      let m = out.get(id);
      if (!m) out.set(id, (m = { count: 0, accepted: 0, marks: new Set() }));
      if (f.accepted) {
        m.accepted++;
        continue;
      }
      m.count++;
      if (!m.severity || RANK[f.severity] > RANK[m.severity]) m.severity = f.severity;
      const mark = markOf(f.rule);
      if (mark) m.marks.add(mark);
    }
  }
  return out;
}

/** Findings sorted for the side list: active before accepted, worst first, then in document order. */
export function sortedFindings(findings: readonly GraphFinding[]): GraphFinding[] {
  return [...findings].sort(
    (a, b) =>
      Number(!!a.accepted) - Number(!!b.accepted) ||
      RANK[b.severity] - RANK[a.severity] ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character,
  );
}
