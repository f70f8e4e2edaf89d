/**
 * The DSL's units (docs/dsl.md "Units"): durations, sizes and percentages, as the schema reads them, and
 * the formatting helpers that messages use. Each table row is one input and what it must give.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatPercent, formatSize, parseDuration, parsePercent, parseSize, type UnitResult } from '../../../server/src/core/units';
import { expectFindings } from '../../helpers';

function ok(r: UnitResult, value: number, input: unknown): void {
  assert.ok(r.ok, `${JSON.stringify(input)} should read, got: ${r.ok ? '' : r.problem}`);
  assert.equal(r.value, value, JSON.stringify(input));
}

function bad(r: UnitResult, input: unknown, ...includes: string[]): string {
  assert.ok(!r.ok, `${JSON.stringify(input)} should be rejected, got ${r.ok ? r.value : ''}`);
  for (const s of includes) assert.ok(r.problem.includes(s), `${JSON.stringify(input)}: '${r.problem}' lacks '${s}'`);
  return r.problem;
}

describe('durations', () => {
  const good: [unknown, number][] = [
    ['250ms', 250],
    ['2s', 2000],
    ['1.5m', 90_000],
    ['.5s', 500],
    ['0ms', 0],
    [' 3s ', 3000],
    // A bare number is milliseconds, whether YAML read it as a number or it was quoted.
    [250, 250],
    ['250', 250],
    [0, 0],
    [1.5, 1.5],
  ];
  for (const [input, ms] of good) test(`${JSON.stringify(input)} = ${ms} ms`, () => ok(parseDuration(input), ms, input));

  test('hours and spelled-out units are refused with a hint that names the units', () => {
    for (const input of ['2 hours', '2h', '1hr', '30sec', '10 seconds', '5min', '100us']) bad(parseDuration(input), input, 'is not a duration', '(units are ms, s and m)');
  });

  test('negative, words, empty and other types are refused (no unit hint where there is no unit)', () => {
    const neg = bad(parseDuration('-1s'), '-1s', "'-1s' is not a duration");
    assert.ok(!neg.includes('units are'), neg);
    bad(parseDuration(-1), -1, 'cannot be negative');
    const word = bad(parseDuration('abc'), 'abc', "'abc' is not a duration such as 250ms, 2s or 1.5m");
    assert.ok(!word.includes('units are'), word);
    bad(parseDuration(''), '', 'is not a duration');
    bad(parseDuration('2S'), '2S', 'is not a duration');
    bad(parseDuration(true), true, 'expected a duration');
    bad(parseDuration(null), null, 'expected a duration');
  });

  test('.inf and .nan are numbers to YAML but not durations, and are not called negative', () => {
    for (const input of [Infinity, NaN]) {
      const p = bad(parseDuration(input), input, 'is not a duration');
      assert.ok(!p.includes('negative'), p);
    }
  });
});

describe('sizes', () => {
  const good: [unknown, number][] = [
    ['512B', 512],
    ['4KB', 4096],
    ['1.5MB', 1.5 * 1024 * 1024],
    ['2GB', 2 * 1024 ** 3],
    ['0.1KB', 102],
    [2048, 2048],
    ['2048', 2048],
    [0, 0],
  ];
  for (const [input, bytes] of good) test(`${JSON.stringify(input)} = ${bytes} bytes`, () => ok(parseSize(input), bytes, input));

  test('the wrong case or a binary unit is refused with a hint to write B, KB, MB or GB', () => {
    for (const input of ['4kb', '4Kb', '4 KiB', '1mb', '2g', '2k']) bad(parseSize(input), input, 'is not a size', '(write the unit as B, KB, MB or GB)');
  });

  test('words, negatives and other types are refused, without the unit hint', () => {
    const word = bad(parseSize('big'), 'big', "'big' is not a size such as 512B, 4KB or 1.5MB");
    assert.ok(!word.includes('write the unit'), word);
    bad(parseSize('-4KB'), '-4KB', 'is not a size');
    bad(parseSize('4TB'), '4TB', 'is not a size');
    bad(parseSize(-1), -1, 'cannot be negative');
    bad(parseSize(false), false, 'expected a size');
    const inf = bad(parseSize(Infinity), Infinity, 'is not a size');
    assert.ok(!inf.includes('negative'), inf);
  });
});

describe('percentages', () => {
  const good: [unknown, number][] = [
    ['99.9%', 0.999],
    ['99.95%', 0.9995],
    ['100%', 1],
    ['0%', 0],
    ['50 %', 0.5],
    [0.999, 0.999],
    [1, 1],
    [0, 0],
  ];
  for (const [input, fraction] of good) {
    test(`${JSON.stringify(input)} = ${fraction}`, () => {
      const r = parsePercent(input);
      assert.ok(r.ok, JSON.stringify(input));
      // '99.9%' / 100 is 0.9990000000000001 in binary floating point.
      assert.ok(Math.abs(r.value - fraction) < 1e-12, `${JSON.stringify(input)}: ${r.value}`);
    });
  }

  test('over 100% is refused', () => {
    bad(parsePercent('150%'), '150%', '150% is over 100%');
    bad(parsePercent('100.01%'), '100.01%', 'over 100%');
  });

  test('a bare number over 1 is refused, with the hint to write it as a percentage where it reads as one', () => {
    // dsl.md: "99.9% (or a number between 0 and 1)". A bare 99.9 is most likely a percentage without its %.
    bad(parsePercent(99.9), 99.9, '99.9 is not a fraction between 0 and 1', 'write a percentage as 99.9%');
    bad(parsePercent(1.5), 1.5, 'not a fraction between 0 and 1', 'write a percentage as 1.5%');
  });

  test('numbers that cannot be a percentage at all get no "write it as N%" hint', () => {
    for (const input of [150, -0.5, Infinity, NaN]) {
      const p = bad(parsePercent(input), input, 'is not a fraction between 0 and 1');
      assert.ok(!p.includes('write a percentage'), `${input}: ${p}`);
    }
  });

  test('words, a quoted fraction and other types are refused', () => {
    bad(parsePercent('high'), 'high', "'high' is not a percentage such as 99.9%");
    bad(parsePercent('0.999'), '0.999', 'is not a percentage');
    bad(parsePercent('-1%'), '-1%', 'is not a percentage');
    bad(parsePercent(true), true, 'expected a percentage');
  });
});

describe('every spelling reads as the grammar says (the digit-scanning way and the expressions agree)', () => {
  // docs/dsl.md "Units", written as expressions: the reference the parsers are held to. units.ts reads
  // the common spellings (`250ms`, `99.9%`, `4KB`) by scanning digits and takes these expressions only
  // for the rest; a mistake in either way shows up as a difference here.
  const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
  const grammar = (unit: string, factors: Record<string, number>, none: string | null, round = false) => (raw: string): number | undefined => {
    const m = new RegExp(`^${NUMBER}\\s*${unit}$`).exec(raw.trim());
    if (!m) return undefined;
    const f = factors[m[2] ?? none ?? ''];
    return round ? Math.round(Number(m[1]) * f) : Number(m[1]) * f;
  };
  const duration = grammar('(ms|s|m)?', { ms: 1, s: 1000, m: 60_000 }, 'ms');
  const size = grammar('(B|KB|MB|GB)?', { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }, 'B', true);
  const percent = (raw: string) => {
    const v = grammar('%', { '': 1 }, null)(raw);
    return v === undefined || v / 100 > 1 ? undefined : v / 100;
  };
  const numbers = ['0', '7', '12', '0012', '3100', '1.5', '1.', '.5', '99.95', '100', '100.0', '1.50', '0.1', '12345678901234567890', '1e3', '-1', '+2', '1..2', '', '.'];
  const units = ['', 'ms', 's', 'm', 'M', 'S', 'mss', 'sm', 'B', 'KB', 'MB', 'GB', 'kb', 'TB', '%', '%%', 'h', 'x'];
  const inputs: string[] = [];
  for (const n of numbers) for (const u of units) for (const [before, between, after] of [['', '', ''], ['', ' ', ''], [' ', '', ''], ['', '', ' '], ['', '\t', '']]) inputs.push(`${before}${n}${between}${u}${after}`);

  for (const [name, parse, want] of [['durations', parseDuration, duration], ['sizes', parseSize, size], ['percentages', parsePercent, percent]] as const) {
    test(`${name}: ${inputs.length} spellings`, () => {
      const wrong: string[] = [];
      for (const raw of inputs) {
        const r = parse(raw);
        const w = want(raw);
        const got = r.ok ? r.value : undefined;
        if (got !== w) wrong.push(`${JSON.stringify(raw)}: ${got} (want ${w})`);
      }
      assert.deepEqual(wrong.slice(0, 5), []);
    });
  }
});

describe('formatting', () => {
  test('durations: the largest unit that reads exactly', () => {
    const cases: [number, string][] = [
      [0, '0ms'],
      [250, '250ms'],
      [999, '999ms'],
      [1000, '1s'],
      [1500, '1.5s'],
      [1250, '1250ms'],
      [60_000, '1m'],
      [90_000, '90s'],
      [120_000, '2m'],
      [0.125, '0.13ms'],
    ];
    for (const [ms, s] of cases) assert.equal(formatDuration(ms), s, String(ms));
  });

  test('sizes: 1KB = 1024 B, two decimals at most', () => {
    const cases: [number, string][] = [
      [0, '0B'],
      [1023, '1023B'],
      [1024, '1KB'],
      [1536, '1.5KB'],
      [4096, '4KB'],
      [1.5 * 1024 ** 2, '1.5MB'],
      [2 * 1024 ** 3, '2GB'],
      [1000, '1000B'],
    ];
    for (const [bytes, s] of cases) assert.equal(formatSize(bytes), s, String(bytes));
  });

  test('percentages: two decimals, never rounding a shortfall up', () => {
    assert.equal(formatPercent(0.999), '99.90%');
    assert.equal(formatPercent(0.99999), '99.99%');
    assert.equal(formatPercent(0.9999999), '99.99%');
    assert.equal(formatPercent(1), '100.00%');
    assert.equal(formatPercent(0), '0.00%');
    assert.equal(formatPercent(0.999 ** 3), '99.70%');
  });

  test('percentages: every hundredth of a percent reads back as written (no floating-point 57.29% for 57.3%)', () => {
    const wrong: string[] = [];
    for (let i = 0; i <= 10_000; i++) {
      const want = `${(i / 100).toFixed(2)}%`;
      const got = formatPercent(i / 10_000);
      if (got !== want) wrong.push(`${want} -> ${got}`);
    }
    assert.deepEqual(wrong.slice(0, 5), []);
    const r = parsePercent('57.3%');
    assert.ok(r.ok);
    assert.equal(formatPercent(r.value), '57.30%');
  });

  test('format then parse gives the value back', () => {
    for (const ms of [0, 250, 1000, 1500, 60_000, 90_000]) {
      const r = parseDuration(formatDuration(ms));
      assert.ok(r.ok && r.value === ms, `${ms} -> ${formatDuration(ms)}`);
    }
    for (const b of [0, 512, 1024, 4096, 1536, 1024 ** 2, 2 * 1024 ** 3]) {
      const r = parseSize(formatSize(b));
      assert.ok(r.ok && r.value === b, `${b} -> ${formatSize(b)}`);
    }
  });
});

describe('units in a topology: a unit finding sits on the value', () => {
  test('durations, sizes and percentages at every place that takes them', () => {
    expectFindings(
      'schema',
      [
        'topology: t',
        'defaults:',
        '  timeout: «2 hours»',
        '  availability: «99.9»',
        'services:',
        '  a:',
        '    slo: { availability: «150%», latency: «fast» }',
        '    calls:',
        '      - to: b',
        '        timeout: «-1s»',
        '        payload: «4kb»',
        '  b: {}',
        'events:',
        '  e:',
        '    payload: «4 KiB»',
        '    maxSize: 1MB',
        'flows:',
        '  f:',
        '    entry: a',
        '    budget: { latency: 800ms, availability: «1.5» }',
        '',
      ].join('\n'),
      [
        { messageId: 'unit', severity: 'error', includes: ["'timeout'", '(units are ms, s and m)'] },
        { messageId: 'unit', includes: ["'availability'", 'write a percentage as 99.9%'] },
        { messageId: 'unit', includes: ['over 100%'] },
        { messageId: 'unit', includes: ["'fast' is not a duration"] },
        { messageId: 'unit', includes: ["'-1s' is not a duration"] },
        { messageId: 'unit', includes: ['write the unit as B, KB, MB or GB'] },
        { messageId: 'unit', includes: ['write the unit as B, KB, MB or GB'] },
        { messageId: 'unit', includes: ['write a percentage as 1.5%'] },
      ],
    );
  });

  test('good units give no schema finding, and a bare number in a flow map is read as YAML reads it', () => {
    expectFindings('schema', 'topology: t\ndefaults: { timeout: 250, availability: 0.999 }\nservices:\n  a:\n    slo: { availability: 99.95%, latency: 1.5m }\n    calls: [{ to: a, timeout: 2s, payload: 512B }]\n');
  });
});
