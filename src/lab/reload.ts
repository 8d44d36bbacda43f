import type { Shell } from './personality.js';
import type { LabPlatform } from './types.js';

/**
 * Reboots for the lab (MOP `reload` steps, code upgrades): the platform's reload command asks its
 * confirmation questions; a yes drops every connection to the device, which then refuses new ones
 * (the socket is closed at once) for the lab's `reloadMs`, and comes back with its config as it was.
 */
interface ReloadSpec {
  /** the command, as typed (abbreviations of each word accepted) */
  command: string;
  /** questions in order; `proceed` matches the answers that go on (anything else cancels) */
  questions: { text: string; proceed: RegExp }[];
  /** printed once confirmed, before the connection drops */
  goodbye: string;
}

const CONFIRM = /^(|y|yes|confirm)$/i;
const YES = /^(y|yes)$/i;

const SPECS: Partial<Record<LabPlatform, ReloadSpec>> = {
  cisco_ios: { command: 'reload', questions: [{ text: 'Proceed with reload? [confirm]', proceed: CONFIRM }], goodbye: '\n*Reload requested by netstacks on vty0. Reload Reason: Reload Command.\n' },
  cisco_xe: { command: 'reload', questions: [{ text: 'Proceed with reload? [confirm]', proceed: CONFIRM }], goodbye: '\n*Reload requested by netstacks on vty0. Reload Reason: Reload Command.\n' },
  cisco_xr: { command: 'reload', questions: [{ text: 'Proceed with reload? [confirm]', proceed: CONFIRM }], goodbye: '\nPreparing system for backup. This may take a few minutes especially for large configurations.\n' },
  arista_eos: { command: 'reload', questions: [{ text: 'Proceed with reload? [confirm]', proceed: CONFIRM }], goodbye: '\nBroadcast message from root: The system is going down for reboot NOW!\n' },
  cisco_nxos: { command: 'reload', questions: [{ text: 'This command will reboot the system. (y/n)?  [n] ', proceed: YES }], goodbye: '\n[ 1234.567890] Rebooting...\n' },
  juniper_junos: { command: 'request system reboot', questions: [{ text: 'Reboot the system ? [yes,no] (no) ', proceed: YES }], goodbye: '\nShutdown NOW!\n*** FINAL System shutdown message from netstacks@lab ***\nSystem going down IMMEDIATELY\n' },
  aruba_aoscx: {
    command: 'boot system',
    questions: [{ text: 'This will reboot the entire switch and render it unavailable until the process is complete.\nContinue (y/n)? ', proceed: YES }],
    goodbye: '\nThe system is going down for reboot.\n',
  },
  fortinet: { command: 'execute reboot', questions: [{ text: 'This operation will reboot the system !\nDo you want to continue? (y/n)', proceed: YES }], goodbye: '\nThe system is going down NOW !!\n' },
  paloalto_panos: {
    command: 'request restart system',
    questions: [{ text: 'Executing this command will disconnect the current session. Do you want to continue (y or n)? ', proceed: YES }],
    goodbye: '\nBroadcast message from root: The system is going down for reboot NOW!\n',
  },
  hp_procurve: { command: 'reload', questions: [{ text: 'Device will be rebooted, do you want to continue [y/n]? ', proceed: YES }], goodbye: '\n' },
};

function matches(spec: ReloadSpec, line: string): boolean {
  const typed = line.trim().split(/\s+/);
  const words = spec.command.split(' ');
  return typed.length === words.length && typed.every((w, i) => w.length > 0 && words[i]!.startsWith(w.toLowerCase()) && (w.length >= 3 || w === words[i]));
}

/**
 * Answers a reload command typed at an interactive prompt: 'no' when the line is not one (the
 * personality runs it), 'handled' when it was cancelled, 'rebooted' when the session is over.
 */
export async function labReload(platform: LabPlatform, line: string, shell: Shell, reboot: () => void): Promise<'no' | 'handled' | 'rebooted'> {
  const spec = SPECS[platform];
  if (!spec || !matches(spec, line)) return 'no';
  for (const question of spec.questions) {
    const answer = await shell.ask(question.text);
    if (answer === null) return 'handled';
    if (!question.proceed.test(answer.trim())) {
      await shell.print('Reload cancelled.\n');
      return 'handled';
    }
  }
  await shell.print(spec.goodbye);
  reboot();
  shell.exit();
  return 'rebooted';
}
