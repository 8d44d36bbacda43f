import type { Personality } from '../personality.js';
import type { LabPlatform } from '../types.js';
import { aristaEos } from './arista_eos.js';
import { ciscoIos, ciscoXe } from './cisco_ios.js';
import { juniperJunos } from './juniper_junos.js';

const PERSONALITIES: Partial<Record<LabPlatform, Personality>> = {
  cisco_ios: ciscoIos as Personality,
  cisco_xe: ciscoXe as Personality,
  arista_eos: aristaEos as Personality,
  juniper_junos: juniperJunos as Personality,
};

export function personalityFor(platform: LabPlatform): Personality {
  const personality = PERSONALITIES[platform];
  if (!personality) throw new Error(`lab platform ${platform} has no personality yet`);
  return personality;
}
