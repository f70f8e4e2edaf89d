/**
 * `ruleTester(rule, { valid, invalid })`: the table every rule test file used to spell out by hand, on
 * node:test and the « » marked-span conventions of helpers.ts. Call it inside the rule's `describe`; it adds
 * a `valid` and an `invalid` suite with one test per case, named by the case.
 *
 * - A valid case is a text on which the rule reports nothing.
 * - An invalid case marks the expected findings' spans with « » (in document order) and gives what each
 *   finding must carry (`expected`, as `expectFindings` reads it); `check` asserts more on the findings.
 *   `fixes` applies a fix by title to a finding and compares the text after it with `output`; each fix is
 *   applied to the case's own text and the result re-analysed, as `applyFix` does.
 *
 * The checks are exported on their own (`checkValid`, `checkInvalid`) so a test can show they fail.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectClean, expectFindings, marked, type Expected } from './helpers';
import type { Finding, RuleSettings } from '../server/src/core';

export interface ValidCase {
  readonly name: string;
  /** The text, with no « » marks. */
  readonly text: string;
  readonly settings?: RuleSettings;
}

export interface FixCase {
  /** Picks the fix by its title. */
  readonly title: RegExp;
  /** The whole text after the fix; left out, only the re-analysis after the fix is checked. */
  readonly output?: string;
  /** Which finding of the rule to fix (in document order); the first by default. */
  readonly finding?: number;
}

export interface InvalidCase {
  readonly name: string;
  /** The text with every expected finding's span marked by « and ». */
  readonly src: string;
  /** What the finding at the same index must carry; a single entry applies to every finding. */
  readonly expected: readonly Expected[];
  readonly settings?: RuleSettings;
  /** Further checks on the findings, given the text without the marks. */
  readonly check?: (found: Finding[], text: string) => void;
  readonly fixes?: readonly FixCase[];
}

export function checkValid(rule: string, c: ValidCase): void {
  expectClean(rule, c.text, c.settings);
}

export function checkInvalid(rule: string, c: InvalidCase): void {
  const found = expectFindings(rule, c.src, c.expected, c.settings);
  const { text } = marked(c.src);
  c.check?.(found, text);
  for (const fix of c.fixes ?? []) {
    const after = applyFix(text, rule, fix.title, c.settings, fix.finding ?? 0);
    if (fix.output !== undefined) assert.equal(after, fix.output, `${rule}: the text after the fix ${fix.title}`);
  }
}

export function ruleTester(rule: string, cases: { readonly valid: readonly ValidCase[]; readonly invalid: readonly InvalidCase[] }): void {
  describe('valid', () => {
    for (const c of cases.valid) test(c.name, () => checkValid(rule, c));
  });
  describe('invalid', () => {
    for (const c of cases.invalid) test(c.name, () => checkInvalid(rule, c));
  });
}
