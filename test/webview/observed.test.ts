/**
 * Observed-but-undeclared calls in the preview (issue 12): the payload the server builds from a drift
 * analysis against real traces (examples/import/traces, read by the importers) has an observed edge, and
 * the page in headless Chromium draws it dashed, unlike the declared sync call beside it, with the legend
 * entry and a tooltip saying it was observed, not declared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, findingKey, parseFile, RULES } from '../../server/src/core';
import { loadObserved } from '../../server/src/import/files';
import { buildGraph } from '../../server/src/graph-payload';
import { ROOT, PreviewPage, sharedBrowser } from './harness';

const web = sharedBrowser();

/** checkout calls payment as declared; the traces also show checkout → currency, which is not declared. */
const TEXT = 'topology: shop\ndefaults: { timeout: 1s }\nservices:\n  checkout:\n    calls:\n      - to: payment\n  payment: {}\n  currency: {}\n';

function observedPayload() {
  const uri = 'file:///work/shop.topology.yaml';
  const problems: string[] = [];
  const observed = loadObserved([join(ROOT, 'examples/import/traces/otlp.jsonl')], problems);
  const result = analyze([parseFile(uri, TEXT, RULES)], RULES, {}, { observed: () => observed });
  return buildGraph(TextDocument.create(uri, 'topology', 1, TEXT), result, result.findings.map((f, i) => findingKey(f, i)));
}

test('an observed-but-undeclared call is an edge of the payload, drawn dashed with a legend entry and a tooltip', async () => {
  const payload = observedPayload();
  const obs = payload.edges.find((e) => e.observed);
  assert.ok(obs, `an observed edge: ${JSON.stringify(payload.edges.map((e) => e.id))}`);
  assert.equal(obs.from, 'service:checkout');
  assert.equal(obs.to, 'service:currency');
  assert.equal(obs.kind, 'sync');
  assert.ok(obs.findings.length === 1 && payload.findings.find((f) => f.id === obs.findings[0])?.rule === 'drift', 'the edge carries its drift finding');
  assert.ok(!payload.edges.find((e) => e.id !== obs.id && e.to === 'service:currency'), 'currency is called by nothing declared');

  const p = await PreviewPage.open(web.browser, web.origin);
  try {
    await p.show(payload);
    const drawn = await p.page.evaluate(() =>
      [...document.querySelectorAll('.tl-content .tl-edge')].map((g) => ({ id: g.getAttribute('data-id'), observed: g.classList.contains('tl-observed'), dash: getComputedStyle(g.querySelector('.tl-line')!).strokeDasharray })),
    );
    const line = drawn.find((d) => d.id === obs.id);
    assert.ok(line?.observed, JSON.stringify(drawn));
    assert.notEqual(line.dash, 'none', 'the observed edge is dashed');
    const declared = drawn.find((d) => d.id !== obs.id && d.id?.startsWith('call:checkout'));
    assert.equal(declared?.dash, 'none', 'the declared sync call beside it is solid');
    assert.equal(await p.page.isVisible('.tl-legend'), true, 'the legend shows while an observed edge is drawn');
    assert.match((await p.page.textContent('.tl-legend')) ?? '', /observed in the running system, not declared/);
    mkdirSync(join(ROOT, '.cache', 'screenshots'), { recursive: true });
    await p.page.screenshot({ path: join(ROOT, '.cache', 'screenshots', 'observed-edge.png') });

    // The tooltip of the observed edge says so, hovered where the edge is drawn.
    const box = await p.box(obs.id);
    const path = await p.page.evaluate((id) => {
      const line = document.querySelector(`[data-id="${id}"] .tl-line`) as SVGPathElement;
      const mid = line.getPointAtLength(line.getTotalLength() / 2);
      const m = line.getScreenCTM()!;
      return { x: mid.x * m.a + mid.y * m.c + m.e, y: mid.x * m.b + mid.y * m.d + m.f };
    }, obs.id);
    assert.ok(box.width > 0 || box.height > 0);
    await p.page.mouse.move(path.x, path.y);
    await p.page.waitForSelector('.tl-tooltip:not([hidden])', { timeout: 5000 });
    assert.match((await p.page.textContent('.tl-tooltip')) ?? '', /checkout → currency.*Observed in the running system, not declared in the topology/s);

    // Without observations the same topology has no observed edge, and the legend hides.
    const plain = { ...payload, version: 2, edges: payload.edges.filter((e) => !e.observed) };
    await p.show(plain);
    assert.equal(await p.page.$$eval('.tl-content .tl-edge.tl-observed', (x) => x.length), 0);
    assert.equal(await p.page.isVisible('.tl-legend'), false);
    assert.deepEqual(p.errors, []);
  } finally {
    await p.close();
  }
});
