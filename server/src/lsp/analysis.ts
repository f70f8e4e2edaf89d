/**
 * Per-document analysis state: the chunk cache that makes re-parsing incremental, the latest result,
 * and the findings by key for code actions. Pure of the connection; server.ts wires it up.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, ChunkCache, parseFile, RULES, type AnalysisResult, type Finding, type RuleSettings } from '../core';
import type { Host } from '../core/engine';
import { findingKey } from './convert';

export interface DocumentAnalysis {
  readonly uri: string;
  readonly version: number;
  readonly result: AnalysisResult;
  readonly byKey: ReadonlyMap<string, Finding>;
  readonly keys: readonly string[];
  /** Milliseconds spent parsing and in the rules, for the log and the benchmark. */
  readonly parseMs: number;
  readonly settings: RuleSettings;
  readonly analyzeMs: number;
}

export class Analyzer {
  constructor(private readonly host: Host = {}) {}

  private readonly caches = new Map<string, ChunkCache>();
  private readonly latest = new Map<string, DocumentAnalysis>();

  run(doc: TextDocument, settings: RuleSettings): DocumentAnalysis {
    let cache = this.caches.get(doc.uri);
    if (!cache) this.caches.set(doc.uri, (cache = new ChunkCache()));
    const t0 = performance.now();
    const parsed = parseFile(doc.uri, doc.getText(), RULES, cache);
    const t1 = performance.now();
    const result = analyze([parsed], RULES, settings, this.host);
    const t2 = performance.now();
    const byKey = new Map<string, Finding>();
    const keys: string[] = [];
    result.findings.forEach((f, i) => {
      const key = findingKey(f, i);
      byKey.set(key, f);
      keys.push(key);
    });
    const a: DocumentAnalysis = { uri: doc.uri, version: doc.version, result, byKey, keys, settings, parseMs: t1 - t0, analyzeMs: t2 - t1 };
    this.latest.set(doc.uri, a);
    return a;
  }

  get(uri: string): DocumentAnalysis | undefined {
    return this.latest.get(uri);
  }

  forget(uri: string): void {
    this.caches.delete(uri);
    this.latest.delete(uri);
  }
}
