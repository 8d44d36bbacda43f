import { expect } from 'vitest';
import { SshError } from '../../src/ssh/index.js';

/** Awaits a promise that must reject with an SshError, and returns that error for more checks. */
export async function sshFailure(promise: Promise<unknown>): Promise<SshError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SshError);
  return err as SshError;
}
