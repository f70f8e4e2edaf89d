/**
 * The style chooser's server side: the recommendation (shared/style-chooser.ts) and the YAML edits that add
 * the interaction in that style to the caller, plus an ADR with the answers.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { recommendStyle, QUESTIONS, type StyleAnswers } from '../../../shared/style-chooser';
import { nextAdr } from '../core/adr';
import { addListItem, insertPair, insertUnderEmpty } from '../core/yamledit';
import type { Host, TextEdit } from '../core/rule';
import type { DocumentAnalysis } from './workspace';
import { toRange } from './convert';
import type { ChooseStyleResult } from '../../../shared/protocol';

export function chooseStyle(doc: TextDocument, a: DocumentAnalysis, host: Host, from: string, to: string, answers: StyleAnswers): ChooseStyleResult | { error: string } {
  const r = recommendStyle(answers);
  const file = a.result.files[0];
  const svc = file?.topology.services.find((s) => s.id === from);
  if (!file || !svc) return { error: `No service '${from}' in this file.` };
  const text = file.text;
  const uri = doc.uri;
  const edits: TextEdit[] = [];
  const section = (key: string, id: string, block: string[]) => {
    const p = file.topology.sections.get(key);
    if (p?.value?.kind === 'map' && (p.value.flow || p.value.pairs.length)) {
      if (!p.value.pairs.some((x) => x.key === id)) edits.push(insertPair(uri, text, p.value, id, { block }));
    } else if (p && !p.value) edits.push(insertUnderEmpty(uri, text, p, id, { block }));
    else if (!p && file.topology.root?.kind === 'map' && !file.topology.root.flow) edits.push(insertPair(uri, text, file.topology.root, key, { block: [`${id}:`, ...block.map((l) => '  ' + l)] }));
  };
  switch (r.style) {
    case 'sync-request-response':
      edits.push(addListItem(uri, text, svc.node, svc.pair, 'calls', [`to: ${to}`, 'style: sync', 'timeout: 2s', ...(answers.volume === 'large' ? ['payload: 4KB  # a reference to the data, not the data'] : [])], `{ to: ${to}, style: sync, timeout: 2s }`));
      break;
    case 'async-request-response':
      edits.push(addListItem(uri, text, svc.node, svc.pair, 'calls', [`to: ${to}`, 'style: async'], `{ to: ${to}, style: async }`));
      break;
    case 'event-full':
    case 'event-id':
      edits.push(addListItem(uri, text, svc.node, svc.pair, 'publishes', [`event: ${to}`, 'delivery: outbox'], `{ event: ${to}, delivery: outbox }`));
      section('events', to, [`content: ${r.style === 'event-id' ? 'id' : 'full'}`]);
      break;
    case 'common-data':
      edits.push(addListItem(uri, text, svc.node, svc.pair, 'uses', [`store: ${to}`, 'access: write'], `{ store: ${to}, access: write }`));
      section('datastores', to, [`kind: ${answers.volume === 'bulk' ? 'bucket' : 'data-lake'}`, `owner: ${from}`]);
      break;
  }
  const folder = host.adrFolder?.(uri);
  let adr: ChooseStyleResult['adr'];
  if (folder) {
    const { num, uri: adrUri } = nextAdr(host, folder, `${from}-to-${to}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 48));
    const answered = QUESTIONS.map((q) => `- ${q.question} ${q.options.find((o) => o.value === answers[q.key])?.label ?? String(answers[q.key])}`).join('\n');
    adr = {
      uri: adrUri,
      text: `# ${num}. How ${from} talks to ${to}\n\n- Status: accepted\n- Date: ${new Date().toISOString().slice(0, 10)}\n\n## Context\n\n${answered}\n\n## Decision\n\n${r.title}.\n\n${r.why}\n\n## Consequences\n\n${r.tradeOffs}\n`,
    };
  }
  return { style: r.style, title: r.title, why: r.why, tradeOffs: r.tradeOffs, edits: edits.map((e) => ({ range: toRange(doc, e.span), newText: e.newText })), adr };
}
