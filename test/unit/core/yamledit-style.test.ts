/**
 * yamledit.ts finds a text's line break and indent unit once per text (every fix of every finding asks
 * about the same text): the answer follows the text asked about, and the edits keep the file's style.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eol, indentUnit, setPair } from '../../../server/src/core/yamledit';
import { parseYaml } from '../../../server/src/core/ynode';
import type { YMap } from '../../../server/src/core/ynode';

test('the line break and indent unit follow the text asked about, whichever was asked before', () => {
  const lf = 'topology: t\nservices:\n    a: {}\n';
  const crlf = 'topology: t\r\nservices:\r\n  a: {}\r\n';
  for (let i = 0; i < 3; i++) {
    assert.equal(eol(lf), '\n');
    assert.equal(indentUnit(lf), '    ');
    assert.equal(eol(crlf), '\r\n');
    assert.equal(indentUnit(crlf), '  ');
    // A copy of the same text (another string object) gives the same answers.
    assert.equal(eol((crlf + ' ').slice(0, -1)), '\r\n');
  }
  assert.equal(eol('no line break at all'), '\n');
});

test('an edit on a CRLF text after one on an LF text uses CRLF, and the other way round', () => {
  const texts = ['topology: t\nservices:\n  a:\n    team: x\n', 'topology: t\r\nservices:\r\n  a:\r\n    team: x\r\n'];
  for (const text of [...texts, ...texts.reverse()]) {
    const root = parseYaml(text, 0).root as YMap;
    const a = (root.pairs[1].value as YMap).pairs[0].value as YMap;
    const e = setPair('file:///t.topology.yaml', text, a, 'exposure', 'external');
    const after = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
    assert.equal(after.includes('\r\n'), text.includes('\r\n'), JSON.stringify(after));
    assert.equal(after.replace(/\r\n/g, '').includes('\n'), !text.includes('\r\n'), JSON.stringify(after));
    assert.match(after, /exposure: external/);
  }
});
