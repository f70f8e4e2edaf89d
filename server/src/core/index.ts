/** The core's public face: what the language server, the CLI and the tests use. */
export { analyze, findingIdentity, fixesFor, parseFile, type AnalysisResult, type Finding, type Fix, type Rule, type RuleSettings, type Severity, type TextEdit, type ParsedFile } from './engine';
export { RULES, ruleById } from './rules';
export { ChunkCache } from './incremental';
export { LineIndex, type Span } from './span';
export { applyEdits } from './yamledit';

import { analyze, parseFile, type AnalysisResult, type RuleSettings } from './engine';
import { RULES } from './rules';

/** Parses and analyses one file on its own: the common case for tests and single-file checks. */
export function checkText(uri: string, text: string, settings: RuleSettings = {}): AnalysisResult {
  return analyze([parseFile(uri, text, RULES)], RULES, settings);
}
