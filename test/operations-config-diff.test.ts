import { describe, expect, it } from 'vitest';
import { configChanges, linesNotPresent } from '../src/operations/config-diff.js';

const running = `hostname r1
!
interface Gi0/1
 description uplink
 shutdown
interface Gi0/2
 description access
!
ntp server 10.0.0.1
`;

describe('config line diff', () => {
  it('finds candidate lines missing from the running config, within their section', () => {
    expect(linesNotPresent(['ntp server 10.0.0.1', 'ntp server 10.0.0.2'], running)).toEqual(['ntp server 10.0.0.2']);
    // ' shutdown' exists under Gi0/1 but not under Gi0/2
    expect(linesNotPresent(['interface Gi0/2', ' shutdown'], running)).toEqual([' shutdown']);
    expect(linesNotPresent(['interface Gi0/1', ' shutdown'], running)).toEqual([]);
  });

  it('accepts children typed without indentation after a known section', () => {
    expect(linesNotPresent(['interface Gi0/1', 'description uplink', 'description new'], running)).toEqual(['description new']);
  });

  it('reports lines added and removed between two configs', () => {
    const after = running.replace(' shutdown\n', '').replace('ntp server 10.0.0.1\n', 'ntp server 10.0.0.1\nlogging host 10.9.9.9\n');
    expect(configChanges(running, after)).toEqual({ added: ['logging host 10.9.9.9'], removed: ['interface Gi0/1 > shutdown'] });
  });
});

describe('brace (Junos) configs', () => {
  const junos = `## Last commit: 2026-01-01
system {
    host-name r1;
    name-server [ 10.0.0.1 10.0.0.2 ];
}
interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
                address 10.1.1.1/24;
            }
        }
    }
    ge-0/0/1 {
        description "uplink";
    }
}
`;

  it('flattens to set lines and compares set/delete candidates', () => {
    expect(linesNotPresent([
      'set system host-name r1',
      'set system name-server 10.0.0.2',
      'set interfaces ge-0/0/0 unit 0 family inet address 10.1.1.1/24',
      'set interfaces ge-0/0/1 unit 0 family inet address 10.2.2.2/24',
      'delete interfaces ge-0/0/1 description',
      'delete interfaces ge-0/0/9',
    ], junos)).toEqual(['set interfaces ge-0/0/1 unit 0 family inet address 10.2.2.2/24', 'delete interfaces ge-0/0/1 description']);
  });

  it('reports changes as set lines', () => {
    const after = junos.replace('        description "uplink";\n', '        description "core";\n');
    expect(configChanges(junos, after)).toEqual({
      added: ['set interfaces ge-0/0/1 description "core"'],
      removed: ['set interfaces ge-0/0/1 description "uplink"'],
    });
  });
});
