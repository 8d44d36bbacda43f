// Peer figure: RANCID 3 (Debian's `rancid` package) fetching the same lab devices as
// `netstacks backup run`, each device a `rancid -t ios` process (what rancid-run starts per
// router), PAR devices at once (default 20, RANCID's PAR_COUNT habit). The lab's IOS devices
// answer everything RANCID's ios module sends (unknown show commands get IOS's own error, which
// RANCID expects). .cloginrc uses `method {ssh:PORT}` for the lab's shared port.
// DEVICES (default 100), PAR, CONFIG_BYTES.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { BIN, benchEnv, fmt, tempHome, timeRun } from './lib.mjs';

const devices = Number(process.env.DEVICES ?? 100);
const par = Number(process.env.PAR ?? 20);
const configBytes = Number(process.env.CONFIG_BYTES ?? 50_000);
const rancid = '/usr/lib/rancid/bin/rancid';
if (!existsSync(rancid)) {
  console.log('RANCID peer: skipped, RANCID is not installed (apt-get install rancid)');
  process.exit(0);
}
const home = tempHome();
const env = benchEnv(home);
const cli = (...args) => timeRun(process.execPath, [BIN, ...args], { env });

try {
  const seed = 7;
  cli('lab', 'start', '--detach', '--devices', String(devices), '--platforms', 'cisco_ios', '--port', '0', '--no-quirks', '--seed', String(seed), '--config-bytes', String(configBytes));
  const lab = JSON.parse(cli('lab', 'status', '--json').stdout);
  // The lab's MOTD banners (src/lab/personalities/common.ts): clogin's expect matches '#' and '>'
  // anywhere in what arrived, so banners with prompt lookalikes break it before any config is read.
  // RANCID's time is measured on the devices with a plain banner; one device of each other kind is
  // run to show where it stops.
  const { bannerFor } = await import(new URL('../dist/lab/personalities/common.js', import.meta.url).href);
  const all = JSON.parse(cli('device', 'list', '--json').stdout).map((d) => ({ name: d.name, host: d.host, banner: bannerFor({ seed, name: d.name, hostname: d.name }) }));
  const plain = all.filter((d) => !/[#>]/.test(d.banner));
  const lookalikes = [...new Map(all.filter((d) => /[#>]/.test(d.banner)).map((d) => [d.banner.replaceAll(d.name, 'HOST'), d])).values()];
  const hosts = plain.map((d) => d.host);
  console.log(`lab: ${devices} IOS devices, configs ~${configBytes} bytes, quirks off; load average ${loadavg()[0].toFixed(1)}`);

  const rancidHome = join(home, 'rancid');
  mkdirSync(rancidHome, { recursive: true });
  writeFileSync(join(rancidHome, '.cloginrc'), `add method * {ssh:${lab.port}}\nadd user * netstacks\nadd password * netstacks-lab lab-enable\n`, { mode: 0o600 });
  const one = (host) =>
    new Promise((resolve) => {
      const child = spawn(rancid, ['-d', '-t', 'ios', host], { cwd: rancidHome, env: { ...process.env, HOME: rancidHome }, stdio: ['ignore', 'pipe', 'pipe'] });
      let said = '';
      child.stdout.on('data', (d) => (said += d));
      child.stderr.on('data', (d) => (said += d));
      child.on('exit', () => {
        const file = join(rancidHome, `${host}.new`);
        const complete = existsSync(file) && /^end$/m.test(readFileSync(file, 'utf8'));
        // clogin reads the lab's banner line '... ios-1# is prohibited >' as an enabled prompt,
        // never sends `enable`, and the config commands are refused in user mode
        const raw = existsSync(join(rancidHome, `${host}.raw`)) ? readFileSync(join(rancidHome, `${host}.raw`), 'utf8') : '';
        const userMode = /^[\w.-]+>(show running-config|write term)/m.test(raw);
        const enableLost = /Password: \r?\nPassword:/.test(raw) || /TIMEOUT/.test(said);
        const reason = userMode
          ? "clogin took the banner's '#' for an enabled prompt, never sent enable, and 'write term' was refused in user mode"
          : enableLost
            ? "clogin sent enable, took the banner's '#' (still in its buffer) for the enabled prompt, answered the real 'Password:' with an empty line, then timed out"
            : said.trim().split('\n').slice(-1)[0] || 'no output';
        if (!complete) failures.push(`${host}: ${reason}`);
        resolve(complete);
      });
    });
  const failures = [];
  const t0 = performance.now();
  let next = 0;
  let ok = 0;
  await Promise.all(
    Array.from({ length: Math.min(par, hosts.length) }, async () => {
      while (next < hosts.length) if (await one(hosts[next++])) ok++;
    }),
  );
  const rancidMs = performance.now() - t0;
  for (const d of lookalikes) {
    const before = failures.length;
    await one(d.host);
    const line = d.banner.split('\n').find((l) => /[#>]/.test(l));
    if (failures.length > before) console.log(`  banner line '${line?.trim()}': ${failures.pop()}`);
    else console.log(`  banner line '${line?.trim()}': RANCID coped`);
  }
  const stopped = all.length - plain.length;
  if (hosts.length === 0) {
    console.log(`RANCID 3: none of the ${all.length} devices has a banner without '#' or '>', so there is no RANCID time to print (raise DEVICES; about 1 in 5 has a plain banner)`);
  } else {
    const rancidRate = hosts.length / (rancidMs / 1000);
    console.log(`RANCID 3 (rancid -t ios, ${par} at once) on the ${hosts.length} devices with a plain banner: ${ok}/${hosts.length} complete configs in ${fmt(rancidMs)}, ${rancidRate.toFixed(1)} devices/s`);
    if (failures.length) console.log(`  RANCID failures (${failures.length}, first 3): ${failures.slice(0, 3).join(' | ')}`);

    const ours = timeRun(process.execPath, [BIN, 'backup', 'run', '--concurrency', '100', '--on', plain.map((d) => `name:${d.name}`).join(' or '), '--json'], { env, allowFailure: true });
    const rate = hosts.length / (ours.ms / 1000);
    console.log(`netstacks backup run (concurrency 100, with facts and startup check) on the same ${hosts.length}: ${fmt(ours.ms)}, ${rate.toFixed(1)} devices/s`);
    console.log(`ratio netstacks/RANCID: ${(rate / rancidRate).toFixed(1)}x`);
  }
  // the statement the issue asks for: where RANCID stops, and why; and netstacks on every device
  const everyone = timeRun(process.execPath, [BIN, 'backup', 'run', '--concurrency', '100', '--json'], { env, allowFailure: true });
  const backedUp = everyone.stdout.split('\n').filter((l) => l.startsWith('{') && JSON.parse(l).type === 'device' && JSON.parse(l).status === 'ok').length;
  console.log(
    `where RANCID stops: on the ${stopped} of ${all.length} devices whose login banner has a '#' or '>', clogin (RANCID's expect login script) stops at login, before 'write term': ` +
      `its enable step matches '#' anywhere in what arrived, so the banner passes for the enabled prompt. netstacks, which takes a prompt only at the end of the output, backed up ${backedUp} of ${all.length}`,
  );
} finally {
  timeRun(process.execPath, [BIN, 'lab', 'stop'], { env, allowFailure: true });
  if (!process.env.KEEP) rmSync(home, { recursive: true, force: true });
  else console.log(`kept ${home}`);
}
