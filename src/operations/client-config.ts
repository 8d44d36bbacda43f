import { readFile } from 'node:fs/promises';
import { applySshConfig } from '../ssh/index.js';
import type { ConnectionPlan } from '../inventory/types.js';
import type { SshAuth } from '../ssh/types.js';

export interface ClientConfigResult {
  host: string;
  port: number;
  auth: SshAuth;
  /** ProxyJump from ~/.ssh/config, used when the inventory sets no jump hosts */
  proxyJump: string[];
}

/**
 * Honours ~/.ssh/config Host entries for a device: HostName and Port (the inventory's port wins
 * unless it is the default 22), IdentityFile when the credential has neither password nor key,
 * and ProxyJump. The credential's username wins over User, as `ssh -l` does.
 */
export async function applyClientConfig(plan: ConnectionPlan, auth: SshAuth, file: string | false | undefined): Promise<ClientConfigResult> {
  if (file === false) return { host: plan.host, port: plan.port, auth, proxyJump: [] };
  const applied = applySshConfig({ host: plan.host, ...(plan.port !== 22 ? { port: plan.port } : {}), username: auth.username }, file);
  let withKey = auth;
  if (auth.password === undefined && auth.privateKey === undefined) {
    for (const path of applied.identityFile ?? []) {
      const key = await readFile(path, 'utf8').catch(() => undefined);
      if (key) {
        withKey = { ...auth, privateKey: key };
        break;
      }
    }
  }
  return { host: applied.host, port: applied.port, auth: withKey, proxyJump: applied.proxyJump ?? [] };
}
