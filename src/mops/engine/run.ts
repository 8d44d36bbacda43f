import type { OperationEnv } from '../../operations/types.js';
import type { ExecutionSummary, LoadedMop, RunMopOptions } from './types.js';

/** Runs a loaded MOP over its targets; resolves with the summary (exitCode 0|10|11|130), never rejects for step failures. */
export async function runMop(env: OperationEnv, loaded: LoadedMop, options: RunMopOptions = {}): Promise<ExecutionSummary> {
  void env;
  void loaded;
  void options;
  throw new Error('runMop: not implemented yet');
}
