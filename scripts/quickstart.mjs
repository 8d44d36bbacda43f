// The README quick start: a throwaway home in .netstacks-demo/, a lab of simulated devices that
// speak real SSH (with their awkward quirks on), and the main job against it, each step printed
// as the command you would type.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const home = join(root, '.netstacks-demo');
const bin = join(root, 'bin', 'netstacks.js');
const env = { ...process.env, NETSTACKS_HOME: home, NETSTACKS_SECRETS_BACKEND: process.env.NETSTACKS_SECRETS_BACKEND ?? 'vault' };

function netstacks(args, { mayFail = false } = {}) {
  process.stdout.write(`\n\x1b[1m$ netstacks ${args.map((a) => (/[\s'*()|]/.test(a) ? `'${a}'` : a)).join(' ')}\x1b[0m\n`);
  const result = spawnSync(process.execPath, [bin, ...args], { env, stdio: 'inherit', cwd: root });
  if (result.status !== 0 && !mayFail) {
    netstacks(['lab', 'stop'], { mayFail: true });
    process.exit(result.status ?? 1);
  }
  return result.status;
}

rmSync(home, { recursive: true, force: true });
console.log(`NetStacks quick start (state in ${home})`);
netstacks(['lab', 'start', '--detach', '--devices', '10', '--seed', '7']);
try {
  netstacks(['device', 'list']);
  netstacks(['device', 'test', '--on', 'platform:cisco_ios or platform:arista_eos or platform:juniper_junos']);
  netstacks(['run', 'show version', '--on', 'eos-2']);
  // the main job: the example stack (stacks/lab-baseline.yaml, templates/) planned, deployed, planned
  // again (nothing left to do), validated
  const ntp = 'ntp_servers=[192.0.2.10, 192.0.2.11]';
  netstacks(['stack', 'add', 'stacks/lab-baseline.yaml']);
  netstacks(['deploy', 'lab-baseline', '--var', ntp, '--dry-run']);
  netstacks(['deploy', 'lab-baseline', '--var', ntp, '--yes']);
  netstacks(['deploy', 'lab-baseline', '--var', ntp, '--dry-run']);
  netstacks(['stack', 'validate', 'lab-baseline', '--var', ntp]);
  netstacks(['stack', 'show', 'lab-baseline']);
  netstacks(['config', 'push', '--on', 'ios-1 or eos-2', '--line', 'ntp server 203.0.113.77', '--dry-run']);
  netstacks(['config', 'push', '--on', 'ios-1 or eos-2', '--line', 'ntp server 203.0.113.77', '--save']);
  netstacks(['config', 'push', '--on', 'ios-1 or eos-2', '--line', 'ntp server 203.0.113.77', '--dry-run']);
  netstacks(['run', 'show running-config | include ntp server', '--on', 'ios-1']);
  // an unknown command fails that device alone, with the device's own message
  netstacks(['run', 'show bogus', '--on', 'ios-1 or eos-2'], { mayFail: true });
} finally {
  netstacks(['lab', 'stop']);
}
console.log('\nDone. Try it yourself: export NETSTACKS_HOME=.netstacks-demo && npx netstacks lab start --detach');
