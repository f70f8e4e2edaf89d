/**
 * The rule API: what a rule is (meta, check, fixes), what it reports, the fixes it offers, and what the
 * engine hands it. Types only, plus the two identities of a finding; every part of the core imports these
 * from here, and this module imports nothing but types, so no import circle can run through it.
 */
import type { Accept, Topology } from './model';
import type { Observed } from './observed';
import type { SchemaProblem } from './schema';
import type { Span } from './span';
import type { System } from './system';
import type { YamlParse } from './ynode';

export type Severity = 'error' | 'warning' | 'info';
export type ConfiguredSeverity = Severity | 'off';

export interface RuleOption {
  readonly type: 'int' | 'number' | 'percent' | 'duration' | 'size';
  readonly default: number;
  readonly min?: number;
  readonly description: string;
}

export interface RuleMeta {
  readonly id: string;
  /** One line: what the rule finds. */
  readonly title: string;
  readonly category: 'structure' | 'communication' | 'failure' | 'events' | 'interfaces';
  readonly defaultSeverity: Severity;
  readonly options: Readonly<Record<string, RuleOption>>;
  /** Whether the rule has quick fixes of its own (besides "Accept <rule> on <element>"). */
  readonly fixable: boolean;
  /** Structural rules report on what was written, not on a design decision: they cannot be accepted. */
  readonly acceptable: boolean;
  /** The catalog's "always on" rules: their severity can change, but `off` is ignored (and the schema says so). */
  readonly alwaysOn?: boolean;
}

export interface Related {
  readonly uri: string;
  readonly span: Span;
  readonly message: string;
}

/** Something a rule reports, before the engine settles its severity and acceptance. */
export interface Report {
  readonly uri: string;
  readonly span: Span;
  readonly message: string;
  /** A stable id of the message template, for tests and fix lookup (never the text). */
  readonly messageId: string;
  /** Overrides the rule's default severity for this finding unless the user configured one. */
  readonly severity?: Severity;
  readonly related?: readonly Related[];
  /** Elements whose `accept:` may answer this finding, innermost first (`label` names the element). */
  readonly owners?: readonly { readonly accepts: readonly Accept[]; readonly accept?: unknown; readonly uri?: string; readonly label?: string }[];
  /** Data a fix needs, kept with the finding (JSON-safe). */
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface Finding extends Report {
  readonly rule: string;
  readonly severity: Severity;
  readonly accepted?: { readonly reason: string; readonly span: Span; readonly uri: string };
}

/** The same finding seen from two analyses (two programs that read one file) has the same identity. */
export function findingIdentity(f: Finding): string {
  return `${f.uri}\u0000${f.rule}\u0000${f.span.start}\u0000${f.span.end}\u0000${f.message}`;
}

/** A finding's key: stable for one document version, sent in `data` so code actions can find it again. */
export function findingKey(f: Finding, index: number): string {
  return `${f.rule}:${f.span.start}:${f.span.end}:${index}`;
}

export interface TextEdit {
  readonly uri: string;
  readonly span: Span;
  readonly newText: string;
  /** The same text as an LSP snippet (placeholders to tab through), for clients that take snippet edits. */
  readonly snippet?: string;
}

export interface Fix {
  readonly title: string;
  readonly kind: 'quickfix' | 'refactor.rewrite';
  readonly edits: readonly TextEdit[];
  /** Files the fix creates, with their content (an ADR, say). */
  readonly creates?: readonly { readonly uri: string; readonly text: string }[];
  /**
   * The finding's best fix, which an editor's "auto fix" applies. A rule that sets it (true or false) on
   * any of its fixes decides; otherwise the engine prefers the first fix that is not an accept (menu.ts).
   */
  readonly isPreferred?: boolean;
  /**
   * Set on the fixes that record a decision to accept a finding ("Accept <rule> on <element>", with or without
   * an ADR) rather than change the design; front ends that only list design fixes (the CLI) leave them out.
   */
  readonly accept?: true;
}

/**
 * What the core may ask of its host (the server or the CLI): whether a file exists, what a folder holds,
 * and where decision records go. The core never touches the file system itself; without a host the
 * rules that need one report nothing and the ADR fixes are not offered.
 */
export interface Host {
  exists?(uri: string): boolean;
  list?(dirUri: string): readonly string[];
  /** The folder for new ADRs (a URI ending in '/'), e.g. the workspace's docs/adr/. */
  adrFolder?(fileUri: string): string | undefined;
  /** Facts observed in the running system (`topolint check --observed`), for the drift rule. */
  observed?(): Observed | undefined;
  /**
   * Whether a URI lies inside the project (the workspace folders; for the CLI, the project root): imports
   * are read and new files are created only there. `programRoot` is the file whose program is read, for
   * a host that has no project folder. Without the method, nothing is confined (tests' tables).
   */
  inside?(uri: string, programRoot?: string): boolean;
}

/** Every rule of an analysis by id, with its meta: what an `accept` or a `rules:` entry may name. */
export type RuleRegistry = ReadonlyMap<string, RuleMeta>;

export interface RuleContext {
  readonly host: Host;
  /** The imports between the files (program.ts), for the rules on missing files and cycles. */
  readonly imports?: readonly ImportLink[];
  /**
   * The rules of this analysis (the engine passes every rule it was given, enabled or not). Absent only
   * where a test calls a rule's `check` by hand.
   */
  readonly rules?: RuleRegistry;
  readonly system: System;
  readonly files: readonly ParsedFile[];
  readonly options: Readonly<Record<string, number>>;
  report(r: Report): void;
}

export interface FixContext {
  readonly host: Host;
  /** The rules of the analysis the finding came from (see RuleContext.rules). */
  readonly rules?: RuleRegistry;
  readonly system: System;
  readonly files: readonly ParsedFile[];
  readonly options: Readonly<Record<string, number>>;
  file(uri: string): ParsedFile | undefined;
}

export interface Rule {
  readonly meta: RuleMeta;
  check(ctx: RuleContext): void;
  fixes?(finding: Finding, ctx: FixContext): Fix[];
}

export interface ParsedFile {
  readonly uri: string;
  readonly text: string;
  readonly yaml: YamlParse;
  readonly schema: readonly SchemaProblem[];
  readonly topology: Topology;
  /** True when the text was over the size limit and was not read. */
  readonly tooLarge: boolean;
  readonly chunked: boolean;
}

/** Rule settings from the editor (or the CLI): severity and options per rule id. */
export type RuleSettings = Readonly<Record<string, { readonly severity?: ConfiguredSeverity; readonly [option: string]: unknown } | ConfiguredSeverity | undefined>>;

/** One `imports:` entry of a file, resolved: the rules on missing files and import cycles read these. */
export interface ImportLink {
  /** The importing file. */
  readonly from: string;
  /** The import path as written, and where. */
  readonly path: string;
  readonly span: Span;
  /** The imported file's URI, when the path resolves to one. */
  readonly target?: string;
  /** Whether the target could be read. */
  readonly exists: boolean;
  /** Why the target was not read although it may exist: outside the project, or not a topology. */
  readonly refused?: 'outside' | 'not-topology';
}
