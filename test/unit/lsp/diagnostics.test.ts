/**
 * diagnosticsOf (lsp/convert.ts) keeps the diagnostics last sent where a finding did not change and says
 * when nothing did. Its reference is toDiagnostic on every finding, compared whole: under seeded edits to
 * a generated system (digits in descriptions and timeouts, new lines, deleted lines), what it returns is
 * exactly the fresh list, and it returns nothing exactly when the fresh list equals the last one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver';
import { Workspace } from '../../../server/src/lsp/workspace';
import { diagnosticsOf, toDiagnostic } from '../../../server/src/lsp/convert';
import { generateTopology } from '../../generate';
import { xorshift32 } from '../../prng';

const URI = 'file:///w/diagnostics.topology.yaml';

test('diagnosticsOf equals a fresh conversion, and is empty exactly when nothing changed', () => {
  const rand = xorshift32(11);
  let text = generateTopology(120, 5);
  const ws = new Workspace({}, () => undefined);
  let last: Diagnostic[] | undefined;
  let unchanged = 0;
  let changed = 0;
  for (let v = 1; v <= 120; v++) {
    if (v > 1) {
      const pick = rand();
      const anchor = pick < 0.4 ? 'description: ' : pick < 0.7 ? 'timeout: ' : '\n';
      let at = text.indexOf(anchor, Math.floor(rand() * text.length));
      if (at < 0) at = text.indexOf(anchor);
      at += anchor.length;
      const lineEnd = text.indexOf('\n', at);
      text = pick < 0.7 ? `${text.slice(0, at)}${Math.floor(rand() * 10)}${text.slice(at)}` : pick < 0.85 ? `${text.slice(0, at)}\n${text.slice(at)}` : `${text.slice(0, at)}${text.slice(lineEnd + 1)}`;
    }
    ws.open(URI, text, v);
    ws.analyze(URI, {});
    const doc = TextDocument.create(URI, 'topology', v, text);
    const items = ws.findingsIn(URI);
    const fresh = items.map(({ finding, root, key }) => toDiagnostic(doc, finding, key, () => doc, true, root));
    const got = diagnosticsOf(doc, items, () => doc, true, last);
    const same = last !== undefined && JSON.stringify(last) === JSON.stringify(fresh);
    if (same) {
      assert.equal(got, undefined, `version ${v}: nothing changed`);
      unchanged++;
    } else {
      assert.deepEqual(got, fresh, `version ${v}`);
      last = got;
      changed++;
    }
  }
  // Both outcomes happened often enough to mean something.
  assert.ok(unchanged > 20 && changed > 20, `unchanged ${unchanged}, changed ${changed}`);
});
