import { afterAll, expect, it } from 'vitest';
import { runCli, runJson, tempHome } from './helpers/cli.js';

const { home, cleanup } = tempHome('netstacks-edit-race-');
afterAll(cleanup);

it('concurrent device edits each read and write in one transaction, so none is lost', { timeout: 120_000 }, async () => {
  expect((await runCli(['device', 'add', 'r1', '--host', '192.0.2.1', '--tag', 'base'], { home })).code).toBe(0);
  const tags = Array.from({ length: 12 }, (_, i) => `t${i}`);
  const results = await Promise.all(tags.map((tag, i) => runCli(['device', 'edit', 'r1', '--tag', tag, '--var', `v${i}=${i}`], { home, timeoutMs: 90_000 })));
  for (const r of results) expect(r.code, r.stderr).toBe(0);
  const shown = await runJson<{ tags: string[]; variables: Record<string, number> }>(['device', 'show', 'r1'], { home });
  expect([...shown.data.tags].sort()).toEqual(['base', ...tags].sort());
  expect(Object.keys(shown.data.variables).length).toBe(12);
});
