import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { completionData } from '../src/cli/completion.js';
import { runCli, tempHome } from './helpers/cli.js';

/** Completion scripts run in the real shells, asked the way each shell asks. Needs `npm run build`. */
const { home, cleanup } = tempHome('netstacks-completion-');
const has = (shell: string): boolean => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
const env = { ...process.env, NETSTACKS_HOME: home };
const script = (shell: string): string => join(home, `netstacks.${shell}`);

beforeAll(async () => {
  for (const args of [
    ['device', 'add', 'core-r1', '--host', '10.0.0.1', '--site', 'lon', '--tag', 'core', '--role', 'spine'],
    ['device', 'add', 'core-r2', '--host', '10.0.0.2', '--site', 'par', '--tag', 'edge'],
    ['device', 'add', 'alpha-1', '--host', '10.0.0.3', '--site', 'lon'],
    ['group', 'add', 'access'],
    ['credential', 'add', 'lab-admin', '--username', 'u', '--secrets-stdin'],
  ]) {
    const r = await runCli(args, { home, input: 'password: p\n' });
    expect(r.code, r.stderr).toBe(0);
  }
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await runCli(['completion', shell], { home });
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(script(shell), r.stdout);
  }
});
afterAll(cleanup);

/** bash: COMP_WORDS / COMP_CWORD set as bash sets them, then the function `complete -F` names. */
function bash(...words: string[]): string[] {
  const program = `source ${script('bash')}
COMP_WORDS=(${words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ')}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=()
$(complete -p netstacks | sed -E 's/.* -F ([^ ]+) .*/\\1/')
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', program], { env, encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('bash', () => {
  it('completes commands, subcommands and options from the commander program', () => {
    expect(bash('netstacks', 'dev')).toEqual(['device']);
    expect(bash('netstacks', 'de').sort()).toEqual(['deploy', 'device']);
    expect(bash('netstacks', 'device', '')).toEqual(expect.arrayContaining(['add', 'list', 'show', 'edit', 'rm', 'override', 'test', 'trust']));
    expect(bash('netstacks', 'pl')).toEqual(['platform']);
    expect(bash('netstacks', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(bash('netstacks', 'device', 'edit', 'core-r1', '--un')).toEqual(expect.arrayContaining(['--untag', '--unset-var', '--ungroup']));
    expect(bash('netstacks', 'run', 'x', '--con')).toEqual(['--concurrency']);
  });

  it('completes device, group and credential names, setting keys and platforms', () => {
    expect(bash('netstacks', 'device', 'show', 'core')).toEqual(['core-r1', 'core-r2']);
    expect(bash('netstacks', 'device', 'edit', 'core-r1', '--group', 'ac')).toEqual(['access']);
    expect(bash('netstacks', 'group', 'add-device', 'access', 'al')).toEqual(['alpha-1']);
    expect(bash('netstacks', 'device', 'add', 'x', '--credential', 'lab')).toEqual(['lab-admin']);
    expect(bash('netstacks', 'settings', 'set', 'timeouts.')).toEqual(expect.arrayContaining(['timeouts.prompt', 'timeouts.banner']));
    expect(bash('netstacks', 'device', 'add', 'x', '--platform', 'juniper')).toEqual(['juniper_junos']);
    expect(bash('netstacks', 'platform', 'show', 'fort')).toEqual(['fortinet', 'fortios', 'fortigate']);
    expect(bash('netstacks', '--home', home, 'device', 'rm', 'alp')).toEqual(['alpha-1']);
  });

  it('completes --on field prefixes and their values', () => {
    expect(bash('netstacks', 'run', 'x', '--on', 'si')).toEqual(['site:']);
    expect(bash('netstacks', 'run', 'x', '--on', 'site:')).toEqual(['site:lon', 'site:par']);
    expect(bash('netstacks', 'run', 'x', '--on', 'tag:e')).toEqual(['tag:edge']);
    expect(bash('netstacks', 'run', 'x', '--on', "'site:lon and role:")).toEqual(["'site:lon and role:spine"]);
    expect(bash('netstacks', 'device', 'list', '--on', 'platform:cisco_x')).toEqual(['platform:cisco_xe', 'platform:cisco_xr']);
  });

  it('follows inventory changes through the names cache', async () => {
    expect((await runCli(['device', 'add', 'core-r3', '--host', '10.0.0.9'], { home })).code).toBe(0);
    expect(bash('netstacks', 'device', 'show', 'core')).toEqual(['core-r1', 'core-r2', 'core-r3']);
    expect((await runCli(['device', 'rm', 'core-r3', '--yes'], { home })).code).toBe(0);
    expect(bash('netstacks', 'device', 'show', 'core')).toEqual(['core-r1', 'core-r2']);
    expect(readFileSync(join(home, 'completion', 'groups'), 'utf8')).toBe('access\n');
  });
});

describe.skipIf(!has('zsh'))('zsh (bashcompinit), driven through zpty like a user pressing Tab', () => {
  const complete = (line: string): string => {
    const driver = `zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z 'autoload -U compinit && compinit -u; source ${script('zsh')}; PS1="> "'
sleep 0.5
zpty -r -t z junk
zpty -w -n z $'${line}\\t'
sleep 1
zpty -r -t z out
print -r -- "$out"
zpty -d z`;
    return execFileSync('zsh', ['-f', '-c', driver], { env, encoding: 'utf8', timeout: 20_000 }).replace(/\x1b\[[0-9;?]*[A-Za-z]|\r|\x07|.\x08/g, '');
  };

  it('completes a subcommand, a device name and a platform', () => {
    expect(complete('netstacks device ed')).toContain('netstacks device edit ');
    expect(complete('netstacks device show alp')).toContain('netstacks device show alpha-1 ');
    expect(complete('netstacks device add x --platform paloalto')).toContain('--platform paloalto_panos ');
  });
});

describe.skipIf(!has('fish'))('fish (complete -C)', () => {
  const fish = (line: string): string[] =>
    execFileSync('fish', ['-c', `source ${script('fish')}; complete -C ${JSON.stringify(line)}`], { env, encoding: 'utf8' }).split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);

  it('completes commands, names, options, platforms and --on fields', () => {
    expect(fish('netstacks device ed')).toEqual(['edit']);
    expect(fish('netstacks device show core')).toEqual(['core-r1', 'core-r2']);
    expect(fish('netstacks group add-device access al')).toEqual(['alpha-1']);
    expect(fish('netstacks device edit core-r1 --unt')).toEqual(['--untag']);
    expect(fish('netstacks settings get netbox.v')).toEqual(['netbox.verify_tls']);
    expect(fish('netstacks run x --on site:')).toEqual(['site:lon', 'site:par']);
    expect(fish('netstacks device add x --platform aruba').sort()).toEqual(['aruba_aoscx', 'aruba_procurve', 'arubaos_cx']);
  });
});

describe('the command tree comes from the program', () => {
  it('includes a command registered later, with its options and argument kinds', () => {
    const program = new Command('netstacks');
    program.command('backup').command('show <device>').option('--on <expr>', 'selection').option('--since <date>', 'date');
    const data = completionData(program, { platforms: [], settings: [], onFields: [] });
    const show = data.commands.find((c) => c.path === 'backup show')!;
    expect(show.args).toEqual(['devices']);
    expect(show.valueOptions).toEqual({ '--on': 'on', '--since': 'none' });
    expect(data.commands.find((c) => c.path === 'backup')!.subcommands).toEqual(['show']);
  });
});
