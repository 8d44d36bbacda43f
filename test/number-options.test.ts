import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeNumber, parseNumber } from '../src/core/numbers.js';
import { runCli, tempHome } from './helpers/cli.js';

describe('one number parser', () => {
  it('describes its rules and throws usage (2) for options, invalid input (4) for values', () => {
    expect(describeNumber({ integer: true, min: 1, max: 65535 })).toBe('a whole number from 1 to 65535');
    expect(describeNumber({ above: 0, unit: 'seconds' })).toBe('a number greater than 0 (seconds)');
    expect(parseNumber('2.5', '--timeout', { above: 0 }, 'option')).toBe(2.5);
    expect(parseNumber(7, 'x', { integer: true })).toBe(7);
    expect(() => parseNumber('ten', '--timeout', { above: 0 }, 'option')).toThrow(expect.objectContaining({ exitCode: 2, message: "invalid value 'ten' for --timeout: expected a number greater than 0" }));
    expect(() => parseNumber(0, "setting 'concurrency'", { integer: true, min: 1, max: 1000 })).toThrow(
      expect.objectContaining({ exitCode: 4, message: "invalid value 0 for setting 'concurrency': expected a whole number from 1 to 1000" }),
    );
    expect(() => parseNumber('', '--port', {}, 'option')).toThrow(/invalid value '' for --port/);
  });
});

describe('number options from the CLI', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  const run = (...args: string[]) => runCli(args, { home });

  it('a bad option exits 2 with one message shape, whichever command has it', async () => {
    const cases: Array<[string[], string]> = [
      [['run', 'show clock', '--concurrency', '0'], "invalid value '0' for --concurrency: expected a whole number of at least 1"],
      [['run', 'show clock', '--timeout', 'soon'], "invalid value 'soon' for --timeout: expected a number greater than 0 (seconds)"],
      [['netbox', 'sync', '--url', 'http://127.0.0.1:9', '--page-size', '1.5'], "invalid value '1.5' for --page-size: expected a whole number of at least 1"],
      [['netbox', 'sync', '--url', 'http://127.0.0.1:9', '--timeout', '-1'], "invalid value '-1' for --timeout: expected a number greater than 0 (seconds)"],
      [['device', 'add', 'r1', '--host', '192.0.2.1', '--port', '70000'], "invalid value '70000' for --port: expected a whole number from 1 to 65535"],
      [['group', 'add', 'g', '--priority', 'high'], "invalid value 'high' for --priority: expected a whole number"],
      [['lab', 'start', '--devices', 'many'], "invalid value 'many' for --devices: expected a whole number of at least 0"],
    ];
    for (const [args, message] of cases) {
      const result = await run(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(`error: ${message}`);
    }
  });

  it('a bad value in a file or a setting exits 4 with the same shape', async () => {
    const setting = await run('settings', 'set', 'timeouts.command', 'ten');
    expect(setting.code).toBe(4);
    expect(setting.stderr).toContain("invalid value 'ten' for setting 'timeouts.command': expected a number from 0.1 to 86400 (seconds)");
    const file = join(home, 'inv.yaml');
    writeFileSync(file, 'devices:\n  - name: r9\n    host: 192.0.2.9\n    port: 0\n');
    const imported = await run('inventory', 'import', file);
    expect(imported.code).toBe(4);
    expect(imported.stderr).toContain('port');
    // a value stored in the database and read back
    expect((await run('settings', 'get', 'concurrency')).code).toBe(0);
    const db = new Database(join(home, 'netstacks.db'));
    db.prepare("insert into settings (key, value, updated_at) values ('concurrency', '5000', 'now')").run();
    db.close();
    const stored = await run('settings', 'get', 'concurrency');
    expect(stored.code).toBe(4);
    expect(stored.stderr).toContain("stored invalid value 5000 for setting 'concurrency': expected a whole number from 1 to 1000");
  });
});
