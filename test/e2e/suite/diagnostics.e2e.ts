/// <reference types="mocha" />
/**
 * Opening the examples in VS Code shows the smells each one is written to show (examples/README.md), on
 * the text that has them and nothing else, and exactly the findings the CLI reports, range for range. The
 * e2e workspace is a copy of the top-level examples only: examples/multi-file/ is not opened here.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cliFindings, cliKey, describeDiagnostics, diagnosticKey, EXTENSION_ID, note, openExample, ruleOf, severityName } from './helpers';

/** What each example shows on purpose: rule, severity, and the text its range covers. */
const DESIGNED: Record<string, [rule: string, severity: string, text: string][]> = {
  shop: [
    ['sync-chain', 'warning', 'checkout'],
    // The revised wait model: checkout may wait 9.5s on its own calls, longer than frontend's 8s timeout.
    ['timeout-budget', 'warning', '8s'],
    ['chatty-calls', 'warning', 'n'],
    ['chatty-calls', 'warning', 'n'],
    ['shared-database', 'warning', 'cart-store'],
    ['orphan-event', 'info', 'cart-abandoned'],
  ],
  'social-network': [
    ['sync-chain', 'warning', 'compose-post'],
    // The entry waits on 11 services at once (availability over every dependency): 99.00%.
    ['chain-availability', 'warning', 'nginx-web-server'],
    ['no-fallback', 'info', 'nginx-web-server'],
    ['self-call', 'warning', 'social-graph'],
    ['shared-database', 'warning', 'user-db'],
    ['shared-database', 'warning', 'home-timeline-redis'],
    ['orphan-event', 'warning', 'post-deleted'],
  ],
  'train-ticket': [
    ['sync-chain', 'warning', 'ts-preserve'],
    // Availability over every dependency of the flows' entry (99.18%), and ts-travel's worst-case wait.
    ['chain-availability', 'warning', '99.5%'],
    ['chain-availability', 'warning', '99.5%'],
    ['no-fallback', 'info', 'ts-ui-dashboard'],
    ['timeout-budget', 'warning', '4s'],
    ['chatty-calls', 'warning', 'n'],
    ['chatty-calls', 'warning', 'n'],
    ['chatty-calls', 'warning', 'n'],
    ['chatty-calls', 'warning', 'ts-travel'],
    ['shared-database', 'error', 'order-db'],
    // Accepted with an `accept:` entry: still shown, as a hint.
    ['orphan-event', 'hint', 'order-status-changed'],
  ],
  payments: [
    // Failure handling, on the hosted page's call and the pay-by-card flow.
    ['timeout-budget', 'warning', '3s'],
    ['retry-amplification', 'warning', 'payment-orchestrator'],
    ['chain-latency', 'warning', '3s'],
    ['chain-availability', 'warning', '99.95%'],
    // One no-fallback per entry, at the entry (revision 2).
    ['no-fallback', 'info', 'checkout-page'],
    ['unsafe-retry', 'warning', '1'],
    ['missing-timeout', 'warning', 'bank-connector'],
    ['long-running-sync', 'warning', '2m'],
    // Events and payloads: three consumers of a "just an id" event call its publisher back.
    ['id-event-callback', 'warning', 'captures'],
    ['id-event-callback', 'warning', 'captures'],
    ['id-event-callback', 'warning', 'captures'],
    ['callback-barrage', 'warning', 'payment-captured'],
    ['mixed-cycle', 'warning', 'captures'],
    ['sensitive-event-data', 'info', 'payment-authorized'],
    ['dual-write', 'warning', 'refund-issued'],
    ['event-too-large', 'error', '3MB'],
    ['large-sync-payload', 'warning', '250MB'],
  ],
  'legacy-integration': [
    ['hub', 'info', 'policy-admin'],
    // The portal waits on 6 services synchronously: 99.40%, below 99.50%.
    ['chain-availability', 'warning', 'agent-portal'],
    ['no-fallback', 'info', 'agent-portal'],
    ['unversioned-interface', 'info', 'policy-admin'],
    ['unversioned-interface', 'info', 'partner-api'],
    ['fan-out', 'warning', 'quote-engine'],
    ['unserved-version', 'error', 'v1'],
    ['lockstep-deploy', 'warning', 'quote-engine'],
    ['sync-cycle', 'error', 'collections'],
    ['mixed-cycle', 'warning', 'claims'],
    ['filesystem-drop', 'info', 'policy-extract'],
    ['common-data-lake', 'info', 'claims-lake'],
  ],
  broken: [
    ['yaml-syntax', 'error', '@'],
    ['schema', 'warning', 'retires'],
    ['schema', 'error', '2sec'],
    ['unknown-reference', 'error', 'taxes'],
    ['self-call', 'warning', 'invoicing'],
    ['duplicate-id', 'error', 'invoicing'],
    ['orphan-event', 'info', 'invoice-issued'],
  ],
  clean: [],
};

describe('diagnostics', () => {
  it('the extension activates on a topology file and its server publishes diagnostics', async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `the extension ${EXTENSION_ID} is not installed (installed: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')})`);
    const opened = await openExample('shop', (ds) => ds.length > 0, 'there is at least one finding');
    assert.equal(opened.doc.languageId, 'topology', 'a *.topology.yaml file opens with the topology language');
    assert.ok(ext.isActive, 'the extension is active once the file has diagnostics');
    if (opened.firstDiagnosticsMs !== undefined) note(`first diagnostics ${opened.firstDiagnosticsMs} ms after opening shop.topology.yaml`);
  });

  for (const [name, designed] of Object.entries(DESIGNED)) {
    it(`${name}.topology.yaml: the smells it shows on purpose, on the text that has them`, async () => {
      const { doc, diagnostics } = await openExample(name);
      const unmatched = [...diagnostics];
      const missing: string[] = [];
      for (const [rule, severity, text] of designed) {
        const i = unmatched.findIndex((d) => ruleOf(d) === rule && severityName(d.severity) === severity && doc.getText(d.range) === text);
        if (i < 0) missing.push(`${rule} ${severity} on ${JSON.stringify(text)}`);
        else unmatched.splice(i, 1);
      }
      assert.deepEqual(missing, [], `${name}: expected findings are missing; VS Code shows:\n${describeDiagnostics(doc, diagnostics)}`);
      // And nothing else: every finding an example shows is one it is written to show (clean shows none at all).
      const noise = unmatched.map((d) => `${diagnosticKey(d)} ${JSON.stringify(doc.getText(d.range))}`);
      assert.deepEqual(noise, [], designed.length === 0 ? `${name} is written to have no finding of any severity` : `${name}: findings it is not written to show`);
      for (const d of diagnostics) {
        assert.ok(typeof d.code === 'object' && d.code.target.toString().includes(ruleOf(d)), `${diagnosticKey(d)} links to its rule's page (code.target), got ${JSON.stringify(d.code)}`);
        assert.ok(!d.range.isEmpty, `${diagnosticKey(d)} has a non-empty range`);
      }
    });

    it(`${name}.topology.yaml: the same findings as the CLI, range for range`, async () => {
      const { doc, diagnostics } = await openExample(name);
      const inEditor = diagnostics.map(diagnosticKey).sort();
      const fromCli = cliFindings(name).map(cliKey).sort();
      assert.deepEqual(inEditor, fromCli, `${name}: VS Code and \`topolint check\` disagree; VS Code shows:\n${describeDiagnostics(doc, diagnostics)}`);
    });
  }
});
