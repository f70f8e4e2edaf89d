/**
 * The diagram as text for other tools: Mermaid (a flowchart, for Markdown on code hosts) and Graphviz DOT.
 * Neither needs a layout; both keep the same visual vocabulary as the preview (shapes per kind, solid sync,
 * dashed async, dotted events, smells in colour). Names are quoted and escaped for each language, so any
 * id survives as text.
 */
import type { GraphEdge, GraphNode, GraphPayload } from '../protocol';
import { callCount, type DiagramGraph } from './model';
import { elementMarks } from './smells';
import { edgeWidth } from './svg';

const COLOURS = { error: '#cf222e', warning: '#bf8700', info: '#0969da', cycle: '#8250df', store: '#0969da', event: '#1a7f37', accent: '#0969da' } as const;

/** Text for a Mermaid quoted label: entity codes for everything Mermaid or HTML would read as syntax. */
export function mermaidText(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').replace(/[#"<>&`|\\{}[\]()]/g, (c) => `#${c.codePointAt(0)};`);
}

function mermaidShape(n: GraphNode, id: string): string {
  const t = `"${mermaidText(n.label)}"`;
  if (n.kind === 'datastore') return `${id}[(${t})]`;
  if (n.kind === 'event') return `${id}>${t}]`;
  switch (n.variant) {
    case 'gateway':
      return `${id}{{${t}}}`;
    case 'bff':
      return `${id}([${t}])`;
    case 'job':
      return `${id}[/${t}/]`;
    case 'legacy':
      return `${id}[[${t}]]`;
    default:
      return `${id}[${t}]`;
  }
}

function mermaidArrow(e: GraphEdge): string {
  switch (e.kind) {
    case 'sync':
      return '-->';
    case 'async':
    case 'publish':
    case 'subscribe':
      return '-.->';
    case 'uses':
      return e.owner ? '--o' : '-.-o';
  }
}

export function toMermaid(payload: Pick<GraphPayload, 'name' | 'findings'>, graph: DiagramGraph): string {
  const ids = new Map(graph.nodes.map((node, i) => [node.id, `n${i}`]));
  const marks = elementMarks(payload);
  const lines = [`%% ${mermaidComment(payload.name || 'topology')}: drawn by topolint`, 'flowchart LR'];
  for (const node of graph.nodes) lines.push(`  ${mermaidShape(node, ids.get(node.id)!)}`);
  const linkStyles = new Map<string, number[]>();
  const style = (s: string, i: number) => (linkStyles.get(s) ?? linkStyles.set(s, []).get(s)!).push(i);
  graph.edges.forEach((e, i) => {
    const label = e.label ? `|"${mermaidText(e.label)}"|` : '';
    lines.push(`  ${ids.get(e.from)} ${mermaidArrow(e)}${label} ${ids.get(e.to)}`);
    const m = marks.get(e.id);
    const width = `stroke-width:${edgeWidth(e).toFixed(1)}px`;
    if (m?.marks.has('chatty')) style(`stroke:${COLOURS.error},${width}`, i);
    else if (m?.marks.has('cycle')) style(`stroke:${COLOURS.cycle},stroke-width:2px`, i);
    else if (m?.marks.has('chain')) style(`stroke:${COLOURS.warning},stroke-width:2px`, i);
    else if (e.kind === 'publish' || e.kind === 'subscribe') style(`stroke:${COLOURS.event},stroke-dasharray:2 3`, i);
    else if (e.kind === 'uses' && !e.owner) style(`stroke:${COLOURS.warning}`, i);
    else if (callCount(e) > 1) style(width, i);
  });
  lines.push(`  classDef error stroke:${COLOURS.error},stroke-width:2px`, `  classDef warning stroke:${COLOURS.warning},stroke-width:2px`, `  classDef info stroke:${COLOURS.info}`);
  lines.push(`  classDef shared stroke:${COLOURS.warning},stroke-width:3px`, `  classDef cycle stroke:${COLOURS.cycle},stroke-width:2px`);
  const byClass = new Map<string, string[]>();
  for (const node of graph.nodes) {
    const m = marks.get(node.id);
    const cls = m?.marks.has('shared') ? 'shared' : m?.marks.has('cycle') ? 'cycle' : m?.severity;
    if (cls) (byClass.get(cls) ?? byClass.set(cls, []).get(cls)!).push(ids.get(node.id)!);
  }
  for (const [cls, members] of byClass) lines.push(`  class ${members.join(',')} ${cls}`);
  for (const [s, idx] of linkStyles) lines.push(`  linkStyle ${idx.join(',')} ${s}`);
  return lines.join('\n') + '\n';
}

function mermaidComment(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

/**
 * A DOT quoted ID. In DOT's quoted strings only \" is an escape; every other backslash stays as written,
 * so names come back from Graphviz unchanged. (A name ending in a backslash gets a space: the one case
 * DOT cannot quote.)
 */
export function dotId(s: string): string {
  return `"${s.replace(/"/g, '\\"').replace(/\\$/, '\\ ')}"`;
}

/** A DOT label (an escString): backslashes and quotes escaped, line breaks as \n, so nothing is a directive. */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n|\r/g, '\\n')}"`;
}

function dotNode(n: GraphNode): Record<string, string> {
  if (n.kind === 'datastore') return { shape: 'cylinder', color: COLOURS.store };
  if (n.kind === 'event') return { shape: 'cds', color: COLOURS.event };
  switch (n.variant) {
    case 'gateway':
      return { shape: 'hexagon' };
    case 'bff':
      return { shape: 'box', style: 'rounded,bold' };
    case 'job':
      return { shape: 'box', style: 'dashed' };
    case 'legacy':
      return { shape: 'box3d' };
    default:
      return { shape: 'box', style: 'rounded' };
  }
}

function dotEdge(e: GraphEdge): Record<string, string> {
  switch (e.kind) {
    case 'sync':
      return { style: 'solid' };
    case 'async':
      return { style: 'dashed' };
    case 'publish':
    case 'subscribe':
      return { style: 'dotted', color: COLOURS.event };
    case 'uses':
      return e.owner ? { style: 'solid', arrowhead: 'diamond', color: COLOURS.store } : { style: 'dashed', arrowhead: 'odiamond', color: COLOURS.warning };
  }
}

const attrs = (a: Record<string, string>) =>
  Object.entries(a)
    .map(([k, v]) => `${k}=${dotString(v)}`)
    .join(', ');

export function toDot(payload: Pick<GraphPayload, 'name' | 'findings'>, graph: DiagramGraph): string {
  const marks = elementMarks(payload);
  const lines = [
    `digraph ${dotId(payload.name || 'topology')} {`,
    `  graph [rankdir="LR", fontname="Helvetica", label=${dotString(payload.name || '')}, labelloc="t"];`,
    '  node [fontname="Helvetica", fontsize="11"];',
    '  edge [fontname="Helvetica", fontsize="9"];',
  ];
  for (const node of graph.nodes) {
    const a: Record<string, string> = { label: node.label, ...dotNode(node) };
    const m = marks.get(node.id);
    if (m?.marks.has('shared')) Object.assign(a, { color: COLOURS.warning, penwidth: '3', xlabel: 'shared' });
    else if (m?.marks.has('cycle')) Object.assign(a, { color: COLOURS.cycle, penwidth: '2' });
    else if (m?.severity) Object.assign(a, { color: COLOURS[m.severity], penwidth: '2' });
    if (node.kind === 'service' && node.variant !== 'service') a.xlabel = a.xlabel ?? node.variant;
    lines.push(`  ${dotId(node.id)} [${attrs(a)}];`);
  }
  for (const e of graph.edges) {
    const a: Record<string, string> = { ...dotEdge(e), id: e.id };
    if (e.label) a.label = e.label;
    const m = marks.get(e.id);
    if (m?.marks.has('chatty')) Object.assign(a, { color: COLOURS.error, penwidth: edgeWidth(e).toFixed(1) });
    else if (m?.marks.has('cycle')) Object.assign(a, { color: COLOURS.cycle, penwidth: '2' });
    else if (m?.marks.has('chain')) Object.assign(a, { color: COLOURS.warning, penwidth: '2' });
    lines.push(`  ${dotId(e.from)} -> ${dotId(e.to)} [${attrs(a)}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
