import { NetstacksError } from '../core/errors.js';
import { PLATFORM_CANONICAL } from '../platforms/config-models.js';
import { getPlatform } from '../platforms/index.js';
import type { PlatformDefinition } from '../platforms/types.js';
import { applyCommands } from './apply.js';
import { compareTrees } from './compare.js';
import { mergeInto, removePaths, replaceSection } from './merge.js';
import { missingLines, type MissingLine } from './missing.js';
import { parseTree } from './parse.js';
import { remediate } from './remediate.js';
import { renderTree } from './render.js';
import { type CompiledRules, compileRules } from './rules.js';
import type { ConfigNode } from './tree.js';

export type { ConfigModelRules, ConfigSyntax } from './types.js';
export { ConfigNode } from './tree.js';
export { compileRules, type CompiledRules } from './rules.js';
export { parseTree } from './parse.js';
export { remediate, negate } from './remediate.js';
export { applyCommands } from './apply.js';
export { renderTree } from './render.js';
export { compareTrees } from './compare.js';
export { missingLines, type MissingLine } from './missing.js';
export { formatVlanList, parseVlanList } from './canonical.js';

export interface RemediationOptions {
  /**
   * 'merge' (default): add and overwrite; remove only `stale` lines and lines inside `owned`
   * sections. 'replace': whatever the intended config lacks is removed (hier_config's semantics).
   */
  mode?: 'merge' | 'replace';
  /** paths of sections the intended config fully owns (`[['ip access-list extended MGMT']]`) */
  owned?: readonly (readonly string[])[];
  /** paths of lines deployed before and no longer intended: removed in merge mode */
  stale?: readonly (readonly string[])[];
}

export interface Remediation {
  /** commands that take running to the target, as shown in a plan */
  commands: string[];
  /** the same, as sent to the device (sections left explicitly) */
  push: string[];
  /** commands that take the target back to running */
  rollback: string[];
  rollbackPush: string[];
  /** the config the device should have afterwards */
  target: ConfigNode;
  running: ConfigNode;
}

export class NoConfigModelError extends NetstacksError {
  constructor(platform: string) {
    super('no_config_model', `platform '${platform}' has no configuration model`, {
      exit: 'invalidInput',
      hint: 'config remediation needs a network platform; use `netstacks run` for shell commands',
    });
  }
}

/** A platform's configuration model: parse, remediate, apply, compare. */
export class ConfigModel {
  readonly rules: CompiledRules;

  constructor(readonly platform: string, rules: CompiledRules) {
    this.rules = rules;
  }

  parse(text: string): ConfigNode {
    return parseTree(text, this.rules);
  }

  render(tree: ConfigNode, forPush = false): string[] {
    return renderTree(tree, this.rules, { forPush });
  }

  /** What the device's config becomes when `intended` is deployed with these options. */
  target(running: ConfigNode, intended: ConfigNode, options: RemediationOptions = {}): ConfigNode {
    if (options.mode === 'replace') return intended.clone();
    const target = running.clone();
    removePaths(target, options.stale ?? [], this.rules);
    mergeInto(target, intended, this.rules);
    for (const path of options.owned ?? []) replaceSection(target, intended, path, this.rules);
    return target;
  }

  remediation(runningText: string, intendedText: string, options: RemediationOptions = {}): Remediation {
    const running = this.parse(runningText);
    const target = this.target(running, this.parse(intendedText), options);
    const forward = remediate(running, target, this.rules);
    const backward = remediate(target, running, this.rules);
    return {
      commands: this.render(forward),
      push: this.render(forward, true),
      rollback: this.render(backward),
      rollbackPush: this.render(backward, true),
      target,
      running,
    };
  }

  /** The config after the device applies `commands` (the model the corpus tests check with). */
  apply(configText: string, commands: string): ConfigNode {
    const tree = this.parse(configText);
    applyCommands(tree, commands, this.rules);
    return tree;
  }

  compare(a: ConfigNode, b: ConfigNode): string[] {
    return compareTrees(a, b, this.rules);
  }

  /**
   * The intended lines the running config lacks, compared in canonical forms (what `stack
   * validate` lists and a post-check needs): `Gi0/1` = `GigabitEthernet0/1`, `no shut` = `no
   * shutdown`, numbered ACL entries, VLAN lists, hashed secrets.
   */
  missing(running: string | ConfigNode, intended: string | ConfigNode): MissingLine[] {
    const tree = (config: string | ConfigNode) => (typeof config === 'string' ? this.parse(config) : config);
    return missingLines(tree(running), tree(intended), this.rules);
  }

  /** The comparison key of a line: the line in the platform's canonical form. */
  canonical(line: string): string {
    return this.rules.keyOf(line);
  }
}

const models = new Map<string, ConfigModel>();

export function configModelFor(platform: string | PlatformDefinition): ConfigModel {
  const definition = typeof platform === 'string' ? getPlatform(platform) : platform;
  const cached = models.get(definition.name);
  if (cached) return cached;
  if (!definition.config.model) throw new NoConfigModelError(definition.name);
  const overlay = PLATFORM_CANONICAL[definition.name];
  const model = new ConfigModel(definition.name, compileRules(overlay ? { ...definition.config.model, ...overlay } : definition.config.model));
  models.set(definition.name, model);
  return model;
}
