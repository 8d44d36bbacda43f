import { applySshConfig, parseJumpSpec } from '../ssh/index.js';
import type { ConnectionPlan } from '../inventory/types.js';
import type { SshAuth, SshEndpoint } from '../ssh/types.js';

/**
 * Turns a ProxyJump chain into endpoints, first hop first. A hop that names an inventory device
 * uses that device's address and credential; `[user@]host[:port]` goes through ~/.ssh/config like
 * OpenSSH would, and logs in with the target's credential under that user.
 */
export async function resolveJumpHosts(
  chain: readonly string[],
  targetAuth: SshAuth,
  lookup: {
    plan(name: string): ConnectionPlan | undefined;
    auth(plan: ConnectionPlan): Promise<SshAuth>;
    /** OpenSSH client config to honour, false for none */
    sshConfigFile?: string | false;
  },
): Promise<SshEndpoint[]> {
  const endpoints: SshEndpoint[] = [];
  for (const hop of chain) {
    const plan = lookup.plan(hop);
    if (plan) {
      endpoints.push({ host: plan.host, port: plan.port, auth: await lookup.auth(plan), legacyAlgorithms: plan.ssh.legacyAlgorithms ?? false });
      continue;
    }
    const spec = parseJumpSpec(hop);
    const applied =
      lookup.sshConfigFile === false
        ? { host: spec.host, port: spec.port ?? 22, user: spec.user }
        : applySshConfig({ host: spec.host, ...(spec.port ? { port: spec.port } : {}), ...(spec.user ? { username: spec.user } : {}) }, lookup.sshConfigFile);
    endpoints.push({ host: applied.host, port: applied.port, auth: { ...targetAuth, username: applied.user ?? targetAuth.username } });
  }
  return endpoints;
}
