import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runCli, runJson, tempHome } from './helpers/cli.js';

/** netbox.verify_tls=false against a local HTTPS NetBox with a self-signed certificate (made here with the openssl CLI). */
const { home, cleanup } = tempHome('netstacks-netbox-tls-');
const TOKEN = 'tls-test-token-0123456789';
let server: Server;
let url = '';
let requests = 0;

beforeAll(async () => {
  const key = join(home, 'key.pem');
  const cert = join(home, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    requests++;
    if (req.headers.authorization !== `Token ${TOKEN}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"detail":"bad token"}');
      return;
    }
    const page = new URL(req.url ?? '/', 'https://x').searchParams.get('offset') === '1' ? 2 : 1;
    const device = { id: page, name: `tls-${page}`, platform: { slug: 'arista-eos' }, primary_ip4: { address: `192.0.2.${page}/24` }, tags: [] };
    const next = page === 1 ? `${url}/api/dcim/devices/?limit=1&offset=1` : null;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ count: 2, next, previous: null, results: [device] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  cleanup();
});

describe('NetBox over HTTPS with a self-signed certificate', () => {
  const env = { NETBOX_TOKEN: TOKEN };

  it('is refused while netbox.verify_tls is true, with a hint naming the setting', async () => {
    const result = await runCli(['netbox', 'sync', '--url', url], { home, env });
    expect(result.code).toBe(8);
    expect(result.stderr).toMatch(/cannot reach NetBox at https:\/\/127\.0\.0\.1:\d+: .*(SELF_SIGNED|self[- ]signed)/i);
    expect(result.stderr).toContain('netbox.verify_tls false');
  });

  it('syncs with netbox.verify_tls=false, warning once however many pages', async () => {
    expect((await runCli(['settings', 'set', 'netbox.verify_tls', 'false'], { home })).code).toBe(0);
    const before = requests;
    const result = await runJson<{ added: string[]; pages: number }>(['netbox', 'sync', '--url', url, '--page-size', '1'], { home, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.data.added).toEqual(['tls-1', 'tls-2']);
    expect(result.data.pages).toBe(2);
    expect(requests - before).toBe(2);
    expect(result.stderr.match(/not verifying the TLS certificate/g)).toHaveLength(1);
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('still reports HTTP errors through the insecure path', async () => {
    const result = await runCli(['netbox', 'sync', '--url', url], { home, env: { NETBOX_TOKEN: 'wrong-token' } });
    expect(result.code).toBe(8);
    expect(result.stderr).toContain('NetBox answered 401');
  });
});
