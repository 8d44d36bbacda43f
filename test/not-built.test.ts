import { afterAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, tempHome } from './helpers/cli.js';

const { home: checkout, cleanup } = tempHome('netstacks-unbuilt-');
afterAll(cleanup);

it('bin/netstacks.js in a checkout that was never built says to run npm install, in one line', () => {
  mkdirSync(join(checkout, 'bin'));
  copyFileSync(BIN, join(checkout, 'bin', 'netstacks.js'));
  writeFileSync(join(checkout, 'package.json'), JSON.stringify({ name: 'netstacks', type: 'module' }));
  const result = spawnSync(process.execPath, [join(checkout, 'bin', 'netstacks.js'), 'device', 'list'], { encoding: 'utf8' });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe("netstacks is not built yet: run 'npm install' (or 'npm run build') in the netstacks folder first\n");
  expect(result.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|at .*\.js/);
});
