// `npm run bench`: every figure, one script after another (they must not overlap: 2 cores).
import { spawnSync } from 'node:child_process';

const scripts = ['startup.mjs', 'inventory.mjs', 'ssh-latency.mjs', 'run-lab.mjs', 'config-remediation.mjs', 'templates.mjs', 'textfsm.mjs', 'backup-throughput.mjs', 'backup-storage.mjs', 'backup-diff.mjs', 'backup-rancid.mjs', 'deploy.mjs', 'mops-validate.mjs', 'mops-overhead.mjs'];
let failed = false;
for (const script of scripts) {
  console.log(`\n# ${script}`);
  const result = spawnSync(process.execPath, [new URL(`./${script}`, import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exitCode = failed ? 1 : 0;
