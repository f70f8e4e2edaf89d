/**
 * `topolint diagram <file>`: the preview's diagram without an editor, as SVG (laid out by ELK, the same
 * drawing the preview shows), Mermaid, Graphviz DOT, or a self-contained interactive HTML page. The graph
 * is the language server's own payload (buildGraph), so every front end draws the same thing.
 */
import { takeValue } from './args';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readTopologyText } from '../node-host';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkText, findingKey } from '../core';
import { buildGraph } from '../graph-payload';
import type { GraphPayload } from '../../../shared/protocol';
import { EDGE_STYLES, reversedEdges, renderSvg, standaloneHtml, toDot, toElkGraph, toMermaid, visibleGraph, type DiagramView, type EdgeStyle } from '../../../shared/diagram';
import { layoutSync } from '../../../shared/diagram/elk-run';
import { safe } from './safe';
import { DIAGRAM_USAGE } from './diagram-usage';

export const DIAGRAM_FORMATS = ['svg', 'mermaid', 'dot', 'html'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

export { DIAGRAM_USAGE };

interface Out {
  write(s: string): void;
}

interface DiagramOptions {
  file: string;
  format: DiagramFormat;
  output?: string;
  view: DiagramView;
}

class DiagramUsageError extends Error {}

function parseArgs(args: readonly string[]): DiagramOptions {
  let file: string | undefined;
  let format: DiagramFormat = 'svg';
  let output: string | undefined;
  const hidden: EdgeStyle[] = [];
  let focus: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (name: string) => {
      const r = takeValue(args, i, name, (m) => new DiagramUsageError(m));
      i = r.last;
      return r.value;
    };
    if (a === '--format' || a.startsWith('--format=')) {
      const f = value('--format');
      if (!(DIAGRAM_FORMATS as readonly string[]).includes(f)) throw new DiagramUsageError(`--format must be ${DIAGRAM_FORMATS.join(', ')}, not '${f}'`);
      format = f as DiagramFormat;
    } else if (a === '--output' || a === '-o' || a.startsWith('--output=')) {
      output = value('--output');
    } else if (a === '--hide' || a.startsWith('--hide=')) {
      for (const s of value('--hide').split(',').map((x) => x.trim()).filter(Boolean)) {
        if (!(EDGE_STYLES as readonly string[]).includes(s)) throw new DiagramUsageError(`--hide takes ${EDGE_STYLES.join(', ')}, not '${s}'`);
        hidden.push(s as EdgeStyle);
      }
    } else if (a === '--focus' || a.startsWith('--focus=')) {
      focus = value('--focus');
    } else if (a.startsWith('-') && a !== '-') {
      throw new DiagramUsageError(`unknown option '${a}'`);
    } else if (file === undefined) {
      file = a;
    } else {
      throw new DiagramUsageError('diagram draws one file at a time');
    }
  }
  if (!file) throw new DiagramUsageError('diagram needs a topology file');
  return { file, format, output, view: { hidden, focus } };
}

/** The graph payload of a topology text, as the language server builds it. */
export function payloadFor(uri: string, text: string): GraphPayload {
  const result = checkText(uri, text);
  const doc = TextDocument.create(uri, 'topology', 0, text);
  return buildGraph(doc, result, result.findings.map((f, i) => findingKey(f, i)));
}

/** The diagram of a payload in a text format; `html` needs the preview's built scripts (media/dist). */
export function drawDiagram(payload: GraphPayload, format: DiagramFormat, view: DiagramView = {}): string {
  const graph = visibleGraph(payload, view);
  switch (format) {
    case 'mermaid':
      return toMermaid(payload, graph);
    case 'dot':
      return toDot(payload, graph);
    case 'svg':
      return renderSvg(payload, graph, layoutSync(toElkGraph(graph), reversedEdges(graph)), { standalone: true }) + '\n';
    case 'html': {
      const dist = mediaDist();
      const read = (name: string) => readFileSync(resolve(dist, name), 'utf8');
      return standaloneHtml({ nonce: randomBytes(18).toString('base64'), payload, script: read('preview.js'), style: read('preview.css'), worker: read('layout-worker.js') });
    }
  }
}

/** media/dist next to the bundle (dist/cli.js), or up from the sources and the test bundles. */
function mediaDist(): string {
  for (const up of ['..', '../..', '../../..', '../../../..']) {
    const candidate = resolve(__dirname, up, 'media', 'dist');
    if (existsSync(resolve(candidate, 'preview.js'))) return candidate;
  }
  throw new Error('the preview is not built (media/dist/preview.js is missing): run npm run build');
}

export function diagram(args: readonly string[], out: Out, err: Out): number {
  let opts: DiagramOptions;
  try {
    opts = parseArgs(args);
  } catch (e) {
    if (!(e instanceof DiagramUsageError)) throw e;
    err.write(`topolint: ${safe(e.message)}\n\nUsage: topolint diagram <file> [options]\n${DIAGRAM_USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = readTopologyText(opts.file);
  } catch (e) {
    err.write(`topolint: cannot read '${safe(opts.file)}': ${safe((e as Error).message)}\n`);
    return 2;
  }
  const payload = payloadFor(pathToFileURL(resolve(opts.file)).href, text);
  if (opts.view.focus && !payload.nodes.some((n) => n.id === opts.view.focus)) {
    const match = payload.nodes.find((n) => n.label === opts.view.focus);
    if (!match) {
      err.write(`topolint: --focus: no element '${safe(opts.view.focus)}' in ${safe(opts.file)}\n`);
      return 2;
    }
    opts.view = { ...opts.view, focus: match.id };
  }
  const drawing = drawDiagram(payload, opts.format, opts.view);
  if (opts.output) {
    try {
      writeFileSync(opts.output, drawing);
    } catch (e) {
      err.write(`topolint: cannot write '${opts.output}': ${(e as Error).message}\n`);
      return 2;
    }
    err.write(`Wrote the ${opts.format} diagram to ${opts.output}\n`);
  } else {
    out.write(drawing);
  }
  return 0;
}
