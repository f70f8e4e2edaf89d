/**
 * Which diagram element the editor's cursor is in. The payload gives each element the range of its id
 * (a node) or of its target (an edge); the cursor is in an element when it is on that line, or below it and
 * still inside the YAML block that line opens (indented deeper, blank lines and comments aside). Pure, so
 * it is tested without VS Code.
 */
import type { GraphPayload, Position } from '../../../shared/protocol';

interface Located {
  readonly id: string;
  readonly line: number;
  readonly character: number;
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const isFiller = (line: string) => /^\s*(#.*)?$/.test(line);

/** The block a line opens starts at its first non-space character, or after a `- ` for a list item. */
function blockIndent(line: string): number {
  const m = /^(\s*)(-\s+)?/.exec(line)!;
  return m[1].length;
}

export function elementAt(payload: Pick<GraphPayload, 'uri' | 'nodes' | 'edges'>, lineAt: (line: number) => string, pos: Position): string | undefined {
  const candidates: Located[] = [];
  for (const x of [...payload.edges, ...payload.nodes]) {
    if (x.uri !== payload.uri) continue;
    const s = x.range.start;
    if (s.line <= pos.line) candidates.push({ id: x.id, line: s.line, character: s.character });
  }
  // The latest element at or before the cursor first.
  candidates.sort((a, b) => b.line - a.line || b.character - a.character);
  const sameLine = candidates.filter((c) => c.line === pos.line);
  // On the cursor's own line (flow style can put several there): the last one starting before the cursor.
  if (sameLine.length) return (sameLine.find((c) => c.character <= pos.character) ?? sameLine[sameLine.length - 1]).id;
  for (const c of candidates) {
    const own = blockIndent(lineAt(c.line));
    let inside = true;
    for (let l = c.line + 1; l <= pos.line; l++) {
      const text = lineAt(l);
      if (isFiller(text)) continue;
      if (indentOf(text) <= own) {
        inside = false;
        break;
      }
    }
    if (inside) return c.id;
  }
  return undefined;
}
