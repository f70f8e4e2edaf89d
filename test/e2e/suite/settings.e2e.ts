/// <reference types="mocha" />
/**
 * `topolint.rules` in the workspace settings reaches the server: severities change, a rule turns off,
 * thresholds apply, and removing the setting brings the defaults back — each seen in the diagnostics.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { byRule, describeDiagnostics, nextDiagnostics, openExample } from './helpers';

const chain = (ds: vscode.Diagnostic[]) => byRule(ds, 'sync-chain');

async function setRules(uri: vscode.Uri, value: unknown, pred: (ds: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  const after = nextDiagnostics(uri, pred, what);
  await vscode.workspace.getConfiguration('topolint', uri).update('rules', value, vscode.ConfigurationTarget.Workspace);
  return after;
}

describe('settings', () => {
  let uri: vscode.Uri;

  before(async () => {
    const { doc } = await openExample('shop', (ds) => chain(ds).length === 1, 'there is one sync-chain finding');
    uri = doc.uri;
  });

  after(async () => {
    if (vscode.workspace.getConfiguration('topolint', uri).inspect('rules')?.workspaceValue === undefined) return;
    await setRules(uri, undefined, (ds) => chain(ds)[0]?.severity === vscode.DiagnosticSeverity.Warning, 'sync-chain is a warning again');
  });

  it('by default the sync chain is a warning', async () => {
    const { doc, diagnostics } = await openExample('shop');
    assert.equal(chain(diagnostics)[0]?.severity, vscode.DiagnosticSeverity.Warning, describeDiagnostics(doc, diagnostics));
  });

  it('"sync-chain": "error" makes it an error, and leaves the other rules as they were', async () => {
    const before = (await openExample('shop')).diagnostics;
    const ds = await setRules(uri, { 'sync-chain': 'error' }, (ds) => chain(ds)[0]?.severity === vscode.DiagnosticSeverity.Error, 'sync-chain is an error');
    const others = (list: vscode.Diagnostic[]) => list.filter((d) => !chain([d]).length).map((d) => `${d.severity}`).sort();
    assert.deepEqual(others(ds), others(before), 'the other findings keep their severities');
  });

  it('"sync-chain": "off" removes the finding', async () => {
    await setRules(uri, { 'sync-chain': 'off' }, (ds) => chain(ds).length === 0 && ds.length > 0, 'sync-chain is gone and the other findings stay');
  });

  it('removing the setting brings the default back', async () => {
    await setRules(uri, undefined, (ds) => chain(ds)[0]?.severity === vscode.DiagnosticSeverity.Warning, 'sync-chain is a warning again');
  });

  it('a threshold: { "sync-chain": { "max": 10 } } lets the four-service chain pass', async () => {
    await setRules(uri, { 'sync-chain': { max: 10 } }, (ds) => chain(ds).length === 0 && ds.length > 0, 'the chain is within max 10');
  });
});
