/**
 * The MOP engine as a library: load, validate, run, and read executions back.
 * The CLI (src/cli) parses flags and prints; everything else happens here.
 */
export type * from './types.js';
export { MopInvalidError, formatIssue, listMops, type MopFile, type MopStep, type MopStrategy, type MopInput, type MopSettings } from '../file.js';
export { loadMop, validateMop } from './validate.js';
export { runMop } from './run.js';
export { registerStepType, resolveStepTypes } from './step-types.js';
export { resolveInputs, ciJobFromEnv, strategyBatches } from './inputs.js';
export { listExecutions, getExecution, executionUndo, markInterruptedExecutions } from '../records.js';
