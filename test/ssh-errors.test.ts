import { describe, expect, it } from 'vitest';
import { SshError, classifyError } from '../src/ssh/index.js';

function withFields(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('classifyError', () => {
  it.each([
    [withFields('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }), 'unreachable'],
    [withFields('getaddrinfo ENOTFOUND nowhere', { code: 'ENOTFOUND' }), 'unreachable'],
    [withFields('read ECONNRESET', { code: 'ECONNRESET' }), 'unreachable'],
    [withFields('connect EHOSTUNREACH', { code: 'EHOSTUNREACH' }), 'unreachable'],
    [withFields('Connection lost before handshake', { level: 'protocol' }), 'unreachable'],
    [withFields('Timed out while waiting for handshake', { level: 'client-timeout' }), 'timeout'],
    [withFields('connect ETIMEDOUT', { code: 'ETIMEDOUT' }), 'timeout'],
    [withFields('All configured authentication methods failed', { level: 'client-authentication' }), 'auth'],
    [withFields('Too many authentication failures', { code: 2 }), 'auth'],
    [withFields('No more authentication methods available', { code: 14 }), 'auth'],
    [withFields('Handshake failed: no matching key exchange algorithm', { level: 'handshake' }), 'protocol'],
    [withFields('The operation was aborted', { code: 'ABORT_ERR' }), 'interrupted'],
    [new SshError('host-key', 'changed'), 'host-key'],
    ['a string', 'protocol'],
  ])('%s → %s', (err, expected) => {
    expect(classifyError(err)).toBe(expected);
  });

  it('SshError exits with the network code, or 130 when interrupted', () => {
    expect(new SshError('auth', 'x').exitCode).toBe(8);
    expect(new SshError('interrupted', 'x').exitCode).toBe(130);
    expect(new SshError('host-key', 'x').toJSON()).toEqual({ error: 'ssh_host_key', message: 'x' });
  });
});
