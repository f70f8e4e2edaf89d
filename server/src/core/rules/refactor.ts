/** Refactorings more than one rule offers. */
import type { Fix, FixContext, TextEdit } from '../rule';
import type { Call } from '../model';
import { addListItem, indentUnit, insertPair, insertUnderEmpty, removeItem, yamlScalar } from '../yamledit';

/** An event id for what a call asked for: `<callee>-<operation>` or `<callee>-requested`, made unique. */
function eventIdFor(c: Call, taken: (id: string) => boolean): string {
  const op = c.operation?.value.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9_.-]+/g, '-').toLowerCase().replace(/^-+|-+$/g, '');
  const base = `${c.to.id}-${op || 'requested'}`;
  let id = base;
  for (let i = 2; taken(id); i++) id = `${base}-${i}`;
  return id;
}

/**
 * Turns a call into an event: adds the event, `publishes` on the caller, `subscribes` on the callee, and
 * removes the call. The caller stops waiting; the callee reacts when the event arrives.
 */
export function callToEventFix(c: Call, ctx: FixContext): Fix | undefined {
  const callee = ctx.system.services.get(c.to.id);
  const file = ctx.file(c.from.uri);
  const calleeFile = callee && ctx.file(callee.uri);
  const calls = c.from.callsField?.pair.value;
  if (!callee || !file || !calleeFile || calls?.kind !== 'seq') return undefined;
  const id = eventIdFor(c, (x) => ctx.system.events.has(x));
  // The callee's new key and a new events section may go at the same offset: the event section last.
  const edits: TextEdit[] = [removeItem(file.uri, file.text, calls, c.index)];
  edits.push(addListItem(file.uri, file.text, c.from.node, c.from.pair, 'publishes', [`event: ${id}`, 'delivery: outbox'], `{ event: ${id}, delivery: outbox }`));
  edits.push(addListItem(calleeFile.uri, calleeFile.text, callee.node, callee.pair, 'subscribes', [`event: ${id}`], `{ event: ${id} }`));
  const events = file.topology.sections.get('events');
  // The operation is the user's free text: quote it where plain YAML would misread it (`a: b`, `x #y`).
  // Quoted for a flow map too, since `events: {}` gets the event inline.
  const block = ['content: full', `description: ${yamlScalar(`Raised by ${c.from.id} where it used to call ${c.to.id}${c.operation ? ` (${c.operation.value})` : ''}`, true)}`];
  // A block section with entries, or a flow one (`events: {}` included: insertPair writes it inline).
  if (events?.value?.kind === 'map' && (events.value.flow || events.value.pairs.length)) edits.push(insertPair(file.uri, file.text, events.value, id, { block }));
  else if (events && !events.value) edits.push(insertUnderEmpty(file.uri, file.text, events, id, { block }));
  else if (!events && file.topology.root?.kind === 'map' && !file.topology.root.flow) edits.push(insertPair(file.uri, file.text, file.topology.root, 'events', { block: [`${id}:`, ...block.map((l) => indentUnit(file.text) + l)] })); // The file's own indent unit, not always two spaces.
  else return undefined;
  return { title: `Turn the call ${c.from.id} → ${c.to.id} into an event '${id}'`, kind: 'refactor.rewrite', edits };
}
