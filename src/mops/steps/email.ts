import { z } from 'zod';
import { defineStep, type StepContext } from './types.js';

const addresses = z.union([z.string().min(1).transform((value) => value.split(',').map((a) => a.trim()).filter(Boolean)), z.array(z.string().min(1))]);

export const emailParams = z
  .object({
    to: addresses.describe('recipients: a list, or addresses separated by commas'),
    cc: addresses.optional().describe('copy recipients'),
    subject: z.string().min(1).refine((s) => !/[\r\n]/.test(s), 'the subject is one line').describe('the subject line (templated)'),
    body: z.unknown().refine((b) => b !== undefined && b !== null, 'an email step needs a body').describe('the text (templated); not a string: sent as JSON'),
    /** send the body as HTML (a plain-text part is derived by the mail client) */
    html: z.boolean().default(false).describe('send the body as HTML'),
    /** overrides the email.from setting */
    from: z.string().min(3).optional().describe('sender; default: the email.from setting'),
  })
  .strict();

/**
 * `email`: a mail through the SMTP server of the `email.*` settings (nodemailer). The server login
 * is the `email.credential` credential: its password stays in the keychain or vault (or, in CI,
 * NETSTACKS_CREDENTIAL_<NAME>_USERNAME/_PASSWORD) and is masked everywhere.
 */
export const emailStep = defineStep({
  name: 'email',
  description: 'send an e-mail through the SMTP server of the email.* settings',
  scope: 'any',
  readOnly: false,
  params: emailParams,
  async run(params, ctx) {
    const settings = ctx.env.settings.email;
    const body = typeof params.body === 'string' ? params.body : JSON.stringify(params.body, null, 2);
    const from = params.from ?? settings.from;
    const recipients = [...params.to, ...(params.cc ?? [])].join(', ');
    if (!settings.host) {
      return { status: 'failed', message: "no SMTP server: set it with 'netstacks settings set email.smtp_host HOST' (and email.from, email.credential)" };
    }
    if (!from) return { status: 'failed', message: "no sender: set 'netstacks settings set email.from ADDRESS' or give from: in the step" };
    if (ctx.dryRun) return { status: 'passed', message: `would mail '${params.subject}' to ${recipients} via ${settings.host}:${settings.port}`, output: body };

    let auth: { user: string; pass: string } | undefined;
    try {
      auth = settings.credential ? await smtpLogin(settings.credential, ctx) : undefined;
    } catch (error) {
      return { status: 'failed', message: `SMTP login (email.credential): ${(error as Error).message}` };
    }
    // nodemailer is CommonJS: in the bundle a dynamic import may hold it under `default` only
    const nodemailer = (await import('nodemailer')) as typeof import('nodemailer') & { default?: typeof import('nodemailer') };
    const createTransport = nodemailer.createTransport ?? nodemailer.default!.createTransport;
    const transport = createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.tls === 'tls',
      requireTLS: settings.tls === 'starttls',
      ignoreTLS: settings.tls === 'none',
      ...(auth ? { auth } : {}),
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
    const abort = () => transport.close();
    ctx.signal.addEventListener('abort', abort, { once: true });
    try {
      const info = await transport.sendMail({
        from,
        to: params.to,
        ...(params.cc ? { cc: params.cc } : {}),
        subject: params.subject,
        ...(params.html ? { html: body } : { text: body }),
        headers: { 'X-NetStacks-Step': ctx.stepId },
      });
      const accepted = info.accepted.map(String);
      const rejected = info.rejected.map(String);
      ctx.log(`mail '${params.subject}' sent to ${accepted.join(', ')}`);
      if (rejected.length > 0) return { status: 'failed', message: `the server refused ${rejected.join(', ')}`, data: { messageId: info.messageId, accepted, rejected } };
      return { status: 'passed', message: `mailed '${params.subject}' to ${accepted.join(', ')}`, output: body, data: { messageId: info.messageId, accepted, rejected } };
    } catch (error) {
      if (ctx.signal.aborted) return { status: 'failed', message: 'interrupted while sending the mail' };
      return { status: 'failed', message: `cannot send mail via ${settings.host}:${settings.port}: ${smtpReason(error)}` };
    } finally {
      ctx.signal.removeEventListener('abort', abort);
      transport.close();
    }
  },
});

async function smtpLogin(credential: string, ctx: StepContext): Promise<{ user: string; pass: string }> {
  const { credentialEnvName, loadCredentialSecrets } = await import('../../credentials/index.js');
  const user = process.env[credentialEnvName(credential, 'USERNAME')];
  const pass = process.env[credentialEnvName(credential, 'PASSWORD')];
  if (user !== undefined && pass !== undefined) {
    ctx.addSecret(pass);
    return { user, pass };
  }
  const loaded = await loadCredentialSecrets(ctx.env.db, ctx.env.secrets, credential);
  if (loaded.password === undefined) throw new Error(`credential '${credential}' (email.credential) has no password for the SMTP login`);
  ctx.addSecret(loaded.password);
  return { user: loaded.username, pass: loaded.password };
}

/** nodemailer's error, without anything it may echo of the login. */
function smtpReason(error: unknown): string {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  if (e.code === 'EAUTH') return `login refused${e.responseCode ? ` (${e.responseCode})` : ''}; check the credential named by email.credential`;
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET') return `no connection (${e.message ?? e.code})`;
  if (e.code === 'ETIMEDOUT') return 'timed out';
  if (e.response) return e.response;
  return e.message ?? String(error);
}
