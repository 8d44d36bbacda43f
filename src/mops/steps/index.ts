import type { StepType } from './types.js';
import { waitStep } from './wait.js';
import { approvalStep } from './approval.js';
import { httpStep } from './http.js';
import { emailStep } from './email.js';
import { scriptStep } from './script.js';
import { logStep } from './log.js';
import { mopStep } from './mop.js';
import { commandStep } from './command.js';
import { parseStep } from './parse.js';
import { checkBgpStep } from './check-bgp.js';
import { checkInterfacesStep } from './check-interfaces.js';
import { checkRoutingStep } from './check-routing.js';
import { checkPingStep } from './check-ping.js';
import { compareStep } from './compare.js';
import { configStep } from './config.js';
import { validateConfigStep } from './validate-config.js';
import { backupStep } from './backup.js';
import { reloadStep } from './reload.js';
import { deployStackStep } from './deploy-stack.js';
import { validateStackStep } from './validate-stack.js';

export type { StepType, StepContext, StepOutcome, CheckItem, StepStatus } from './types.js';
export { defineStep, ENGINE_STEP_KEYS } from './types.js';

/**
 * The built-in step types, each in its own module under src/mops/steps/. Add one import line and
 * one list entry per type (one per line, so parallel work merges cleanly), and its line in
 * src/mops/steps/registry.ts (what `mop run` loads lazily; a test checks both lists agree).
 */
const builtins: StepType[] = [
  waitStep,
  approvalStep,
  httpStep,
  emailStep,
  scriptStep,
  logStep,
  mopStep,
  commandStep,
  parseStep,
  checkBgpStep,
  checkInterfacesStep,
  checkRoutingStep,
  checkPingStep,
  compareStep,
  configStep,
  validateConfigStep,
  backupStep,
  reloadStep,
  deployStackStep,
  validateStackStep,
];

/** canonical name or alias → step type */
export function builtinStepTypes(): ReadonlyMap<string, StepType> {
  const byName = new Map<string, StepType>();
  for (const type of builtins) {
    byName.set(type.name, type);
    for (const alias of type.aliases ?? []) byName.set(alias, type);
  }
  return byName;
}

/** the canonical types only, for `step-type list` */
export function builtinStepTypeList(): readonly StepType[] {
  return builtins;
}
