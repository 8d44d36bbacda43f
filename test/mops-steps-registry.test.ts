import { describe, expect, it } from 'vitest';
import { builtinStepTypeList, builtinStepTypes } from '../src/mops/steps/index.js';
import { builtinStepTypeNames, isBuiltinStepType, loadBuiltinStepTypes } from '../src/mops/steps/registry.js';
import { resolveStepTypes } from '../src/mops/engine/step-types.js';

const location = { cwd: '/nonexistent-netstacks-cwd', home: '/nonexistent-netstacks-home' };

describe('lazy built-in step registry', () => {
  it('names every built-in type and alias that src/mops/steps/index.ts has, and no other', () => {
    expect([...builtinStepTypeNames()].sort()).toEqual([...builtinStepTypes().keys()].sort());
  });

  it('loads the same type objects as the full registry, aliases included', async () => {
    const all = builtinStepTypes();
    const loaded = await loadBuiltinStepTypes(builtinStepTypeNames());
    for (const type of builtinStepTypeList()) {
      expect(loaded.get(type.name)).toBe(all.get(type.name));
      for (const alias of type.aliases ?? []) expect(loaded.get(alias)).toBe(type);
      expect(isBuiltinStepType(type)).toBe(true);
    }
  });

  it('a MOP of command steps resolves only command (and its alias)', async () => {
    const { types } = await resolveStepTypes(location, ['run_command', 'command']);
    expect([...types.keys()].sort()).toEqual(['command', 'run_command']);
  });

  it('an unknown name or a sub-MOP loads every built-in type', async () => {
    const unknown = await resolveStepTypes(location, ['command', 'comand']);
    expect(unknown.types.size).toBe(builtinStepTypes().size);
    const sub = await resolveStepTypes(location, ['mop']);
    expect(sub.types.has('check_bgp')).toBe(true);
  });
});
