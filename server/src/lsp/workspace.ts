/**
 * The server's view of every topology file: open documents (their editor text wins) and files on disk
 * (imported, or found by the workspace scan). Each file is a root of its own program (itself and its
 * imports); a file's diagnostics are the findings located in it from every program that contains it, so a
 * finding that needs the importer's view (a duplicate id, a store used across files) still shows in the
 * file where its element is written. An edit re-analyses every program that contains the edited file.
 * Pure of the connection; server.ts wires it up.
 */
import { analyze, PlacedChunkCache, findingIdentity, parseFile, RULES, type AnalysisResult, type Finding, type ParsedFile, type RuleSettings } from '../core';
import type { Host } from '../core/rule';
import { loadProgram, type Program } from '../core/program';
import { adoptTopology } from '../core/stable';
import { placesOf, reuseAnalysis, type LastAnalysis } from '../core/reuse';

interface FileState {
  text: string;
  /** The editor's version while the file is open. */
  version?: number;
  /** Bumped on every text change: an analysis is current while its files' stamps are unchanged. */
  stamp: number;
  parsed?: ParsedFile;
  /** The last reading that adopted the model of the one before it (stable.ts), and the values it changed. */
  adopted?: { readonly from: ParsedFile; readonly to: ParsedFile; readonly changed: ReadonlySet<string> };
  readonly cache: PlacedChunkCache;
}

export interface DocumentAnalysis {
  readonly root: string;
  /** The root's editor version when analysed (undefined for a file that is not open). */
  readonly version: number | undefined;
  readonly result: AnalysisResult;
  readonly program: Program;
  readonly byKey: ReadonlyMap<string, Finding>;
  readonly keys: readonly string[];
  readonly settings: RuleSettings;
  readonly stamps: ReadonlyMap<string, number>;
  readonly parseMs: number;
  readonly analyzeMs: number;
  /**
   * How much of the last analysis was kept (reuse.ts): all of it but the rules that read more than the
   * model, those and the rules that read the values that changed, or nothing; and what the next may keep.
   */
  readonly reused: 'all' | 'values' | 'no';
  readonly last: LastAnalysis;
}

export class Workspace {
  private readonly files = new Map<string, FileState>();
  private readonly analyses = new Map<string, DocumentAnalysis>();
  /** Files that are roots of a program: open documents and files found by the scan. */
  private readonly roots = new Set<string>();
  private stampCounter = 0;

  constructor(
    private readonly host: Host,
    private readonly readDisk: (uri: string) => string | undefined,
  ) {}

  private state(uri: string): FileState | undefined {
    let s = this.files.get(uri);
    if (s) return s;
    const text = this.readDisk(uri);
    if (text === undefined) return undefined;
    s = { text, stamp: ++this.stampCounter, cache: new PlacedChunkCache() };
    this.files.set(uri, s);
    return s;
  }

  /** The parsed file, parsing again only when its text changed (incrementally, through its chunk cache). */
  parsed(uri: string): ParsedFile | undefined {
    const s = this.state(uri);
    if (!s) return undefined;
    if (!s.parsed || s.parsed.text !== s.text) {
      const next = parseFile(uri, s.text, RULES, s.cache);
      // An edit that left the model as it was (a description, a comment) keeps the last model's objects,
      // given the new places (stable.ts): then the analysis can keep its findings (reuse.ts).
      const from = s.parsed;
      const kept = from && !from.tooLarge && !next.tooLarge ? adoptTopology(from.topology, next.topology, s.cache.memo) : undefined;
      s.parsed = kept ? { ...next, topology: kept.topology } : next;
      s.adopted = kept && from ? { from, to: s.parsed, changed: kept.changed } : undefined;
    }
    return s.parsed;
  }

  open(uri: string, text: string, version: number): void {
    const s = this.files.get(uri);
    if (s) {
      if (s.text !== text) s.stamp = ++this.stampCounter;
      s.text = text;
      s.version = version;
    } else this.files.set(uri, { text, version, stamp: ++this.stampCounter, cache: new PlacedChunkCache() });
    this.roots.add(uri);
  }

  /** Does what the files' first readings put off (filling their chunk caches): called when the server is idle. */
  settle(): void {
    for (const s of this.files.values()) s.cache.settle();
  }

  /** A closed document goes back to its disk text; it stays a root only if the scan found it. */
  close(uri: string, keepAsRoot: boolean): void {
    const s = this.files.get(uri);
    if (!s) return;
    s.version = undefined;
    this.refreshFromDisk(uri);
    if (!keepAsRoot) {
      this.roots.delete(uri);
      this.analyses.delete(uri);
      // Nothing needs the closed file's text, tree or chunk cache unless another program reads it: it is
      // read again from disk if one comes to. Without this, every file ever opened kept them all.
      if (!this.rootsReading(uri).length) this.files.delete(uri);
    }
  }

  /** A file changed on disk (or was created or deleted). Open documents keep their editor text. */
  refreshFromDisk(uri: string): void {
    const s = this.files.get(uri);
    if (s?.version !== undefined) return;
    const text = this.readDisk(uri);
    if (text === undefined) {
      this.files.delete(uri);
      this.roots.delete(uri);
      this.analyses.delete(uri);
      return;
    }
    if (!s) return;
    if (s.text !== text) {
      s.text = text;
      s.stamp = ++this.stampCounter;
    }
  }

  addRoot(uri: string): void {
    if (this.state(uri)) this.roots.add(uri);
  }

  isOpen(uri: string): boolean {
    return this.files.get(uri)?.version !== undefined;
  }

  text(uri: string): string | undefined {
    return this.state(uri)?.text;
  }

  version(uri: string): number | undefined {
    return this.files.get(uri)?.version;
  }

  /** Whether an analysis still describes the files it read. */
  isCurrent(a: DocumentAnalysis): boolean {
    for (const [uri, stamp] of a.stamps) if (this.files.get(uri)?.stamp !== stamp) return false;
    return true;
  }

  analyze(root: string, settings: RuleSettings): DocumentAnalysis | undefined {
    const t0 = performance.now();
    const main = this.parsed(root);
    if (!main) return undefined;
    const program = loadProgram(main, (uri) => this.parsed(uri), this.host.inside && ((uri, r) => this.host.inside!(uri, r)));
    const t1 = performance.now();
    const before = this.analyses.get(root);
    // What changed in a file's model between the reading an analysis read and this one: known only
    // across one adopted reading; anything else is not kept.
    const changesSince = (now: ParsedFile, then: ParsedFile) => {
      const a = this.files.get(now.uri)?.adopted;
      return a && a.to === now && a.from === then ? a.changed : undefined;
    };
    const kept = before && reuseAnalysis(before.last, program.files, RULES, settings, this.host, program.links, changesSince);
    const result = kept ? kept.result : analyze(program.files, RULES, settings, this.host, program.links);
    const t2 = performance.now();
    const byKey = new Map<string, Finding>();
    const keys: string[] = [];
    // A finding's key is its rule, the element it is about (a hash of its innermost owner's label) and its
    // place among that rule's findings about that element, without offsets: a keystroke above a finding
    // moves it but leaves its key, and a finding that comes or goes changes the keys of its element's
    // findings only, so the other diagnostics are unchanged where their ranges are (publisher.ts sends
    // only what changed). Two elements whose labels hash alike share the count, so keys stay unique. Code
    // actions also check the diagnostic's range, so a key that now names another finding of the rule gives
    // no fix rather than a wrong one.
    const ordinal = new Map<string, number>();
    for (const f of result.findings) {
      const about = `${f.rule}:${hash36(f.owners?.[0]?.label ?? '')}`;
      const n = ordinal.get(about) ?? 0;
      ordinal.set(about, n + 1);
      const key = `${about}:${n}`;
      byKey.set(key, f);
      keys.push(key);
    }
    const stamps = new Map(program.files.map((f) => [f.uri, this.files.get(f.uri)!.stamp]));
    const a: DocumentAnalysis = { root, version: this.files.get(root)?.version, result, program, byKey, keys, settings, stamps, parseMs: t1 - t0, analyzeMs: t2 - t1, reused: kept ? (kept.values ? 'values' : 'all') : 'no', last: { result, places: placesOf(result.findings), settings, links: program.links } };
    this.analyses.set(root, a);
    return a;
  }

  get(root: string): DocumentAnalysis | undefined {
    return this.analyses.get(root);
  }

  /** The roots whose programs read `uri` (the file itself first, when it is a root). */
  rootsReading(uri: string): string[] {
    const out = this.roots.has(uri) ? [uri] : [];
    for (const [root, a] of this.analyses) if (root !== uri && a.stamps.has(uri)) out.push(root);
    return out;
  }

  allRoots(): string[] {
    return [...this.roots];
  }

  /**
   * The findings located in a file, from every program that read it: each with the root whose analysis
   * holds it (for code actions) and its key there. Duplicates (the same finding seen from two programs)
   * are kept once, the file's own program first.
   */
  findingsIn(uri: string): { finding: Finding; root: string; key: string }[] {
    const out: { finding: Finding; root: string; key: string }[] = [];
    const seen = new Set<string>();
    const order = [uri, ...[...this.analyses.keys()].filter((r) => r !== uri)];
    // Only analyses that read the file's current text: a stale one is about to be redone.
    const reading = order.flatMap((root) => {
      const a = this.analyses.get(root);
      return a && a.stamps.get(uri) === this.files.get(uri)?.stamp ? [{ root, a }] : [];
    });
    for (const { root, a } of reading) {
      a.result.findings.forEach((f, i) => {
        if (f.uri !== uri) return;
        // Two programs that read the file see some findings twice; one program sees each once, so its
        // findings need no identity (a string of the whole message per finding, on every keystroke).
        if (reading.length > 1) {
          const id = findingIdentity(f);
          if (seen.has(id)) return;
          seen.add(id);
        }
        out.push({ finding: f, root, key: a.keys[i] });
      });
    }
    return out;
  }
}

/** A short, stable name for a string in a finding's key: FNV-1a over its UTF-16 units, in base 36. */
function hash36(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}
