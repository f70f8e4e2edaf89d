import { test } from 'node:test';
import { expectFindings, expectClean, applyFix, yaml, run, findingsOf } from '../helpers';
import assert from 'node:assert/strict';

test('self-call is found at the callee reference and its fix removes the call', () => {
  const src = yaml`
    topology: t
    services:
      a:
        calls:
          - to: «a»
          - to: b
      b: {}
  `;
  expectFindings('self-call', src, [{ messageId: 'self' }]);
  const after = applyFix(src.replace(/[«»]/g, ''), 'self-call', /Remove/);
  assert.equal(findingsOf(run(after), 'self-call').length, 0);
  assert.match(after, /- to: b/);
  expectClean('self-call', after);
});
