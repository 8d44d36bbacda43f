import { detectCommands, detectPlatform, getPlatform } from '../platforms/index.js';
import type { PlatformDefinition } from '../platforms/types.js';
import type { SshConnection } from '../ssh/types.js';
import { NetstacksError } from '../core/errors.js';

export class PlatformNotDetectedError extends NetstacksError {
  readonly errorClass = 'protocol' as const;
  constructor(device: string, tried: string[]) {
    super('platform_not_detected', `could not detect the platform of '${device}' (tried: ${tried.join(', ')})`, {
      exit: 'network',
      hint: `set it: netstacks device edit ${device} --platform NAME`,
    });
  }
}

/**
 * `platform: autodetect`: runs the platforms' detect commands over exec channels, most telling
 * first, and stops at the first output a platform claims. Exec needs no prompt knowledge, which
 * is exactly what we lack before the platform is known.
 */
export async function detectPlatformOver(connection: SshConnection, timeoutMs: number): Promise<PlatformDefinition> {
  const outputs: Record<string, string> = {};
  const tried: string[] = [];
  for (const command of detectCommands()) {
    tried.push(command);
    const result = await connection.exec(command, { timeoutMs }).catch(() => undefined);
    if (!result) continue;
    outputs[command] = `${result.stdout}\n${result.stderr}`;
    const name = detectPlatform(outputs);
    if (name) return getPlatform(name);
  }
  throw new PlatformNotDetectedError(connection.label, tried);
}
