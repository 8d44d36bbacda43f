import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCredential } from '../src/credentials/index.js';
import { emailStep } from '../src/mops/steps/email.js';
import { setSetting } from '../src/settings/index.js';
import { liteHarness, type LiteHarness } from './helpers/mop-step-context-lite.js';

const PASSWORD = 'smtp-pw-8c21e0';

interface Received {
  from: string;
  to: string[];
  raw: string;
  user?: string;
}

let harness: LiteHarness;
let sink: SMTPServer;
let port: number;
const received: Received[] = [];
const logins: { user: string; pass: string }[] = [];

beforeAll(async () => {
  harness = await liteHarness();
  // a local SMTP sink on loopback: plain text (email.tls none), login required
  sink = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    onAuth(auth, _session, callback) {
      logins.push({ user: auth.username ?? '', pass: auth.password ?? '' });
      if (auth.username === 'mailer' && auth.password === PASSWORD) callback(null, { user: 'mailer' });
      else callback(new Error('invalid login'));
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, user: session.user as string | undefined });
        callback();
      });
    },
    logger: false,
  });
  await new Promise<void>((done) => sink.listen(0, '127.0.0.1', done));
  port = (sink.server.address() as AddressInfo).port;
  const ctx = await harness.context();
  await addCredential(ctx.store, ctx.env.secrets, { name: 'smtp-login', username: 'mailer', password: PASSWORD });
  for (const [key, value] of [['email.smtp_host', '127.0.0.1'], ['email.smtp_port', String(port)], ['email.tls', 'none'], ['email.from', 'NetStacks <netstacks@example.net>'], ['email.credential', 'smtp-login']]) {
    await setSetting(ctx.store, key!, value!);
  }
});

afterAll(async () => {
  await new Promise<void>((done) => sink.close(() => done()));
  await harness.cleanup();
});

describe('email step', () => {
  it('delivers the mail to the SMTP server with the subject and body, logging in with the credential', async () => {
    const { outcome, ctx } = await harness.run(emailStep, { to: 'noc@example.net, oncall@example.net', subject: 'MOP ntp-rollout: r1 done', body: 'All checks passed on r1.\nNext: r2.' }, { stepId: 'notify' });
    expect(outcome.status, outcome.message).toBe('passed');
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.from).toBe('netstacks@example.net');
    expect(mail.to).toEqual(['noc@example.net', 'oncall@example.net']);
    expect(mail.user).toBe('mailer');
    expect(mail.raw).toMatch(/^Subject: MOP ntp-rollout: r1 done\r$/m);
    expect(mail.raw).toMatch(/^X-NetStacks-Step: notify\r$/im);
    expect(mail.raw).toContain('All checks passed on r1.\r\nNext: r2.');
    expect(ctx.secretsAdded).toContain(PASSWORD);
    expect(JSON.stringify(outcome)).not.toContain(PASSWORD);
  });

  it('fails with the reason when the server refuses the login, never showing the password', async () => {
    const ctx = await harness.context();
    await addCredential(ctx.store, ctx.env.secrets, { name: 'smtp-wrong', username: 'mailer', password: 'wrong-pw-1' });
    await setSetting(ctx.store, 'email.credential', 'smtp-wrong');
    try {
      const { outcome } = await harness.run(emailStep, { to: ['noc@example.net'], subject: 's', body: 'b' });
      expect(outcome.status).toBe('failed');
      expect(outcome.message).toMatch(/login refused .*email\.credential/);
      expect(outcome.message).not.toContain('wrong-pw-1');
      expect(received).toHaveLength(1);
    } finally {
      await setSetting(ctx.store, 'email.credential', 'smtp-login');
    }
  });

  it('without an SMTP server setting, fails and says which setting to set; dry-run sends nothing', async () => {
    const dry = await harness.run(emailStep, { to: 'noc@example.net', subject: 'x', body: 'y' }, { dryRun: true });
    expect(dry.outcome.message).toBe(`would mail 'x' to noc@example.net via 127.0.0.1:${port}`);
    expect(received).toHaveLength(1);
    const ctx = await harness.context();
    await setSetting(ctx.store, 'email.smtp_host', '');
    const { outcome } = await harness.run(emailStep, { to: 'noc@example.net', subject: 'x', body: 'y' });
    expect(outcome).toMatchObject({ status: 'failed', message: expect.stringContaining('settings set email.smtp_host') });
  });
});
