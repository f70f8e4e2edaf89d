/** The core's public face: what the language server, the CLI and the tests use. */
export { analyze, fixesFor, parseFile, type AnalysisResult } from './engine';
export { findingIdentity, findingKey, type Finding, type Fix, type Host, type Rule, type RuleSettings, type Severity, type TextEdit, type ParsedFile } from './rule';
export { RULES, ruleById } from './rules';
export { ChunkCache } from './incremental';
export { PlacedChunkCache } from './placed';
export { LineIndex, type Span } from './span';
export { applyEdits } from './yamledit';

import { analyze, parseFile, type AnalysisResult } from './engine';
import type { RuleSettings } from './rule';
import { RULES } from './rules';

/** Parses and analyses one file on its own: the common case for tests and single-file checks. */
export function checkText(uri: string, text: string, settings: RuleSettings = {}): AnalysisResult {
  return analyze([parseFile(uri, text, RULES)], RULES, settings);
}
