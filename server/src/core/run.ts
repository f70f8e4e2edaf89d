/**
 * Running rules on a system: each rule in isolation, each finding's severity settled (editor settings,
 * then the file's `rules:` block) and its acceptance (`accept:` on the element or one of its parents).
 * Shared by the engine's analysis and the analysis kept across an edit (reuse.ts); nothing here parses.
 */
import type { Topology } from './model';
import { span } from './span';
import type { System } from './system';
import { parseDuration, parsePercent, parseSize } from './units';
import type { ConfiguredSeverity, Finding, Host, ImportLink, ParsedFile, Report, Rule, RuleRegistry, RuleSettings } from './rule';
import { own } from './own';

/** The registry a rule sees in its context: every rule of the analysis, by id. */
export function registryOf(rules: readonly Rule[]): RuleRegistry {
  return new Map(rules.map((r) => [r.meta.id, r.meta]));
}

export interface AnalysisResult {
  readonly findings: Finding[];
  readonly system: System;
  readonly files: readonly ParsedFile[];
  /** Time spent in each rule, in milliseconds. */
  readonly timings: Map<string, number>;
  readonly host: Host;
}

interface Effective {
  readonly severity?: ConfiguredSeverity;
  readonly options: Record<string, number>;
}

function unitOf(type: 'duration' | 'size' | 'percent', raw: unknown): number | undefined {
  const r = type === 'duration' ? parseDuration(raw) : type === 'size' ? parseSize(raw) : parsePercent(typeof raw === 'number' && raw > 1 ? `${raw}%` : raw);
  return r.ok ? r.value : undefined;
}

export function settle(rule: Rule, settings: RuleSettings, file: Topology | undefined): Effective {
  const options: Record<string, number> = {};
  for (const [k, o] of Object.entries(rule.meta.options)) options[k] = o.default;
  let severity: ConfiguredSeverity | undefined;
  const fromSettings = settings[rule.meta.id];
  if (typeof fromSettings === 'string') severity = fromSettings;
  else if (fromSettings && typeof fromSettings === 'object') {
    if (typeof fromSettings.severity === 'string') severity = fromSettings.severity;
    for (const k of Object.keys(rule.meta.options)) {
      const v = fromSettings[k];
      if (typeof v === 'number' && Number.isFinite(v)) options[k] = v;
    }
  }
  const fromFile = file?.rules.find((r) => r.rule.id === rule.meta.id);
  if (fromFile) {
    if (fromFile.severity && ['off', 'info', 'warning', 'error'].includes(fromFile.severity.value)) severity = fromFile.severity.value as ConfiguredSeverity;
    for (const [k, v] of fromFile.options) {
      const o = own(rule.meta.options, k);
      if (!o) continue;
      // Read by the option's own type: `max: 2s` for a count is the schema's error, not 2000.
      const raw = v.pair.value;
      const value = raw?.kind !== 'scalar' ? undefined : o.type === 'int' || o.type === 'number' ? (typeof raw.value === 'number' ? raw.value : undefined) : unitOf(o.type, raw.value);
      if (value !== undefined) options[k] = value;
    }
  }
  if (severity === 'off' && rule.meta.alwaysOn) severity = undefined;
  for (const [k, o] of Object.entries(rule.meta.options)) {
    // Percent options are written as 99.5 in settings but read as 0.995 in files: accept both.
    if (o.type === 'percent' && options[k] > 1) options[k] = options[k] / 100;
    // A value the option does not allow (the schema reports it in a file) falls back to the default, so
    // `max: 0` neither crashes a rule nor flags every service.
    const v = options[k];
    if (!Number.isFinite(v) || (o.min !== undefined && v < o.min) || (o.type === 'int' && !Number.isInteger(v)) || (o.type === 'percent' && (v < 0 || v > 1))) options[k] = o.default;
  }
  return { severity, options };
}

/** The order of findings in every analysis: by file, place, then rule; a rule's own order within. */
export function sortFindings(findings: Finding[]): void {
  findings.sort((a, b) => (a.uri !== b.uri ? (a.uri < b.uri ? -1 : 1) : a.span.start - b.span.start || a.span.end - b.span.end || (a.rule === b.rule ? 0 : a.rule < b.rule ? -1 : 1)));
}

/**
 * Runs `rules` on a system, each in isolation, and settles each finding's severity and acceptance; the
 * findings in the rules' order, not yet sorted. The registry in each rule's context is all of RULES'
 * metadata the caller passes in `registryFrom` (by default the rules run).
 */
export function runRules(files: readonly ParsedFile[], system: System, rules: readonly Rule[], settings: RuleSettings, host: Host, imports: readonly ImportLink[], timings: Map<string, number>, registryFrom: readonly Rule[] = rules): Finding[] {
  const findings: Finding[] = [];
  const main = files[0]?.topology;
  const registry = registryOf(registryFrom);
  for (const rule of rules) {
    const eff = settle(rule, settings, main);
    if (eff.severity === 'off') continue;
    const t0 = performance.now();
    const reports: Report[] = [];
    try {
      rule.check({ host, imports, rules: registry, system, files, options: eff.options, report: (r) => reports.push(r) });
    } catch (e) {
      const where = files[0]?.uri ?? '';
      findings.push(finding({
        uri: where,
        span: span(0, 0),
        message: `Internal error in rule '${rule.meta.id}': ${e instanceof Error ? e.message : String(e)}. The other rules still ran; please report this.`,
        messageId: 'internal-error',
      }, rule.meta.id, 'error', undefined, undefined));
    }
    timings.set(rule.meta.id, performance.now() - t0);
    for (const r of reports) {
      const severity = eff.severity ?? r.severity ?? rule.meta.defaultSeverity;
      const accepted = rule.meta.acceptable ? findAccept(rule.meta.id, r) : undefined;
      // A finding's related places are capped like its message: a 100,000-hop chain is not 100,000 links.
      const related = r.related && r.related.length > MAX_RELATED ? r.related.slice(0, MAX_RELATED) : r.related;
      findings.push(finding(r, rule.meta.id, severity, related, accepted));
    }
  }
  return findings;
}

/**
 * A finding with every field in one order, whatever the report held: every finding then has one hidden
 * class, so the sort below and the front ends read them monomorphically (a spread of each rule's report
 * gave one shape per rule and call site). Fields a report leaves out stay undefined.
 */
export function finding(r: Report, rule: string, severity: Finding['severity'], related: Report['related'], accepted: Finding['accepted']): Finding {
  return { uri: r.uri, span: r.span, message: r.message, messageId: r.messageId, severity, related, owners: r.owners, data: r.data, rule, accepted };
}

/** The most related locations a finding carries. */
const MAX_RELATED = 50;

function findAccept(ruleId: string, r: Report): Finding['accepted'] {
  for (const owner of r.owners ?? []) {
    for (const a of owner.accepts) {
      if (a.rule.id === ruleId) return { reason: a.reason?.value ?? 'no reason given', span: a.span, uri: owner.uri ?? r.uri };
    }
  }
  return undefined;
}

