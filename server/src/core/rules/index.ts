/** The rule registry: every rule the engine runs, in catalog order (docs/rules/README.md). */
import type { Rule } from '../rule';
import { callbackBarrage } from './callback-barrage';
import { chainAvailability } from './chain-availability';
import { chainLatency } from './chain-latency';
import { chattyCalls } from './chatty-calls';
import { commonDataLake } from './common-data-lake';
import { drift } from './drift';
import { dualWrite } from './dual-write';
import { duplicateId } from './duplicate-id';
import { eventTooLarge } from './event-too-large';
import { fanOut } from './fan-out';
import { filesystemDrop } from './filesystem-drop';
import { hub } from './hub';
import { idEventCallback } from './id-event-callback';
import { importCycle } from './import-cycle';
import { largeSyncPayload } from './large-sync-payload';
import { lockstepDeploy } from './lockstep-deploy';
import { longRunningSync } from './long-running-sync';
import { missingAdr } from './missing-adr';
import { missingTimeout } from './missing-timeout';
import { mixedCycle } from './mixed-cycle';
import { noFallback } from './no-fallback';
import { orphanEvent } from './orphan-event';
import { retryAmplification } from './retry-amplification';
import { schema } from './schema';
import { selfCall } from './self-call';
import { sensitiveEventData } from './sensitive-event-data';
import { sharedDatabase } from './shared-database';
import { syncChain } from './sync-chain';
import { syncCycle } from './sync-cycle';
import { timeoutBudget } from './timeout-budget';
import { unknownReference } from './unknown-reference';
import { unsafeRetry } from './unsafe-retry';
import { unusedResponse } from './unused-response';
import { unservedVersion } from './unserved-version';
import { unversionedInterface } from './unversioned-interface';
import { yamlSyntax } from './yaml-syntax';

export const RULES: readonly Rule[] = [
  // Structure
  yamlSyntax,
  schema,
  unknownReference,
  duplicateId,
  selfCall,
  orphanEvent,
  missingAdr,
  importCycle,
  drift,
  // Communication smells
  syncChain,
  chainAvailability,
  chainLatency,
  chattyCalls,
  sharedDatabase,
  commonDataLake,
  filesystemDrop,
  syncCycle,
  mixedCycle,
  fanOut,
  hub,
  unusedResponse,
  // Failure handling
  missingTimeout,
  timeoutBudget,
  retryAmplification,
  unsafeRetry,
  noFallback,
  longRunningSync,
  // Events and payloads
  eventTooLarge,
  largeSyncPayload,
  idEventCallback,
  callbackBarrage,
  sensitiveEventData,
  dualWrite,
  // Changing interfaces
  unservedVersion,
  lockstepDeploy,
  unversionedInterface,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
