/**
 * The rule engine: parses files, merges them into a System, and runs every enabled rule on it (run.ts:
 * each in isolation, with each finding's severity and acceptance settled). Pure: text in, findings out.
 * Never throws.
 */
import { buildTopology } from './model';
import { parseIncremental, trimEntries, type ChunkCache } from './incremental';
import { PlacedChunkCache } from './placed';
import { validate, type RuleOptionInfo } from './schema';
import { span } from './span';
import { System } from './system';
import { LIMITS, type SyntaxProblem, type YamlParse } from './ynode';
import { acceptFix, acceptWithAdrFix } from './accept';
import { arrangeFixes } from './menu';
import type { Finding, FixContext, Fix, Host, ImportLink, ParsedFile, Rule, RuleSettings } from './rule';
import { finding, registryOf, runRules, settle, sortFindings, type AnalysisResult } from './run';
import type { Owner } from './rules/util';
import { budgetMessage, withinBudget } from './budget';
import { moreLinesThan } from './text';

export type { AnalysisResult } from './run';

export function optionInfo(rules: readonly Rule[]): Map<string, RuleOptionInfo> {
  return new Map(rules.map((r) => [r.meta.id, { options: r.meta.options }]));
}

/** Parses one file into its model. `cache` makes re-parsing after an edit incremental. */
export function parseFile(uri: string, text: string, rules: readonly Rule[], cache?: ChunkCache): ParsedFile {
  const tooLarge = text.length > LIMITS.maxDocumentLength ? `the file is over ${LIMITS.maxDocumentLength / 1024 / 1024} MB and is not analysed` : moreLinesThan(text, LIMITS.maxLines, cache?.lines) ? `the file has over ${LIMITS.maxLines.toLocaleString('en-US')} lines and is not analysed` : undefined;
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
