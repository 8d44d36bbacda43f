import type { StepType } from './types.js';

/**
 * The built-in step types by name, each loaded only when asked for: `mop run` loads (and builds
 * the zod schema of) just the types its MOP uses. `src/mops/steps/index.ts` still imports them
 * all for `mop validate`, `step-type list` and user-defined types. One line per type (names and
 * aliases exactly as the module's `defineStep` gives them; test/mops-steps-registry.test.ts
 * checks both lists agree).
 */
const loaders: Record<string, { aliases: readonly string[]; load: () => Promise<StepType> }> = {
  wait: { aliases: [], load: async () => (await import('./wait.js')).waitStep },
  approval: { aliases: ['manual_approval'], load: async () => (await import('./approval.js')).approvalStep },
  http: { aliases: ['api_call', 'webhook'], load: async () => (await import('./http.js')).httpStep },
  email: { aliases: [], load: async () => (await import('./email.js')).emailStep },
  script: { aliases: ['custom_python'], load: async () => (await import('./script.js')).scriptStep },
  log: { aliases: [], load: async () => (await import('./log.js')).logStep },
  mop: { aliases: [], load: async () => (await import('./mop.js')).mopStep },
  command: { aliases: ['run_command'], load: async () => (await import('./command.js')).commandStep },
  parse: { aliases: ['get_config'], load: async () => (await import('./parse.js')).parseStep },
  check_bgp: { aliases: [], load: async () => (await import('./check-bgp.js')).checkBgpStep },
  check_interfaces: { aliases: [], load: async () => (await import('./check-interfaces.js')).checkInterfacesStep },
  check_routing: { aliases: [], load: async () => (await import('./check-routing.js')).checkRoutingStep },
  check_ping: { aliases: [], load: async () => (await import('./check-ping.js')).checkPingStep },
  compare: { aliases: [], load: async () => (await import('./compare.js')).compareStep },
  config: { aliases: ['set_config'], load: async () => (await import('./config.js')).configStep },
  validate_config: { aliases: [], load: async () => (await import('./validate-config.js')).validateConfigStep },
  backup: { aliases: [], load: async () => (await import('./backup.js')).backupStep },
  reload: { aliases: ['reboot'], load: async () => (await import('./reload.js')).reloadStep },
  deploy_stack: { aliases: [], load: async () => (await import('./deploy-stack.js')).deployStackStep },
  validate_stack: { aliases: [], load: async () => (await import('./validate-stack.js')).validateStackStep },
};

/** name or alias → canonical name */
const canonical = new Map<string, string>();
for (const [name, { aliases }] of Object.entries(loaders)) {
  canonical.set(name, name);
  for (const alias of aliases) canonical.set(alias, name);
}

/** every built-in name and alias, without loading any type */
export function builtinStepTypeNames(): readonly string[] {
  return [...canonical.keys()];
}

/** the built-in step type objects loaded so far (through here or src/mops/steps/index.ts) */
const loadedBuiltins = new Set<StepType>();

/** whether `type` is a built-in step type (not a user-defined or registered one) */
export function isBuiltinStepType(type: StepType): boolean {
  return loadedBuiltins.has(type);
}

/**
 * The built-in types for these names (canonical or alias), loading only their modules; names that
 * are not built-in are left out. Every alias of a loaded type maps to it.
 */
export async function loadBuiltinStepTypes(names: Iterable<string>): Promise<Map<string, StepType>> {
  const wanted = new Set<string>();
  for (const name of names) {
    const c = canonical.get(name);
    if (c) wanted.add(c);
  }
  const order = [...wanted];
  const types = await Promise.all(order.map((name) => loaders[name]!.load()));
  const byName = new Map<string, StepType>();
  order.forEach((name, i) => {
    const type = types[i]!;
    loadedBuiltins.add(type);
    byName.set(name, type);
    for (const alias of loaders[name]!.aliases) byName.set(alias, type);
  });
  return byName;
}

/** every built-in type (canonical name or alias → type), in the order of src/mops/steps/index.ts */
export async function loadAllBuiltinStepTypes(): Promise<ReadonlyMap<string, StepType>> {
  const { builtinStepTypes } = await import('./index.js');
  const all = builtinStepTypes();
  for (const type of all.values()) loadedBuiltins.add(type);
  return all;
}
