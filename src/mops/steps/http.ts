import jmespath from 'jmespath';
import { z } from 'zod';
import { defineStep, type StepContext, type StepOutcome } from './types.js';

/** Header names that carry secrets: they must come from a credential (`auth:`), never the MOP file. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'x-auth-token', 'cookie'];
const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'];
const OUTPUT_LIMIT = 64 * 1024;
const DEFAULT_TIMEOUT_S = 30;

const authSchema = z.union([
  z.string().min(1).transform((credential) => ({ credential, scheme: 'bearer' as const, header: undefined })),
  z
    .object({
      credential: z.string().min(1),
      /** bearer: `Authorization: Bearer TOKEN`; header: `<header>: TOKEN`; basic: a login credential's user and password */
      scheme: z.enum(['bearer', 'header', 'basic']).default('bearer'),
      header: z.string().min(1).optional(),
    })
    .strict()
    .refine((auth) => auth.scheme !== 'header' || auth.header !== undefined, { message: "scheme 'header' needs the header name, e.g. header: X-API-Key" }),
]);

const statusSchema = z.union([z.coerce.number().int().min(100).max(599), z.array(z.coerce.number().int().min(100).max(599)).min(1)]);

export const httpParams = z
  .object({
    url: z
      .string()
      .url()
      .refine((url) => /^https?:/i.test(url), 'only http:// and https:// URLs')
      .refine((url) => !URL.canParse(url) || (!new URL(url).username && !new URL(url).password), 'no user name or password in the URL: use auth: {credential: NAME, scheme: basic}')
      .describe('http:// or https:// URL (templated)'),
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']))
      .default('GET')
      .describe('GET, HEAD, OPTIONS, POST, PUT, PATCH or DELETE (default GET)'),
    headers: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
      .default({})
      .refine((headers) => !Object.keys(headers).some((h) => SECRET_HEADERS.includes(h.toLowerCase())), {
        message: `secret headers (${SECRET_HEADERS.join(', ')}) come from a credential: use auth: {credential: NAME}`,
      })
      .describe('request headers (no secrets: those come from auth)'),
    /** a string is sent as is; anything else as JSON */
    body: z.unknown().optional().describe('a string sent as is, anything else as JSON'),
    auth: authSchema.optional().describe('a token credential name (bearer), or {credential, scheme: bearer|header|basic, header}'),
    /** expected status code(s); default: any 2xx */
    expect_status: statusSchema.optional().describe('expected status code(s); default any 2xx'),
    /** JMESPath expressions over the JSON response that must be truthy */
    assert: z.array(z.string().min(1)).default([]).describe('JMESPath expressions over the JSON answer that must be truthy'),
    /** name → JMESPath expression over the JSON response (as Ansible's json_query) */
    captures: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'capture names are identifiers'), z.string().min(1)).default({}).describe('name: JMESPath expression over the JSON answer'),
    request_timeout: z.coerce.number().positive().max(3600).default(DEFAULT_TIMEOUT_S).describe('seconds to wait for the answer'),
  })
  .strict();

/**
 * `http` (`api_call`, `webhook`): one HTTP request, its status checked, values captured from the
 * JSON answer by JMESPath. Tokens come from token credentials and are masked everywhere. Under
 * --dry-run only GET/HEAD/OPTIONS go out; other methods say what they would send.
 */
export const httpStep = defineStep({
  name: 'http',
  aliases: ['api_call', 'webhook'],
  description: 'an HTTP request: status check, JMESPath captures, token credentials',
  scope: 'any',
  readOnly: false,
  params: httpParams,
  check(params) {
    const problems: string[] = [];
    for (const [name, expression] of Object.entries(params.captures)) {
      const problem = jmespathProblem(expression);
      if (problem) problems.push(`capture '${name}': ${problem}`);
    }
    for (const expression of params.assert) {
      const problem = jmespathProblem(expression);
      if (problem) problems.push(`assert '${expression}': ${problem}`);
    }
    return problems;
  },
  async run(params, ctx) {
    const headers = new Headers(params.headers);
    let body: string | undefined;
    if (params.body !== undefined && params.body !== null) {
      if (typeof params.body === 'string') body = params.body;
      else {
        body = JSON.stringify(params.body);
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      }
    }
    const what = `${params.method} ${params.url}`;
    if (ctx.dryRun && !READ_METHODS.includes(params.method)) {
      return { status: 'passed', changed: true, message: `would send ${what}`, output: body, data: { method: params.method, url: params.url } };
    }
    if (params.auth) await authorize(params.auth, headers, ctx);
    if (!headers.has('accept')) headers.set('accept', 'application/json, */*;q=0.5');

    const timeout = AbortSignal.timeout(params.request_timeout * 1000);
    const started = Date.now();
    let response: Response;
    try {
      response = await fetch(params.url, { method: params.method, headers, body, signal: AbortSignal.any([ctx.signal, timeout]), redirect: 'follow' });
    } catch (error) {
      if (ctx.signal.aborted) return { status: 'failed', message: `${what}: interrupted` };
      if (timeout.aborted) return { status: 'failed', message: `${what}: no answer within ${params.request_timeout} s` };
      return { status: 'failed', message: `${what}: ${networkReason(error)}` };
    }
    const text = await response.text();
    const elapsedMs = Date.now() - started;
    let json: unknown;
    try {
      json = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const output = text.length > OUTPUT_LIMIT ? `${text.slice(0, OUTPUT_LIMIT)}\n… (${text.length - OUTPUT_LIMIT} more characters)` : text;
    const data = { status: response.status, elapsed_ms: elapsedMs, headers: Object.fromEntries(response.headers), json: json ?? null };
    const base: Pick<StepOutcome, 'output' | 'data' | 'changed'> = { output, data, changed: !READ_METHODS.includes(params.method) };

    const expected = params.expect_status === undefined ? undefined : Array.isArray(params.expect_status) ? params.expect_status : [params.expect_status];
    const statusOk = expected ? expected.includes(response.status) : response.status >= 200 && response.status < 300;
    if (!statusOk) {
      return { ...base, status: 'failed', message: `${what}: status ${response.status}, expected ${expected ? expected.join(' or ') : '2xx'}` };
    }
    if (params.assert.length > 0 || Object.keys(params.captures).length > 0) {
      if (json === undefined) return { ...base, status: 'failed', message: `${what}: the answer is not JSON (${response.headers.get('content-type') ?? 'no content type'}), so assert/captures cannot read it` };
      const { search } = jmespath;
      const items = params.assert.map((expression) => {
        const value = search(json as Parameters<typeof search>[0], expression);
        const ok = truthy(value);
        return { item: expression, ok, ...(ok ? {} : { reason: `is ${JSON.stringify(value) ?? 'null'}` }) };
      });
      const captures: Record<string, unknown> = {};
      for (const [name, expression] of Object.entries(params.captures)) captures[name] = search(json as Parameters<typeof search>[0], expression);
      const failed = items.filter((item) => !item.ok);
      if (failed.length > 0) {
        return { ...base, status: 'failed', items, captures, message: `${what}: ${failed.map((f) => `${f.item} ${f.reason}`).join('; ')}` };
      }
      return { ...base, status: 'passed', items, captures, message: `${what}: ${response.status}` };
    }
    return { ...base, status: 'passed', message: `${what}: ${response.status}` };
  },
});

type Auth = z.infer<typeof authSchema>;

async function authorize(auth: Auth, headers: Headers, ctx: StepContext): Promise<void> {
  const { loadToken, loadCredentialSecrets, credentialEnvName } = await import('../../credentials/index.js');
  if (auth.scheme === 'basic') {
    const environment = process.env;
    let username = environment[credentialEnvName(auth.credential, 'USERNAME')];
    let password = environment[credentialEnvName(auth.credential, 'PASSWORD')];
    if (username === undefined || password === undefined) {
      const loaded = await loadCredentialSecrets(ctx.env.db, ctx.env.secrets, auth.credential);
      username = loaded.username;
      password = loaded.password ?? '';
    }
    if (password) ctx.addSecret(password);
    const encoded = Buffer.from(`${username}:${password}`).toString('base64');
    ctx.addSecret(encoded);
    headers.set('authorization', `Basic ${encoded}`);
    return;
  }
  const token = await loadToken(ctx.env.db, ctx.env.secrets, auth.credential);
  ctx.addSecret(token);
  if (auth.scheme === 'header') headers.set(auth.header!, token);
  else headers.set('authorization', `Bearer ${token}`);
}

/** Python/JMESPath truthiness: null, false, 0, '' and empty lists/objects are false. */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  if (cause?.message) return cause.message;
  return (error as Error).message;
}

/** A JMESPath compile error, or undefined. */
export function jmespathProblem(expression: string): string | undefined {
  try {
    // @types/jmespath leaves out compile(), which the package exports: it parses without searching
    (jmespath as unknown as { compile(expression: string): unknown }).compile(expression);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
