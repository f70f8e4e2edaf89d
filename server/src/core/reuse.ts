/**
 * Keeping an analysis across an edit that changed no rule's input. When every file of a program reads as
 * the same model as in the last analysis (the very same Topology objects, kept by stable.ts), the rules
 * that read only the model would report the same findings at the same elements: those findings are kept,
 * moved to where their places are in the new text, and only the rules that read more than the model run
 * again (FRESH_RULES). A keystroke in a description then costs the parse and these few rules, not the
 * whole analysis.
 *
 * The findings' places are taken from a copy of their offsets made when the analysis was made
 * (`placesOf`): the trees' spans are moved in place by the next reading (placed.ts), so a finding's span
 * object may already hold the new offset, or not. An offset inside the edited region, or at the point of
 * an insertion (where it cannot be known on which side of the new text it lies), keeps nothing: the whole
 * analysis runs again.
 */
import { runRules, sortFindings, finding as settled, type AnalysisResult } from './run';
import type { Finding, Host, ImportLink, ParsedFile, Rule, RuleSettings } from './rule';
import { span, type Span } from './span';
import { sharedEnds } from './text';
import { withinBudget } from './budget';

/**
 * Rules whose check reads more than the model: the text's problems (yaml-syntax, schema), the file system
 * (missing-adr), observed data (drift) and the import links (import-cycle). They run on every analysis.
 */
export const FRESH_RULES: ReadonlySet<string> = new Set(['yaml-syntax', 'schema', 'missing-adr', 'drift', 'import-cycle']);

/**
 * The rules that read each field of stable.ts VALUE_KEYS, directly or through the shared models (the
 * worst-case wait, attempts, retry products): where only these values changed, only these rules run
 * again, on the system revalued (System.revalued). The availability model reads neither. test/unit/engine/reuse.test.ts edits
 * both values and holds the result equal to a fresh analysis.
 */
const WAIT_RULES = ['chain-latency', 'long-running-sync', 'missing-timeout', 'retry-amplification', 'timeout-budget', 'unsafe-retry'];
export const READS: Readonly<Record<string, ReadonlySet<string>>> = {
  // missing-timeout reads only whether a call has a timeout, which a change of value never changes (a
  // value that stops reading as a duration takes the field away: a change of shape); it is run anyway.
  timeout: new Set(WAIT_RULES),
  retries: new Set(WAIT_RULES),
};

/** How many offsets placesOf keeps for a finding. */
const placeCount = (f: Finding): number => 2 + 2 * (f.related?.length ?? 0) + (f.accepted ? 2 : 0);

/** Every offset of every finding, in order: its span, its related places, where it was accepted. */
export function placesOf(findings: readonly Finding[]): Int32Array {
  let n = 0;
  for (const f of findings) n += placeCount(f);
  const out = new Int32Array(n);
  let k = 0;
  const put = (s: Span) => {
    out[k++] = s.start;
    out[k++] = s.end;
  };
  for (const f of findings) {
    put(f.span);
    for (const r of f.related ?? []) put(r.span);
    if (f.accepted) put(f.accepted.span);
  }
  return out;
}

export interface LastAnalysis {
  readonly result: AnalysisResult;
  /** placesOf(result.findings), made with the analysis. */
  readonly places: Int32Array;
  readonly settings: RuleSettings;
  readonly links: readonly ImportLink[];
}

/** An offset of the last text moved to the new one; NaN where the edit makes it unknown. */
type Move = (offset: number) => number;

function mover(last: string, text: string): Move {
  if (last === text) return (o) => o;
  const { prefix, suffix } = sharedEnds(last, text);
  const lastEnd = last.length - suffix;
  const delta = text.length - last.length;
  const insertion = lastEnd === prefix;
  return (o) => (insertion && o === prefix ? NaN : o <= prefix ? o : o >= lastEnd ? o + delta : NaN);
}

function sameLinks(a: readonly ImportLink[], b: readonly ImportLink[]): boolean {
  return a.length === b.length && a.every((x, i) => x.from === b[i].from && x.path === b[i].path && x.target === b[i].target && x.exists === b[i].exists && x.refused === b[i].refused);
}

/**
 * The analysis of `files` kept from `last`, or undefined where it cannot be: a file that is not the same
 * model, other settings, other import links, a limit that cut anything, a place the edit makes unknown.
 * `values`: some VALUE_KEYS changed, and the rules that read them ran again on the system revalued.
 */
export function reuseAnalysis(last: LastAnalysis, files: readonly ParsedFile[], rules: readonly Rule[], settings: RuleSettings, host: Host, links: readonly ImportLink[], changesSince: (now: ParsedFile, then: ParsedFile) => ReadonlySet<string> | undefined): { result: AnalysisResult; values: boolean } | undefined {
  const was = last.result;
  if (was.host !== host || files.length !== was.files.length || !sameLinks(last.links, links)) return undefined;
  const moves = new Map<string, Move>();
  const again = new Set(FRESH_RULES);
  let valuesChanged = false;
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    const g = was.files[i];
    if (f.uri !== g.uri || f.topology !== g.topology || g.tooLarge) return undefined;
    const keys = f === g ? undefined : changesSince(f, g);
    if (f !== g && !keys) return undefined;
    for (const key of keys ?? []) {
      if (!Object.hasOwn(READS, key)) return undefined;
      for (const id of READS[key]) again.add(id);
      valuesChanged = true;
    }
    // Anything a limit left out is left out of the model in ways the model alone does not show. The new
    // files are asked the same of withinBudget below (a file not read, or cut by a limit, changes its files).
    if (g.yaml.problems.some((p) => p.code === 'RESOURCE_LIMIT')) return undefined;
    moves.set(f.uri, mover(g.text, f.text));
  }
  if (withinBudget(files).files !== files || JSON.stringify(settings) !== JSON.stringify(last.settings)) return undefined;
  const move = (uri: string, start: number, end: number): Span | undefined => {
    const m = moves.get(uri);
    if (!m) return span(start, end);
    const s = m(start);
    const e = m(end);
    return Number.isNaN(s) || Number.isNaN(e) ? undefined : span(s, e);
  };
  const kept: Finding[] = [];
  const places = last.places;
  let k = 0;
  for (const f of was.findings) {
    if (again.has(f.rule)) {
      k += placeCount(f);
      continue;
    }
    const at = move(f.uri, places[k], places[k + 1]);
    k += 2;
    if (!at) return undefined;
    let related: Finding['related'];
    if (f.related) {
      const out = [];
      for (const r of f.related) {
        const s = move(r.uri, places[k], places[k + 1]);
        k += 2;
        if (!s) return undefined;
        out.push({ uri: r.uri, span: s, message: r.message });
      }
      related = out;
    }
    let accepted: Finding['accepted'];
    if (f.accepted) {
      const s = move(f.accepted.uri, places[k], places[k + 1]);
      k += 2;
      if (!s) return undefined;
      accepted = { reason: f.accepted.reason, span: s, uri: f.accepted.uri };
    }
    kept.push(settled({ uri: f.uri, span: at, message: f.message, messageId: f.messageId, owners: f.owners, data: f.data }, f.rule, f.severity, related, accepted));
  }
  const timings = new Map<string, number>();
  for (const id of was.timings.keys()) timings.set(id, 0);
  // The kept model took new values in place: what the system derives from them is made again.
  const system = valuesChanged ? was.system.revalued() : was.system;
  const fresh = runRules(files, system, rules.filter((r) => again.has(r.meta.id)), settings, host, links, timings, rules);
  const findings = kept.concat(fresh);
  sortFindings(findings);
  return { result: { findings, system, files, timings, host }, values: valuesChanged };
}
