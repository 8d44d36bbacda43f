import { z } from 'zod';
import type { Interaction } from '../../platforms/types.js';
import { defineStep } from './types.js';
import { sleep } from '../checks/judge.js';

/** Each platform's reboot command and the questions it asks on the way (answered yes; "save?" per `save`). */
const RELOAD: Record<string, { command: string; interactions: (save: boolean) => Interaction[] }> = {
  cisco_ios: { command: 'reload', interactions: (save) => [{ pattern: 'Save\\? \\[yes/no', respond: save ? 'yes' : 'no' }, { pattern: 'Proceed with reload\\? \\[confirm\\]', respond: '' }] },
  cisco_xe: { command: 'reload', interactions: (save) => [{ pattern: 'Save\\? \\[yes/no', respond: save ? 'yes' : 'no' }, { pattern: 'Proceed with reload\\? \\[confirm\\]', respond: '' }] },
  cisco_xr: { command: 'reload', interactions: () => [{ pattern: 'Proceed with reload\\? \\[confirm\\]', respond: '' }] },
  arista_eos: { command: 'reload', interactions: (save) => [{ pattern: 'Save\\? \\[yes/no', respond: save ? 'yes' : 'no' }, { pattern: 'Proceed with reload\\? \\[confirm\\]', respond: '' }] },
  cisco_nxos: { command: 'reload', interactions: () => [{ pattern: 'reboot the system\\. \\(y/n\\)\\?', respond: 'y' }] },
  juniper_junos: { command: 'request system reboot', interactions: () => [{ pattern: 'Reboot the system \\? \\[yes,no\\]', respond: 'yes' }] },
  aruba_aoscx: { command: 'boot system', interactions: (save) => [{ pattern: 'save the current configuration \\(y/n\\)\\?', respond: save ? 'y' : 'n' }, { pattern: 'Continue \\(y/n\\)\\?', respond: 'y' }] },
  fortinet: { command: 'execute reboot', interactions: () => [{ pattern: 'Do you want to continue\\? \\(y/n\\)', respond: 'y' }] },
  paloalto_panos: { command: 'request restart system', interactions: () => [{ pattern: 'Do you want to continue ?\\(y or n\\)\\?', respond: 'y' }] },
  hp_procurve: { command: 'reload', interactions: (save) => [{ pattern: 'save the current configuration \\[y/n\\]', respond: save ? 'y' : 'n' }, { pattern: 'do you want to continue \\[y/n\\]\\?', respond: 'y' }] },
};

const params = z
  .object({
    /** answer "save the configuration?" with yes (default no: a config step saves explicitly) */
    save: z.boolean().default(false),
    /** how long the device may take to answer SSH again (seconds) */
    wait_timeout: z.number().positive().default(900),
    /** seconds between connection attempts while it reboots */
    poll: z.number().positive().default(10),
    /** seconds to wait before the first attempt (the device is still going down) */
    initial_delay: z.number().nonnegative().default(0),
  })
  .strict();

/**
 * `reload`: reboots the device (its confirmation prompts answered), waits until it answers SSH
 * again and reconnects: the next steps get a fresh session. Under --dry-run it says so and does
 * nothing. Code upgrades need it.
 */
export const reloadStep = defineStep({
  name: 'reload',
  aliases: ['reboot'],
  description: 'reboot the device, wait until it answers SSH again, reconnect',
  scope: 'device',
  readOnly: false,
  params,
  async run(p, ctx) {
    const session = await ctx.session();
    const spec = RELOAD[session.platform.name];
    if (!spec) return { status: 'failed', message: `no reload procedure for platform ${session.platform.name}` };
    if (ctx.dryRun) return { status: 'passed', message: `dry-run: would send '${spec.command}' and wait up to ${p.wait_timeout}s for the device to come back`, changed: true };
    if (!session.sendInteractive) return { status: 'failed', message: `this session cannot answer the reload prompts of ${session.platform.name}` };
    const started = Date.now();
    const answer = await session.sendInteractive(spec.command, { interactions: spec.interactions(p.save), expectClose: true, timeoutMs: 120_000 });
    if (!answer.closed) {
      return { status: 'failed', message: `'${spec.command}' did not reboot the device: ${answer.output.trim().split('\n').pop() ?? 'it came back to the prompt'}`, output: answer.output };
    }
    ctx.log(`${spec.command}: connection dropped, waiting for the device to come back`);
    await ctx.resetSession();
    if (p.initial_delay > 0) await sleep(p.initial_delay * 1000, ctx.signal);
    const deadline = started + p.wait_timeout * 1000;
    let attempts = 0;
    let last = '';
    for (;;) {
      attempts++;
      try {
        await ctx.session();
        break;
      } catch (error) {
        last = (error as Error).message;
        await ctx.resetSession();
        if (Date.now() + p.poll * 1000 > deadline) {
          return { status: 'failed', message: `the device did not answer SSH within ${p.wait_timeout}s after '${spec.command}' (${attempts} attempt(s); last: ${last})` };
        }
        await sleep(p.poll * 1000, ctx.signal);
      }
    }
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    return { status: 'passed', message: `reloaded; back after ${seconds}s (${attempts} connection attempt(s))`, changed: true, data: { seconds, attempts } };
  },
});
