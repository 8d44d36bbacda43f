import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, tempHome } from './helpers/cli.js';

/**
 * `netstacks ... | head`: the reader leaves early and the CLI's next write to stdout fails with
 * EPIPE. It must stop quietly (no 'Unhandled error' trace, exit 0), as Unix tools do.
 * Needs `npm run build` first.
 */
const temp = tempHome('netstacks-epipe-');
afterAll(() => temp.cleanup());

function pipeline(reader: string): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync('bash', ['-o', 'pipefail', '-c', `node "${BIN}" --home "${temp.home}" platform list | ${reader}`], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('a closed stdout pipe', () => {
  it('a reader that never reads (| true): quiet exit 0', () => {
    const r = pipeline('true');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
