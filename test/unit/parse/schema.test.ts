/**
 * The schema validator (server/src/core/schema.ts) at every level of the DSL: unknown keys (a warning with a
 * did-you-mean), wrong types, bad enum values (with a suggestion), missing required keys, out-of-range
 * numbers, bad ids, the rules block and duplicate keys; then the schema fixes (rename, insert the required
 * key) applied and re-analysed. Spans are marked with « ».
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, findingsOf, marked, run, URI, type Expected } from '../../helpers';
import { didYouMean, editDistance, validate } from '../../../server/src/core/schema';
import { parseYaml } from '../../../server/src/core/ynode';
import { optionInfo } from '../../../server/src/core/engine';
import { parseFile, RULES } from '../../../server/src/core';

const lines = (...ls: string[]) => ls.join('\n') + '\n';

const warn = (key: string, near?: string): Expected => ({
  messageId: 'unknown-key',
  severity: 'warning',
  includes: [`Unknown key '${key}'`, ...(near ? [`Did you mean '${near}'?`] : ['Known keys: '])],
});

describe('unknown keys: a warning at the key, with the nearest known key', () => {
  test('at every level of the DSL', () => {
    const src = lines(
      '«topolgy»: t',
      'topology: t',
      '«descripton»: x',
      'defaults:',
      '  «timout»: 2s',
      '  «availabilty»: 99.9%',
      'services:',
      '  a:',
      '    «exposur»: external',
      '    slo: { «latncy»: 300ms }',
      '    calls:',
      '      - to: b',
      '        «retrys»: 1',
      '        accept:',
      '          - rule: sync-chain',
      '            «reasn»: why',
      '    publishes:',
      '      - event: e',
      '        «delivry»: outbox',
      '    subscribes:',
      '      - event: e',
      '        «usess»: [id]',
      '    uses:',
      '      - store: db',
      '        «acess»: read',
      '  b: {}',
      'datastores:',
      '  db:',
      '    «ownr»: a',
      'events:',
      '  e:',
      '    «brokr»: kafka',
      '    fields: [{ name: email, «sensitiv»: true }]',
      'flows:',
      '  f:',
      '    entry: a',
      '    budget: { «latenc»: 1s }',
      '    «zzzzzzzz»: 1',
      'rules:',
      '  sync-chain: { «maxx»: 3 }',
    );
    expectFindings('schema', src, [
      warn('topolgy', 'topology'),
      warn('descripton', 'description'),
      warn('timout', 'timeout'),
      warn('availabilty', 'availability'),
      warn('exposur', 'exposure'),
      warn('latncy', 'latency'),
      warn('retrys', 'retries'),
      warn('reasn', 'reason'),
      warn('delivry', 'delivery'),
      warn('usess', 'uses'),
      warn('acess', 'access'),
      warn('ownr', 'owner'),
      warn('brokr', 'broker'),
      warn('sensitiv', 'sensitive'),
      warn('latenc', 'latency'),
      warn('zzzzzzzz'),
      warn('maxx', 'max'),
    ]);
  });

  test('a key in the wrong case is suggested in the right one', () => {
    expectFindings('schema', 'topology: t\nservices:\n  a:\n    «Team»: x\n', [warn('Team', 'team')]);
  });

  test('where nothing is near, the known keys are listed', () => {
    const [f] = expectFindings('schema', 'topology: t\nservices:\n  a:\n    «owner»: x\n', [warn('owner')]);
    assert.match(f.message, /Known keys: description, team, exposure, kind, slo, versions, calls, publishes, subscribes, uses, deployTogether, accept\./);
    assert.equal(f.data?.suggestion, undefined);
  });

  test('the top level is named as such', () => {
    expectFindings('schema', 'topology: t\nservices:\n  a: {}\n«sevices»: {}\n', [{ includes: ["Unknown key 'sevices' in the top level. Did you mean 'services'?"] }]);
  });

  test('the did-you-mean distance scales with the word: short words need a close match', () => {
    assert.equal(didYouMean('kid', ['kind']), 'kind');
    assert.equal(didYouMean('xy', ['kind']), undefined);
    assert.equal(didYouMean('tmeout', ['timeout', 'team']), 'timeout');
    assert.equal(didYouMean('availabilityy', ['availability']), 'availability');
    assert.equal(didYouMean('completely-else', ['timeout']), undefined);
    assert.equal(editDistance('abc', 'abd'), 1);
    assert.equal(editDistance('abcdefgh', 'a', 3), 4, 'bounded: max + 1 once over');
  });
});

describe('wrong types: an error at the value', () => {
  test('text, numbers, booleans, lists and maps where another type belongs', () => {
    expectFindings(
      'schema',
      lines(
        'topology: «[a, b]»',
        'imports: «./x.topology.yaml»',
        'defaults: «2s»',
        'services:',
        '  a:',
        '    description: «{ x: 1 }»',
        '    versions: «v1»',
        '    slo: «high»',
        '    calls:',
        '      - to: «true»',
        '        idempotent: «yes»',
        '        retries: «1.5»',
        '        perRequest: «many»',
        '      - «b»',
        '    deployTogether: «b»',
        '  b: «just text»',
        'datastores: «[db]»',
        'events:',
        '  e:',
        '    fields: [id, «3»]',
      ),
      [
        { messageId: 'type', severity: 'error', includes: ["'topology' expects text, not a list."] },
        { messageId: 'type', includes: ["'imports' expects a list, not './x.topology.yaml'."] },
        { messageId: 'type', includes: ["'defaults' expects a map of defaults settings, not '2s'."] },
        { messageId: 'type', includes: ["'description' expects text, not a map."] },
        { messageId: 'type', includes: ["'versions' expects a list, not 'v1'."] },
        { messageId: 'type', includes: ["'slo' expects a map of slo settings, not 'high'."] },
        { messageId: 'type', includes: ["'to' expects a service id, not true."] },
        { messageId: 'type', includes: ["'idempotent' expects true or false, not 'yes'."] },
        { messageId: 'type', includes: ["'retries' expects a whole number, not 1.5."] },
        { messageId: 'type', includes: ["'perRequest' expects a whole number of calls per request, or n for once per item, not 'many'."] },
        { messageId: 'type', includes: ["'calls' item 2 expects a map of call settings, not 'b'."] },
        { messageId: 'type', includes: ["'deployTogether' expects a list, not 'b'."] },
        { messageId: 'type', includes: ["Service 'b' expects a map of service settings, not 'just text'."] },
        { messageId: 'type', includes: ["'datastores' expects a map of datastore ids, not a list."] },
        { messageId: 'type', includes: ["'fields' item 2 expects a field name or { name, sensitive }, not 3."] },
      ],
    );
  });

  test('every message starts with a capital letter', () => {
    const r = run('- a\n');
    const msgs = findingsOf(run('hello\n'), 'schema').concat(findingsOf(r, 'schema'), findingsOf(run('topology: t\nservices:\n  a: 1\nrules:\n  sync-chain: loud\n'), 'schema'));
    assert.ok(msgs.length >= 4);
    for (const f of msgs) assert.match(f.message, /^[A-Z']/, f.message);
  });

  test('a key with no value where a value is needed', () => {
    expectFindings('schema', 'topology: t\nservices:\n  a:\n    calls:\n      - «to»:\n        «timeout»:\n', [
      { messageId: 'type', includes: ["'to' has no value."] },
      { messageId: 'type', includes: ["'timeout' has no value."] },
    ]);
  });

  test('a list or a section with nothing under it is empty, not wrong', () => {
    expectFindings('schema', 'topology: t\nservices:\n  a:\n    calls:\n    accept:\n  b:\ndatastores:\nrules:\n');
  });
});

describe('bad enum values: an error at the value, with a suggestion where one is near', () => {
  const cases: [string, string, string | undefined][] = [
    ['exposure', 'externel', 'external'],
    ['kind', 'gatway', 'gateway'],
    ['kind', 'Legacy', 'legacy'],
    ['kind', 'microservice', undefined],
  ];
  for (const [key, value, near] of cases) {
    test(`${key}: ${value}`, () => {
      const [f] = expectFindings('schema', `topology: t\nservices:\n  a:\n    ${key}: «${value}»\n`, [
        { messageId: 'type', severity: 'error', includes: [`'${key}' is one of`, `not '${value}'.`, ...(near ? [`Did you mean '${near}'?`] : [])] },
      ]);
      assert.equal(f.data?.suggestion, near);
    });
  }

  test('in calls, publishes, uses, datastores and events', () => {
    expectFindings(
      'schema',
      lines(
        'topology: t',
        'services:',
        '  a:',
        '    calls: [{ to: a, style: «asynch» }]',
        '    publishes: [{ event: e, delivery: «outbx» }]',
        '    uses: [{ store: db, access: «reed» }]',
        'datastores:',
        '  db: { kind: «databse» }',
        'events:',
        '  e: { content: «ids» }',
      ),
      [
        { includes: ["Did you mean 'async'?"] },
        { includes: ["Did you mean 'outbox'?"] },
        { includes: ["Did you mean 'read'?"] },
        { includes: ["Did you mean 'database'?"] },
        { includes: ["Did you mean 'id'?"] },
      ],
    );
  });
});

describe('missing required keys: an error at the element that lacks it', () => {
  test('topology and services, at the top: both at the start of the file’s map', () => {
    const text = '# a comment first\ndescription: x\n';
    const found = findingsOf(run(text), 'schema');
    assert.deepEqual(found.map((f) => [f.messageId, f.severity, f.message, text.slice(f.span.start, f.span.end)]), [
      ['required', 'error', "The file needs 'topology'.", 'd'],
      ['required', 'error', "The file needs 'services'.", 'd'],
    ]);
  });

  test('services with nothing in it, written either way', () => {
    expectFindings('schema', 'topology: t\n«services»:\n', [{ messageId: 'required', includes: ["'services' needs at least one entry."] }]);
    expectFindings('schema', 'topology: t\n«services»: {}\n', [{ messageId: 'required', includes: ["'services' needs at least one entry."] }]);
  });

  test('call.to, publish.event, subscribe.event, use.store, accept.rule and a field name', () => {
    expectFindings(
      'schema',
      lines(
        'topology: t',
        'services:',
        '  a:',
        '    calls:',
        '      - «s»tyle: async',
        '      - «{» timeout: 2s }',
        '    publishes:',
        '      - «d»elivery: outbox',
        '    subscribes:',
        '      - «u»ses: [id]',
        '    uses:',
        '      - «a»ccess: read',
        '    accept:',
        '      - «r»eason: because',
        'events:',
        '  e:',
        '    fields: [«{» sensitive: true }]',
      ),
      [
        { messageId: 'required', includes: ["This call needs 'to'."] },
        { messageId: 'required', includes: ["This call needs 'to'."] },
        { messageId: 'required', includes: ["This publish needs 'event'."] },
        { messageId: 'required', includes: ["This subscribe needs 'event'."] },
        { messageId: 'required', includes: ["This use needs 'store'."] },
        { messageId: 'required', includes: ["This accept needs 'rule'."] },
        { messageId: 'required', includes: ["This field needs 'name'."] },
      ],
    );
  });

  test('flow.entry: at the flow id, whether the flow is a map, empty braces or nothing at all', () => {
    expectFindings('schema', lines('topology: t', 'services:', '  a: {}', 'flows:', '  «f»:', '    budget: { latency: 1s }', '  «g»: {}', '  «h»:', '  i: { entry: a }'), [
      { messageId: 'required', includes: ["This flow needs 'entry'."] },
    ]);
  });

  test('a service with nothing under it needs nothing', () => {
    expectFindings('schema', 'topology: t\nservices:\n  a:\n  b: {}\n');
  });
});

describe('out of range: an error at the number', () => {
  test('perRequest below 1, retries below 0, in calls and in defaults', () => {
    expectFindings('schema', lines('topology: t', 'defaults: { retries: «-2» }', 'services:', '  a:', '    calls:', '      - to: a', '        perRequest: «0»', '        retries: «-1»', '      - { to: a, perRequest: «-3», retries: 0 }'), [
      { messageId: 'range', severity: 'error', includes: ["'retries' must be at least 0, not -2."] },
      { messageId: 'range', includes: ["'perRequest' must be at least 1, not 0."] },
      { messageId: 'range', includes: ["'retries' must be at least 0, not -1."] },
      { messageId: 'range', includes: ["'perRequest' must be at least 1, not -3."] },
    ]);
  });

  test('perRequest: n and whole numbers from 1 are fine', () => {
    expectFindings('schema', 'topology: t\nservices:\n  a:\n    calls: [{ to: a, perRequest: n }, { to: a, perRequest: 1 }, { to: a, perRequest: 40, retries: 0 }]\n');
  });

  test('a rule threshold below its minimum', () => {
    expectFindings('schema', 'topology: t\nservices:\n  a: {}\nrules:\n  sync-chain: { max: «0» }\n  chatty-calls: { total: «1.5» }\n', [
      { messageId: 'range', includes: ["'max' must be at least 1, not 0."] },
      { messageId: 'type', includes: ["'total' expects a whole number, not 1.5."] },
    ]);
  });
});

describe('ids', () => {
  test('an id must start with a letter and hold letters, digits, _ . -', () => {
    expectFindings('schema', lines('topology: t', 'services:', '  «1st»: {}', '  «my service»: {}', '  ok_id.v-2: {}', 'datastores:', '  «-db»: {}', 'events:', '  «"e!"»: {}', 'flows:', '  «_f»: { entry: ok_id.v-2 }'), [
      { messageId: 'bad-id', severity: 'error', includes: ["'1st' is not a valid service id"] },
      { messageId: 'bad-id', includes: ["'my service' is not a valid service id"] },
      { messageId: 'bad-id', includes: ["'-db' is not a valid datastore id"] },
      { messageId: 'bad-id', includes: ["'e!' is not a valid event id"] },
      { messageId: 'bad-id', includes: ["'_f' is not a valid flow id"] },
    ]);
  });
});

describe('the rules block', () => {
  test('bad severities, with a suggestion where one is near, and unknown options', () => {
    expectFindings('schema', lines('topology: t', 'services:', '  a: {}', 'rules:', '  sync-chain: «eror»', '  chatty-calls: { severity: «fatal», «limit»: 3 }', '  self-call: «[warning]»'), [
      { messageId: 'type', includes: ["The severity of 'sync-chain' is one of off, info, warning, error, not 'eror'. Did you mean 'error'?"] },
      { messageId: 'type', includes: ["'severity' is one of off, info, warning, error, not 'fatal'."] },
      { messageId: 'unknown-key', severity: 'warning', includes: ["Unknown key 'limit' in rule 'chatty-calls'.", 'Known keys: severity, max, total.'] },
      { messageId: 'type', includes: ["'self-call' setting", 'not a list'] },
    ]);
  });

  test('a known rule with nothing after it needs a severity', () => {
    expectFindings('schema', 'topology: t\nservices:\n  a: {}\nrules:\n  «sync-chain»:\n', [{ messageId: 'type', includes: ["'sync-chain' needs a severity (off, info, warning, error) or a map of settings."] }]);
  });

  test('an unknown rule id is unknown-reference’s finding, not the schema’s', () => {
    const src = 'topology: t\nservices:\n  a: {}\nrules:\n  «sync-chian»: off\n';
    expectFindings('schema', src.replace(/[«»]/g, ''));
    expectFindings('unknown-reference', src, [{ messageId: 'unknown-rule', includes: ["Did you mean 'sync-chain'?"] }]);
  });

  test('a rules block that is not a map', () => {
    expectFindings('schema', 'topology: t\nservices:\n  a: {}\nrules: «[sync-chain]»\n', [{ messageId: 'type', includes: ["'rules' expects a map of rule ids, not a list."] }]);
  });
});

describe('duplicate keys in one map: the second is reported and the first counts', () => {
  test('in a service, a call, the top level and a rule setting', () => {
    const src = lines('topology: t', '«topology»: u', 'services:', '  a:', '    team: x', '    «team»: y', '    calls:', '      - to: a', '        «to»: b', 'rules:', '  chatty-calls: { max: 2, «max»: 9 }');
    expectFindings('schema', src, [
      { messageId: 'duplicate-key', severity: 'error', includes: ["'topology' is given twice in the file; only the first counts."] },
      { messageId: 'duplicate-key', includes: ["'team' is given twice in service 'a'"] },
      { messageId: 'duplicate-key', includes: ["'to' is given twice in 'calls' item 1"] },
      { messageId: 'duplicate-key', includes: ["'max' is given twice in rule 'chatty-calls'"] },
    ]);
    const r = run(marked(src).text);
    const t = r.files[0].topology;
    assert.equal(t.name?.value, 't');
    assert.equal(t.services[0].team?.value, 'x');
    assert.equal(t.services[0].calls[0].to.id, 'a');
    assert.equal(t.rules[0].options.get('max')?.value, 2, 'the model reads the first of a duplicated rule option, as the finding says');
  });

  test('a rule configured twice: the second is reported, the first counts', () => {
    const src = 'topology: t\nservices:\n  a:\n    calls: [{ to: b }]\n  b:\n    calls: [{ to: c }]\n  c:\n    calls: [{ to: d }]\n  d: {}\nrules:\n  sync-chain: off\n  «sync-chain»: error\n';
    expectFindings('schema', src, [{ messageId: 'duplicate-key', includes: ["'sync-chain' is given twice in 'rules'; only the first counts."] }]);
    assert.equal(findingsOf(run(marked(src).text), 'sync-chain').length, 0, 'the first setting (off) counts');
  });

  test('a duplicate id is duplicate-id’s finding, not the schema’s', () => {
    expectFindings('schema', 'topology: t\nservices:\n  a: {}\n  a: {}\n');
    expectFindings('duplicate-id', 'topology: t\nservices:\n  a: {}\n  «a»: {}\n', [{ messageId: 'duplicate' }]);
  });
});

describe('the validator on its own', () => {
  test('never throws on odd trees, and finds something wrong with each', () => {
    const info = optionInfo(RULES);
    assert.equal(validate(null, info, { start: 0, end: 0 }).length, 1);
    const cases: [string, string[]][] = [
      ['a', ['type']],
      ['[]', ['type']],
      ['{}', ['required', 'required']],
      ['- - -', ['type']],
      ['topology: { a: [ { b: c } ] }\nservices: { s: {} }', ['type']],
      ['topology: t\nservices: [[[]]]', ['type']],
      ['topology: t\nservices: { s: {} }\nrules: { sync-chain: { max: [] } }', ['type']],
      ['topology: t\nservices: { s: {} }\nevents: { e: { fields: [[], {}, { name: [] }] } }', ['type', 'required', 'type']],
    ];
    for (const [text, kinds] of cases) {
      const { root } = parseYaml(text);
      assert.deepEqual(validate(root, info, { start: 0, end: 1 }).map((p) => p.kind), kinds, text);
    }
  });
});

describe('schema fixes, applied and re-analysed', () => {
  const rename: [string, string, string, string][] = [
    ['an unknown key: rename to the near one', 'topology: t\nservices:\n  a:\n    exposur: external\n', 'exposur:', 'exposure:'],
    ['a bad enum value: change to the near one', 'topology: t\nservices:\n  a:\n    calls: [{ to: a, style: asynch }]\n', 'asynch', 'async'],
    ['a bad severity in the rules block', 'topology: t\nservices:\n  a: {}\nrules:\n  sync-chain: { severity: eror }\n', 'eror', 'error'],
    ['an unknown rule option', 'topology: t\nservices:\n  a: {}\nrules:\n  sync-chain: { maxx: 3 }\n', 'maxx', 'max'],
  ];
  for (const [name, text, from, to] of rename) {
    test(name, () => {
      const after = applyFix(text, 'schema', /^Change to '/);
      assert.equal(after, text.replace(from, to), 'only the word changed');
      assert.equal(findingsOf(run(after), 'schema').length, 0, after);
    });
  }

  test('a finding with nothing near offers no rename', () => {
    assert.throws(() => applyFix('topology: t\nservices:\n  a:\n    zzzzzzzz: 1\n', 'schema', /^Change to '/), /no fix matching/);
  });

  const insert: [string, string, string, RegExp][] = [
    ['call.to in a block list item', 'topology: t\nservices:\n  a:\n    calls:\n      - style: async\n', 'topology: t\nservices:\n  a:\n    calls:\n      - style: async\n        to: service-id\n', /unknown-service/],
    ['call.to in a flow list item', 'topology: t\nservices:\n  a:\n    calls: [{ style: async }]\n', 'topology: t\nservices:\n  a:\n    calls: [{ style: async, to: service-id }]\n', /unknown-service/],
    ['publish.event', 'topology: t\nservices:\n  a:\n    publishes:\n      - delivery: outbox\n', 'topology: t\nservices:\n  a:\n    publishes:\n      - delivery: outbox\n        event: event-id\n', /unknown-event/],
    ['use.store', 'topology: t\nservices:\n  a:\n    uses:\n      - access: read\n', 'topology: t\nservices:\n  a:\n    uses:\n      - access: read\n        store: datastore-id\n', /unknown-datastore/],
    ['accept.rule', 'topology: t\nservices:\n  a:\n    accept:\n      - reason: because\n', 'topology: t\nservices:\n  a:\n    accept:\n      - reason: because\n        rule: rule-id\n', /unknown-rule/],
    ['flow.entry under a flow with settings', 'topology: t\nservices:\n  a: {}\nflows:\n  f:\n    budget: { latency: 1s }\n', 'topology: t\nservices:\n  a: {}\nflows:\n  f:\n    budget: { latency: 1s }\n    entry: service-id\n', /unknown-service/],
    ['flow.entry under a flow with nothing under it', 'topology: t\nservices:\n  a: {}\nflows:\n  f:\n', 'topology: t\nservices:\n  a: {}\nflows:\n  f:\n    entry: service-id\n', /unknown-service/],
    ['services in a file that has only a name', 'topology: t\n', 'topology: t\nservices:\n  my-service:\n', /^$/],
  ];
  for (const [name, text, want, leftover] of insert) {
    test(`insert the required key: ${name}`, () => {
      const after = applyFix(text, 'schema', /^Add the required key/);
      assert.equal(after, want);
      assert.equal(findingsOf(run(after), 'schema').length, 0, 'the required-key finding is gone');
      // The placeholder names nothing yet: unknown-reference says so, with its own fixes.
      const rest = run(after).findings.filter((f) => f.severity === 'error').map((f) => f.messageId).join(',');
      assert.match(rest, leftover);
    });
  }

  test("insert 'topology' into a file that lacks it", () => {
    const after = applyFix('services:\n  a: {}\n', 'schema', /topology/);
    assert.match(after, /^topology: my-system$/m);
    assert.equal(findingsOf(run(after), 'schema').length, 0, after);
  });
});

describe('DSL v1.1 additions: parallel, result, content: reference, kind: frontend', () => {
  test('valid values are accepted and reach the model, with their defaults when absent', () => {
    const text = lines(
      'topology: t',
      'services:',
      '  web:',
      '    kind: frontend',
      '    calls:',
      '      - { to: a, parallel: true, result: unused }',
      '      - { to: a, parallel: false, result: used }',
      '      - { to: a }',
      '  a: {}',
      'events:',
      '  e: { content: reference }',
    );
    const r = run(text);
    assert.deepEqual(findingsOf(r, 'schema'), []);
    const file = parseFile(URI, text, RULES);
    const web = file.topology.services[0];
    assert.equal(web.serviceKind, 'frontend');
    assert.deepEqual(web.calls.map((c) => [c.parallel, c.result]), [[true, 'unused'], [false, 'used'], [false, 'used']]);
    assert.equal(web.calls[0].parallelField?.value, true);
    assert.equal(web.calls[2].parallelField, undefined);
    assert.equal(web.calls[2].resultField, undefined);
    assert.equal(file.topology.events[0].content, 'reference');
  });

  test('wrong values are errors at the value, with a suggestion where one is near', () => {
    expectFindings(
      'schema',
      lines(
        'topology: t',
        'services:',
        '  web:',
        '    kind: «frontent»',
        '    calls: [{ to: a, parallel: «yes please», result: «unusd» }]',
        '  a: {}',
        'events:',
        '  e: { content: «refrence» }',
      ),
      [
        { messageId: 'type', includes: ["Did you mean 'frontend'?"] },
        { messageId: 'type', includes: ["'parallel' expects true or false"] },
        { messageId: 'type', includes: ["'result' is one of used, unused", "Did you mean 'unused'?"] },
        { messageId: 'type', includes: ["Did you mean 'reference'?"] },
      ],
    );
  });
});
