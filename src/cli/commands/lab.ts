import type { Command } from 'commander';
import { action, collect, type CliContext } from '../context.js';

interface StartOptions {
  devices?: string;
  platforms?: string;
  faults?: string[];
  quirks?: boolean;
  seed?: string;
  port?: string;
  bigConfig?: boolean;
  configBytes?: string;
  detach?: boolean;
}

async function integer(name: string, value: string | undefined): Promise<number | undefined> {
  const { numberOption } = await import('../../core/numbers.js');
  return numberOption(`--${name}`, value, { integer: true, min: 0 });
}

export function registerLabCommands(program: Command): void {
  const lab = program
    .command('lab')
    .description('embedded lab: simulated devices of every platform, speaking SSH on 127.0.x.y')
    .addHelpText(
      'after',
      `
Devices are named <platform>-<n> (ios-1, eos-2, junos-3, ...) and listen on 127.0.1.1, 127.0.1.2, ...
on one port (default 2022). They log in as netstacks / netstacks-lab, enable secret lab-enable;
'lab start' registers them in the inventory with the credential 'lab'.

Faults (--faults, repeatable, comma-separated):
  DEVICE=FAULT[:MS]    latency[:ms] drop-mid-command hang-after-login auth-failure
                       changed-host-key legacy-only refused
  random:10%[=FAULT]   a share of the devices, chosen from the seed
Quirks (on unless --no-quirks): chunked-output split-prompt delayed-prompt cr-before-prompt
  ansi-codes press-any-key
Reset: 'netstacks lab reset' (control socket <home>/lab/control.sock), or type 'lab-reset' on a
device's CLI to restore that device ('lab-reset-all' for every device).`,
    );

  lab
    .command('start')
    .description('start the lab (foreground; Ctrl-C stops it) and register its devices')
    .option('--devices <n>', 'number of devices (default 10)')
    .option('--platforms <list>', 'comma-separated platforms to spread devices over (default: all)')
    .option('--faults <spec>', "faults, e.g. 'ios-1=auth-failure,eos-2=latency:500' or 'random:10%' (repeatable)", collect)
    .option('--no-quirks', 'no quirks: clean, fast devices')
    .option('--seed <n>', 'seed for names, quirks and configs (default 1)')
    .option('--port <port>', 'shared SSH port (default 2022)')
    .option('--big-config', 'give every device a running config of 5 MB or more')
    .option('--config-bytes <n>', 'grow every device config to about N bytes (IOS-like and Junos platforms)')
    .option('--detach', 'run in the background; stop with `netstacks lab stop`')
    .action(action(startCommand));

  lab
    .command('status')
    .description('is a lab running for this home, on which port, with which devices')
    .action(action(statusCommand));

  lab
    .command('stop')
    .description('stop the lab and remove its devices from the inventory')
    .action(action(stopCommand));

  lab
    .command('reset [devices...]')
    .description('restore the default configs of all (or the named) lab devices')
    .action(action(resetCommand));
}

async function startCommand(ctx: CliContext, options: StartOptions): Promise<number | void> {
  const labOptions = {
    devices: await integer('devices', options.devices),
    platforms: options.platforms?.split(',').map((p) => p.trim()).filter(Boolean),
    faults: options.faults,
    quirks: options.quirks,
    seed: await integer('seed', options.seed),
    port: await integer('port', options.port),
    bigConfig: options.bigConfig,
    configBytes: await integer('config-bytes', options.configBytes),
  };
  // Validate before detaching, so a typo fails here and not in a background log.
  const { planLab } = await import('../../lab/plan.js');
  planLab(labOptions);
  if (options.detach) {
    const { startDetachedLab } = await import('../../lab/service.js');
    const args = process.argv.slice(2).filter((a) => a !== '--detach');
    const state = await startDetachedLab({ home: ctx.home, bin: process.argv[1] as string, args });
    reportStarted(ctx, state.pid, state.port, state.devices.length, true);
    return;
  }
  const { serveLab } = await import('../../lab/service.js');
  const served = await serveLab({ ...labOptions, home: ctx.home, store: await ctx.store(), secrets: await ctx.secrets(), logFile: process.env.NETSTACKS_LAB_LOG });
  reportStarted(ctx, process.pid, served.handle.port, served.handle.devices.length, false);
  if (!ctx.out.structured && process.env.NETSTACKS_LAB_LOG === undefined) {
    ctx.out.list(served.handle.devices, [
      { header: 'name', value: (d) => d.name },
      { header: 'host', value: (d) => d.host },
      { header: 'platform', value: (d) => d.platform },
      { header: 'faults', value: (d) => d.faults.join(' ') },
      { header: 'quirks', value: (d) => d.quirks.join(' ') },
    ]);
    ctx.out.info('Ctrl-C stops the lab.');
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
  });
  await served.shutdown();
  ctx.out.info('lab stopped; its devices were removed from the inventory');
}

function reportStarted(ctx: CliContext, pid: number, port: number, devices: number, detached: boolean): void {
  if (ctx.out.structured) ctx.out.data({ running: true, pid, port, devices, detached });
  else ctx.out.info(`lab ${detached ? 'started in the background' : 'running'}: ${devices} devices on port ${port} (pid ${pid}); registered in the inventory with credential 'lab'`);
}

async function statusCommand(ctx: CliContext): Promise<number | void> {
  const { labStatus } = await import('../../lab/service.js');
  const status = labStatus(ctx.home);
  if (ctx.out.structured) {
    ctx.out.data(status);
    return status.running ? 0 : 3;
  }
  if (!status.pid) {
    ctx.out.line('no lab is running for this home');
    return 3;
  }
  ctx.out.record({ running: status.running, pid: status.pid, port: status.port, startedAt: status.startedAt, devices: status.devices.length });
  if (status.running) {
    ctx.out.list(status.devices, [
      { header: 'name', value: (d) => d.name },
      { header: 'host', value: (d) => d.host },
      { header: 'platform', value: (d) => d.platform },
      { header: 'faults', value: (d) => d.faults.join(' ') },
    ]);
  } else ctx.out.warn("the lab process is gone; 'netstacks lab stop' cleans up");
  return status.running ? 0 : 3;
}

async function stopCommand(ctx: CliContext): Promise<number | void> {
  const { stopLab } = await import('../../lab/service.js');
  const result = await stopLab(ctx.home, await ctx.store());
  if (ctx.out.structured) ctx.out.data(result);
  else if (result.wasRunning) ctx.out.info(`lab stopped (pid ${result.pid}); ${result.removedDevices.length} lab devices removed from the inventory`);
  else ctx.out.info(`no lab was running; ${result.removedDevices.length} lab devices removed from the inventory`);
}

async function resetCommand(ctx: CliContext, devices: string[]): Promise<number | void> {
  const { resetLab } = await import('../../lab/service.js');
  const result = await resetLab(ctx.home, devices);
  if (ctx.out.structured) ctx.out.data(result);
  else ctx.out.info(`restored the default config of ${result.reset} lab device${result.reset === 1 ? '' : 's'}`);
}
