import { describe, expect, it } from 'vitest';
import { resolveJumpHosts } from '../src/operations/jump-hosts.js';
import type { ConnectionPlan } from '../src/inventory/types.js';

const bastion: ConnectionPlan = {
  device: 'bastion-1', host: '127.0.9.1', port: 2200, platform: 'linux', credential: 'jump', credentialSource: 'device',
  timeouts: { connect: 1, auth: 1, banner: 1, prompt: 1, command: 1 }, ssh: { legacyAlgorithms: true }, skipReason: null,
};

describe('jump host resolution', () => {
  it('uses inventory devices with their own credential and user@host:port specs with the target credential', async () => {
    const hops = await resolveJumpHosts(['bastion-1', 'ops@10.0.0.5:2222', '10.0.0.6'], { username: 'admin', password: 'target-pw' }, {
      plan: (name) => (name === 'bastion-1' ? bastion : undefined),
      auth: async (plan) => ({ username: `${plan.credential}-user`, password: 'jump-pw' }),
      sshConfigFile: false,
    });
    expect(hops).toEqual([
      { host: '127.0.9.1', port: 2200, auth: { username: 'jump-user', password: 'jump-pw' }, legacyAlgorithms: true },
      { host: '10.0.0.5', port: 2222, auth: { username: 'ops', password: 'target-pw' } },
      { host: '10.0.0.6', port: 22, auth: { username: 'admin', password: 'target-pw' } },
    ]);
  });

  it('rejects a malformed spec', async () => {
    await expect(resolveJumpHosts(['user@:x'], { username: 'a' }, { plan: () => undefined, auth: async () => ({ username: 'a' }), sshConfigFile: false })).rejects.toThrow(/invalid jump host/);
  });
});
