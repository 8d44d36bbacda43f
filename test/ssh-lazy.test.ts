import { createRequire } from 'node:module';
import { expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const ssh2Loaded = () => Object.keys(require.cache).some((path) => path.includes('/node_modules/ssh2/'));

it('importing the ssh module does not load ssh2; the first connect does', async () => {
  const ssh = await import('../src/ssh/index.js');
  expect(typeof ssh.connectSsh).toBe('function');
  expect(ssh2Loaded()).toBe(false);
  await ssh
    .connectSsh({
      label: 'x',
      host: '127.0.0.1',
      port: 1,
      auth: { username: 'u' },
      hostKeys: { knownHostsFile: '/nonexistent/kh', strict: true },
      timeouts: { connect: 500, banner: 500, auth: 500 },
    })
    .catch(() => undefined);
  expect(ssh2Loaded()).toBe(true);
});
