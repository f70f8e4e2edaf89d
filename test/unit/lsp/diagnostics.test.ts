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
import type { Finding } from '../../../server/src/core';
import { Workspace } from '../../../server/src/lsp/workspace';
import { diagnosticsOf, toDiagnostic } from '../../../server/src/lsp/convert';
import { generateTopology, typeKeystroke } from '../../generate';
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
    if (v > 1) text = typeKeystroke(text, rand, 0.4);
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

test('a place between a CR and its LF is compared as positionAt reads it, and a line that got shorter is not the same place', () => {
  const finding = (start: number, end: number): Finding => ({ uri: URI, rule: 'self-call', severity: 'warning', span: { start, end }, message: 'm', messageId: 'm' });
  const check = (before: string, after: string, f: Finding) => {
    const was = TextDocument.create(URI, 'topology', 1, before);
    const now = TextDocument.create(URI, 'topology', 2, after);
    const last = [toDiagnostic(was, f, 'k', () => was, true)];
    const fresh = toDiagnostic(now, f, 'k', () => now, true);
    const got = diagnosticsOf(now, [{ finding: f, root: URI, key: 'k' }], () => now, true, last);
    if (JSON.stringify(fresh) === JSON.stringify(last[0])) assert.equal(got, undefined);
    else assert.deepEqual(got, [fresh]);
  };
  // Offset 5 is line 0, character 5 in the first text, and the LF of a CRLF in the second (positionAt: character 4).
  check('a: bxyz\r\n', 'a: b\r\nc: d\r\n', finding(4, 5));
  // Offset 9 was on line 0; the second text's line 0 ends at 4.
  check('a: bxyzwvut\n', 'a: b\nc: defgh\n', finding(3, 9));
  // Offset 5 was line 0, character 5; now it starts line 1.
  check('a: bxy\n', 'a: b\nc: d\n', finding(4, 5));
  // The same place in both: kept.
  check('a: b\r\nc: d\r\n', 'a: b\r\nc: e\r\n', finding(0, 1));
});
