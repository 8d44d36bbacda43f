import type { Interaction, PlatformDefinition } from '../platforms/types.js';

export interface CompiledMode {
  name: string;
  prompt: RegExp;
  notContains: string[];
}

export interface CompiledInteraction {
  pattern: RegExp;
  interaction: Interaction;
}

/** A platform's patterns compiled once; the engine matches prompts on the last line only. */
export interface CompiledPlatform {
  modes: CompiledMode[];
  pagers: CompiledInteraction[];
  loginInteractions: CompiledInteraction[];
  outputNoise: RegExp[];
}

const cache = new WeakMap<PlatformDefinition, CompiledPlatform>();

export function compilePlatform(platform: PlatformDefinition): CompiledPlatform {
  const cached = cache.get(platform);
  if (cached) return cached;
  const compiled: CompiledPlatform = {
    modes: platform.modes.map((m) => ({ name: m.name, prompt: new RegExp(m.prompt), notContains: m.notContains ?? [] })),
    pagers: compileInteractions(platform.pagers),
    loginInteractions: compileInteractions(platform.loginInteractions ?? []),
    outputNoise: (platform.outputNoise ?? []).map((p) => new RegExp(p)),
  };
  cache.set(platform, compiled);
  return compiled;
}

export function compileInteractions(interactions: readonly Interaction[]): CompiledInteraction[] {
  return interactions.map((interaction) => ({ pattern: new RegExp(interaction.pattern), interaction }));
}

/** The mode whose prompt `line` is, or undefined when `line` is not a prompt. */
export function identifyMode(compiled: CompiledPlatform, rawLine: string): string | undefined {
  // what is left of an answered question ('Password: ') may precede the prompt
  const line = rawLine.trimStart();
  if (line.length === 0 || line.length > 256) return undefined;
  for (const mode of compiled.modes) {
    if (mode.prompt.test(line) && !mode.notContains.some((s) => line.includes(s))) return mode.name;
  }
  return undefined;
}

/** The first interaction whose pattern occurs in `line`, with where it starts. */
export function findInteraction(
  interactions: readonly CompiledInteraction[],
  line: string,
): { interaction: Interaction; index: number } | undefined {
  if (line.length === 0) return undefined;
  for (const { pattern, interaction } of interactions) {
    const match = pattern.exec(line);
    if (match) return { interaction, index: match.index };
  }
  return undefined;
}
