import type { PlatformDefinition } from './types.js';

export type { PlatformDefinition } from './types.js';

// Stub: the registry of platform definitions (one file per platform) lands here.
export function getPlatform(_name: string): PlatformDefinition {
  throw new Error('platforms not implemented yet');
}

export function listPlatforms(): PlatformDefinition[] {
  return [];
}
