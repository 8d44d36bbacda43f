import type { Personality } from '../personality.js';
import type { LabPlatform } from '../types.js';
import { aristaEos } from './arista_eos.js';
import { arubaAoscx } from './aruba_aoscx.js';
import { ciscoIos, ciscoXe } from './cisco_ios.js';
import { ciscoNxos } from './cisco_nxos.js';
import { ciscoXr } from './cisco_xr.js';
import { fortinet } from './fortinet.js';
import { hpProcurve } from './hp_procurve.js';
import { juniperJunos } from './juniper_junos.js';
import { linux } from './linux.js';
import { paloaltoPanos } from './paloalto_panos.js';

const PERSONALITIES: Record<LabPlatform, Personality> = {
  cisco_ios: ciscoIos as Personality,
  cisco_xe: ciscoXe as Personality,
  arista_eos: aristaEos as Personality,
  juniper_junos: juniperJunos as Personality,
  cisco_nxos: ciscoNxos as Personality,
  cisco_xr: ciscoXr as Personality,
  linux: linux as Personality,
  fortinet: fortinet as Personality,
  paloalto_panos: paloaltoPanos as Personality,
  hp_procurve: hpProcurve as Personality,
  aruba_aoscx: arubaAoscx as Personality,
};

export function personalityFor(platform: LabPlatform): Personality {
  return PERSONALITIES[platform];
}
