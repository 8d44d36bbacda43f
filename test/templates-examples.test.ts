import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { checkTemplates, readVarsFile, TemplateLibrary, TemplateRenderer } from '../src/templates/library/index.js';

const REPO = resolve(import.meta.dirname, '..');
const FOLDER = resolve(REPO, 'templates');
const FIXTURES = resolve(REPO, 'test/fixtures/template-examples');

/**
 * The example templates shipped in templates/ (the next issue's stacks use them) render exactly as
 * Ansible's template module renders them; the expected text is made at test time by Debian's
 * python3-jinja2 with Ansible's ipaddr filters (render.py), never pasted in.
 */
describe('example templates', () => {
  const library = TemplateLibrary.open({ folders: [FOLDER], cwd: FIXTURES });
  const renderer = new TemplateRenderer({ library, defaultEnv: 'ansible' });
  const names = library.list().map((e) => e.file);

  it('have metadata, links that exist, and no problems', () => {
    expect(names.length).toBeGreaterThanOrEqual(10);
    expect(checkTemplates(renderer).problems).toEqual([]);
    const deploy = library.list().filter((e) => renderer.meta(e)?.type === 'deploy');
    expect(deploy.map((e) => e.name).sort()).toEqual(['cisco_ios/bgp-neighbor', 'cisco_ios/interface-descriptions', 'cisco_ios/ntp', 'juniper_junos/bgp-neighbor', 'juniper_junos/ntp']);
  });

  it('render byte for byte as python3-jinja2 with Ansible filters does', async () => {
    const python = spawnSync('/usr/bin/python3', [resolve(FIXTURES, 'render.py'), FOLDER, resolve(FIXTURES, 'vars.yml'), ...names], { encoding: 'utf8' });
    // no skip: without python3-jinja2 and ansible (CI installs both) this fails
    expect(python.status, python.stderr).toBe(0);
    const expected = JSON.parse(python.stdout) as Record<string, string>;
    const context = readVarsFile(resolve(FIXTURES, 'vars.yml'));
    for (const name of names) {
      const result = await renderer.render(name, context);
      expect(result.text, name).toBe(expected[name]);
    }
    expect(expected['cisco_ios/ntp.j2']).toBe('ntp server 192.0.2.10 prefer\nntp server 192.0.2.11\nntp source Loopback0\n');
  });
});
