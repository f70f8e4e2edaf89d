/**
 * The rule engine: parses files, merges them into a System, runs every enabled rule in isolation, and
 * settles each finding's severity (editor settings, then the file's `rules:` block) and acceptance
 * (`accept:` on the element or one of its parents). Pure: text in, findings out. Never throws.
 */
import { buildTopology, type Topology } from './model';
import { parseIncremental, trimEntries, type ChunkCache } from './incremental';
import { PlacedChunkCache } from './placed';
import { validate, type RuleOptionInfo } from './schema';
import { span } from './span';
import { System } from './system';
import { parseDuration, parsePercent, parseSize } from './units';
import { LIMITS, type SyntaxProblem, type YamlParse } from './ynode';
import { acceptFix, acceptWithAdrFix } from './accept';
import { arrangeFixes } from './menu';
import type { ConfiguredSeverity, Finding, FixContext, Fix, Host, ImportLink, ParsedFile, Report, Rule, RuleRegistry, RuleSettings } from './rule';
import type { Owner } from './rules/util';
import { own } from './own';
import { budgetMessage, withinBudget } from './budget';
import { moreLinesThan } from './text';

/** The registry a rule sees in its context: every rule of the analysis, by id. */
function registryOf(rules: readonly Rule[]): RuleRegistry {
  return new Map(rules.map((r) => [r.meta.id, r.meta]));
}

export function optionInfo(rules: readonly Rule[]): Map<string, RuleOptionInfo> {
  return new Map(rules.map((r) => [r.meta.id, { options: r.meta.options }]));
}

/** Parses one file into its model. `cache` makes re-parsing after an edit incremental. */
export function parseFile(uri: string, text: string, rules: readonly Rule[], cache?: ChunkCache): ParsedFile {
  const tooLarge = text.length > LIMITS.maxDocumentLength ? `the file is over ${LIMITS.maxDocumentLength / 1024 / 1024} MB and is not analysed` : (cache ? cache.lines.count(text, LIMITS.maxLines) > LIMITS.maxLines : moreLinesThan(text, LIMITS.maxLines)) ? `the file has over ${LIMITS.maxLines.toLocaleString('en-US')} lines and is not analysed` : undefined;
  if (tooLarge) {
    const yaml: YamlParse = { root: null, problems: [{ code: 'RESOURCE_LIMIT', span: span(0, 0), detail: tooLarge }] };
    return { uri, text, yaml, schema: [], topology: buildTopology(uri, text, null), tooLarge: true, chunked: false };
  }
  const parsed = parseIncremental(text, cache);
  const trimmed = trimEntries(parsed.root);
  const bad = badBytes(text);
  const extra = [...(trimmed.problem ? [trimmed.problem] : []), ...bad];
  const yaml = extra.length ? { ...parsed, root: trimmed.root, problems: [...parsed.problems, ...extra] } : parsed;
  // The editor's cache also keeps each entry's problems and model element while its text is unchanged.
  const memo = cache instanceof PlacedChunkCache ? cache.memo : undefined;
  const schema = validate(yaml.root, optionInfo(rules), span(0, Math.min(text.length, 1)), memo);
  return { uri, text, yaml, schema, topology: buildTopology(uri, text, yaml.root, memo), tooLarge: false, chunked: yaml.chunked };
}

/**
 * Where the text holds a NUL or U+FFFD: bytes that were not valid UTF-8 on disk (the readers decode them
 * to U+FFFD) or a NUL the YAML library reads as an ordinary character. One problem per line, at most 20,
 * so a binary file gives a short list and not one finding per byte.
 */
function badBytes(text: string): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  // eslint-disable-next-line no-control-regex -- NUL is one of the bad bytes reported.
  const re = /[\u0000\ufffd]/g;
  let lastLine = -1;
  for (let m = re.exec(text); m && out.length < 20; m = re.exec(text)) {
    const line = text.lastIndexOf('\n', m.index);
    if (line === lastLine) continue;
    lastLine = line;
    out.push({ code: 'INVALID_UTF8', span: span(m.index, m.index + 1) });
  }
  return out;
}

interface Effective {
  readonly severity?: ConfiguredSeverity;
  readonly options: Record<string, number>;
}

function unitOf(type: 'duration' | 'size' | 'percent', raw: unknown): number | undefined {
  const r = type === 'duration' ? parseDuration(raw) : type === 'size' ? parseSize(raw) : parsePercent(typeof raw === 'number' && raw > 1 ? `${raw}%` : raw);
  return r.ok ? r.value : undefined;
}

function settle(rule: Rule, settings: RuleSettings, file: Topology | undefined): Effective {
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

export interface AnalysisResult {
  readonly findings: Finding[];
  readonly system: System;
  readonly files: readonly ParsedFile[];
  /** Time spent in each rule, in milliseconds. */
  readonly timings: Map<string, number>;
  readonly host: Host;
}

/**
 * Runs every rule over the files (the first is the one being edited; its `rules:` block configures the
 * analysis). A rule that throws reports itself as an internal error and the others still run.
 */
export function analyze(all: readonly ParsedFile[], rules: readonly Rule[], settings: RuleSettings = {}, host: Host = {}, imports: readonly ImportLink[] = []): AnalysisResult {
  // Past the element budget the rules see the elements up to it (budget.ts), and one finding says so;
  // references to what a limit left out are left out with it.
  const budget = withinBudget(all);
  const files = budget.files;
  const system = new System(files.map((f) => f.topology));
  const findings: Finding[] = [];
  if (budget.cut) {
    findings.push(finding({
      uri: budget.cut.uri,
      span: budget.cut.span,
      message: budgetMessage(budget.cut),
      messageId: 'RESOURCE_LIMIT',
      data: { code: 'RESOURCE_LIMIT' },
    }, 'yaml-syntax', 'error', undefined, undefined));
  }
  const timings = new Map<string, number>();
  findings.push(...runRules(files, system, rules, settings, host, imports, timings));
  sortFindings(findings);
  return { findings, system, files, timings, host };
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

/**
 * The fixes for one finding: the rule's own, then "Accept <rule> on <element>" where the rule allows it,
 * worded and marked as a menu shows them (menu.ts).
 */
export function fixesFor(finding: Finding, result: AnalysisResult, rules: readonly Rule[], settings: RuleSettings = {}, options: { readonly accepts?: boolean } = {}): Fix[] {
  const rule = rules.find((r) => r.meta.id === finding.rule);
  if (!rule || finding.accepted) return [];
  const eff = settle(rule, settings, result.files[0]?.topology);
  const ctx: FixContext = { host: result.host, rules: registryOf(rules), system: result.system, files: result.files, options: eff.options, file: (uri) => result.files.find((f) => f.uri === uri) };
  let fixes: Fix[];
  try {
    fixes = rule.fixes?.(finding, ctx) ?? [];
  } catch {
    fixes = [];
  }
  // The CLI prints no accept fixes: it asks for none (building the ADR fix lists the ADR folder each time).
  if (rule.meta.acceptable && options.accepts !== false) {
    try {
      const accept = acceptFix(finding, ctx, finding.owners as readonly Owner[] | undefined);
      fixes.push(...accept);
      // The same decision, recorded in an ADR file that the accept entry links to.
      const withAdr = accept[0] && acceptWithAdrFix(finding, ctx, finding.owners as readonly Owner[] | undefined, rule.meta);
      if (withAdr) fixes.push(withAdr);
    } catch {
      // A fix that cannot be built is simply not offered.
    }
  }
  try {
    return arrangeFixes(finding, fixes, ctx);
  } catch {
    // The menu's wording is a nicety: the fixes themselves are still offered.
    return fixes;
  }
}
