/** The rule registry: every rule the engine runs, in the order their findings are computed. */
import type { Rule } from '../engine';
import { chattyCalls } from './chatty-calls';
import { duplicateId } from './duplicate-id';
import { orphanEvent } from './orphan-event';
import { schema } from './schema';
import { selfCall } from './self-call';
import { sharedDatabase } from './shared-database';
import { syncChain } from './sync-chain';
import { KNOWN_RULES, unknownReference } from './unknown-reference';
import { yamlSyntax } from './yaml-syntax';

export const RULES: readonly Rule[] = [
  yamlSyntax,
  schema,
  unknownReference,
  duplicateId,
  selfCall,
  orphanEvent,
  syncChain,
  chattyCalls,
  sharedDatabase,
];

for (const r of RULES) KNOWN_RULES.add(r.meta.id);

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
