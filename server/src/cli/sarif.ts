/** SARIF 2.1.0 output: one run, the rule catalog in tool.driver.rules, fixes where a rule has them. */
import { LineIndex, type Finding, type Fix, type Rule } from '../core';
import type { Span } from '../core/span';
import { DOCS_BASE, VERSION, ruleDocUrl } from '../version';
import { pathToFileURL } from 'node:url';

export interface SarifInput {
  readonly path: string;
  readonly text: string;
  readonly findings: readonly { finding: Finding; fixes: readonly Fix[] }[];
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function region(lines: LineIndex, s: Span) {
  const a = lines.position(s.start);
  const b = lines.position(s.end);
  return { startLine: a.line + 1, startColumn: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1, charOffset: s.start, charLength: s.end - s.start };
}

export function toSarif(inputs: readonly SarifInput[], rules: readonly Rule[], cwd: string): object {
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
  const lineCache = new Map<string, LineIndex>();
  const linesOf = (path: string, text?: string) => {
    let l = lineCache.get(path);
    if (!l) {
      l = new LineIndex(text ?? inputs.find((i) => i.path === path)?.text ?? '');
      lineCache.set(path, l);
    }
    return l;
  };
  const uriOf = (path: string) => {
    const rel = path.startsWith(cwd + '/') ? path.slice(cwd.length + 1) : null;
    return rel ? { uri: rel.split('\\').join('/'), uriBaseId: '%SRCROOT%' } : { uri: pathToFileURL(path).href };
  };
  const results: object[] = [];
  for (const input of inputs) {
    const lines = linesOf(input.path, input.text);
    for (const { finding, fixes } of input.findings) {
      const result: Record<string, unknown> = {
        ruleId: finding.rule,
        ruleIndex: ruleIndex.get(finding.rule) ?? -1,
        level: LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [{ physicalLocation: { artifactLocation: uriOf(input.path), region: region(lines, finding.span) } }],
      };
      if (finding.related?.length) {
        result.relatedLocations = finding.related.map((r, id) => ({
          id,
          message: { text: r.message },
          physicalLocation: { artifactLocation: uriOf(input.path), region: region(lines, r.span) },
        }));
      }
      if (finding.accepted) {
        result.suppressions = [{ kind: 'inSource', status: 'accepted', justification: finding.accepted.reason }];
      }
      const own = fixes.filter((f) => f.edits.every((e) => e.uri === finding.uri));
      if (own.length) {
        result.fixes = own.map((f) => ({
          description: { text: f.title },
          artifactChanges: [
            {
              artifactLocation: uriOf(input.path),
              replacements: f.edits.map((e) => ({ deletedRegion: { charOffset: e.span.start, charLength: e.span.end - e.span.start }, insertedContent: { text: e.newText } })),
            },
          ],
        }));
      }
      results.push(result);
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'topolint',
            version: VERSION,
            informationUri: DOCS_BASE,
            rules: rules.map((r) => ({
              id: r.meta.id,
              name: r.meta.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: r.meta.title },
              fullDescription: { text: r.meta.title },
              helpUri: ruleDocUrl(r.meta.id),
              help: { text: `${r.meta.title}. See ${ruleDocUrl(r.meta.id)} for why it hurts, how to fix it and when to accept it.` },
              defaultConfiguration: { level: LEVEL[r.meta.defaultSeverity] },
              properties: { category: r.meta.category, options: Object.fromEntries(Object.entries(r.meta.options).map(([k, o]) => [k, o.default])) },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd + '/').href } },
        results,
      },
    ],
  };
}
