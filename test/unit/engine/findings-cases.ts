/**
 * The topologies whose findings the snapshot test (findings-snapshot.test.ts) holds equal to the ones
 * taken before the analysis was made cheaper (issue 11), and the canonical form they are compared in.
 * Shared with scripts/snapshot-findings.ts, which wrote the fixture from the code before that change.
 *
 * Every URI is virtual (file:///topolint/...), so the fixture does not depend on where the repository is
 * checked out; the host answers `exists` from the real examples folder behind it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { analyze, parseFile, RULES, type AnalysisResult, type Finding, type ParsedFile, type RuleSettings } from '../../../server/src/core';
import { loadProgram } from '../../../server/src/core/program';
import { corpus } from '../../corpus';

export const ROOT = (() => {
  let d = __dirname;
  while (!existsSync(resolve(d, 'package.json'))) d = resolve(d, '..');
  return d;
})();

const VIRTUAL = 'file:///topolint/';

export interface SnapshotCase {
  readonly name: string;
  readonly root: string;
  readonly texts: ReadonlyMap<string, string>;
  readonly settings: RuleSettings;
}

/** Settings that move severities and options of several rules, so that settling them is covered too. */
const SETTINGS: RuleSettings = {
  'sync-chain': { severity: 'error', max: 2 },
  'fan-out': { max: 2 },
  'missing-timeout': 'info',
  'shared-database': 'off',
  'chain-availability': { min: 99.99 },
  'hub': { severity: 'warning' },
  'duplicate-id': 'off',
};

/** The generated 1,000-service topology, kept as a fixture so that a change to test/generate.ts cannot move it. */
export function generated1k(): string {
  return gunzipSync(readFileSync(resolve(ROOT, 'test/fixtures/findings/generated-1k.topology.yaml.gz'))).toString('utf8');
}

export function snapshotCases(): SnapshotCase[] {
  const out: SnapshotCase[] = [];
  const texts = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = resolve(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.topology\.ya?ml$/.test(e.name)) texts.set(VIRTUAL + relative(ROOT, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(resolve(ROOT, 'examples'));
  for (const uri of texts.keys()) out.push({ name: uri.slice(VIRTUAL.length), root: uri, texts, settings: {} });
  for (const v11 of [true, false]) {
    for (const f of corpus(240, 1, { v11 })) {
      const uri = `${VIRTUAL}corpus/${v11 ? 'v11' : 'v1'}/${f.name}`;
      out.push({ name: `corpus ${v11 ? 'v11' : 'v1'} ${f.name}`, root: uri, texts: new Map([[uri, f.text]]), settings: {} });
    }
  }
  for (const f of corpus(30, 500, { v11: true })) {
    const uri = `${VIRTUAL}corpus/settings/${f.name}`;
    out.push({ name: `corpus with settings ${f.name}`, root: uri, texts: new Map([[uri, f.text]]), settings: SETTINGS });
  }
  const uri = `${VIRTUAL}generated/1k.topology.yaml`;
  out.push({ name: 'generated 1k', root: uri, texts: new Map([[uri, generated1k()]]), settings: {} });
  return out;
}

/** The host: files exist where the examples folder has them (ADRs), nowhere else. */
const HOST = {
  exists: (uri: string) => uri.startsWith(VIRTUAL) && existsSync(resolve(ROOT, decodeURIComponent(uri.slice(VIRTUAL.length)))),
};

export function analyseCase(c: SnapshotCase): AnalysisResult {
  const parsed = new Map<string, ParsedFile>();
  const get = (uri: string) => {
    const text = c.texts.get(uri);
    if (text === undefined) return undefined;
    let p = parsed.get(uri);
    if (!p) parsed.set(uri, (p = parseFile(uri, text, RULES)));
    return p;
  };
  const program = loadProgram(get(c.root)!, get);
  return analyze(program.files, RULES, c.settings, HOST, program.links);
}

/** JSON with object keys sorted, so the comparison does not hang on the order a rule built its data in. */
function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if ((v as Record<string, unknown>)[k] !== undefined) o[k] = stable((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

/** What a finding says, in a form to compare: everything but `owners` (model objects, not output). */
export function canonical(findings: readonly Finding[]): unknown[] {
  return findings.map((f) =>
    stable({
      uri: f.uri,
      rule: f.rule,
      messageId: f.messageId,
      message: f.message,
      span: [f.span.start, f.span.end],
      severity: f.severity,
      related: f.related?.map((r) => [r.uri, r.span.start, r.span.end, r.message]),
      data: f.data,
      accepted: f.accepted ? [f.accepted.uri, f.accepted.span.start, f.accepted.span.end, f.accepted.reason] : undefined,
      // Whether the finding has owners to accept it on, and how many: fixes read them.
      owners: f.owners?.length,
    }),
  );
}

export function hashOf(findings: readonly Finding[]): string {
  return createHash('sha256').update(JSON.stringify(canonical(findings))).digest('hex').slice(0, 32);
}

/** The cases whose findings the fixture keeps whole, for a readable difference when they change. */
export const DUMPED = ['examples/shop.topology.yaml', 'examples/multi-file/main.topology.yaml', 'corpus v11 corpus-0007.topology.yaml', 'corpus with settings corpus-0505.topology.yaml'];

export const FIXTURE = resolve(ROOT, 'test/fixtures/findings/snapshot.json');
