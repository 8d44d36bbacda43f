import { NetworkError, UsageError } from '../core/errors.js';
import type { NetboxDevice, NetboxPage } from './types.js';

export interface NetboxFetchOptions {
  /** NetBox base URL, e.g. https://netbox.example.com (a trailing /api is accepted) */
  url: string;
  token: string;
  /** extra query parameters, e.g. [['site', 'lon'], ['status', 'active']] */
  filters?: ReadonlyArray<readonly [string, string]>;
  pageSize?: number;
  /** per request */
  timeoutMs?: number;
  fetch?: typeof fetch;
  onPage?: (fetched: number, total: number | undefined) => void;
}

export interface NetboxFetchResult {
  devices: NetboxDevice[];
  pages: number;
}

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Every device from `/api/dcim/devices/`, following `next` links until null. The token goes in
 * the Authorization header only, never in a URL, and is masked in anything built from a reply.
 */
export async function fetchNetboxDevices(options: NetboxFetchOptions): Promise<NetboxFetchResult> {
  const base = netboxBaseUrl(options.url);
  const first = new URL(`${base.href}api/dcim/devices/`);
  first.searchParams.set('limit', String(options.pageSize ?? DEFAULT_PAGE_SIZE));
  for (const [key, value] of options.filters ?? []) first.searchParams.append(key, value);

  const mask = (text: string): string => maskSecret(text, options.token);
  const devices: NetboxDevice[] = [];
  const seen = new Set<string>();
  let next: URL | null = first;
  let pages = 0;
  while (next) {
    if (seen.has(next.href)) throw new NetworkError(`NetBox pagination loops back to ${mask(next.href)}`, 'check the NetBox BASE_PATH and proxy settings');
    seen.add(next.href);
    const page = await fetchPage(next, options, mask);
    devices.push(...page.results);
    pages++;
    options.onPage?.(devices.length, page.count);
    next = page.next ? sameOrigin(page.next, base) : null;
  }
  return { devices, pages };
}

/** The base URL with a trailing slash and without a trailing `api/`. */
export function netboxBaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new UsageError(`'${url}' is not a URL`, 'give the NetBox base URL, e.g. --url https://netbox.example.com');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`'${url}' is not an http(s) URL`);
  parsed.search = '';
  parsed.hash = '';
  parsed.pathname = parsed.pathname.replace(/\/+$/, '').replace(/\/api$/, '') + '/';
  return parsed;
}

/**
 * `next` as NetBox wrote it, but on the origin we were given: behind a proxy NetBox often
 * advertises its internal address, and the token must only ever go to the server the user named.
 */
function sameOrigin(next: string, base: URL): URL {
  const url = new URL(next, base);
  if (url.origin === base.origin) return url;
  return new URL(url.pathname + url.search, base.origin);
}

async function fetchPage(url: URL, options: NetboxFetchOptions, mask: (text: string) => string): Promise<NetboxPage> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: { Authorization: `Token ${options.token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
      // a redirect is reported rather than followed, so the token only goes where the user said
      redirect: 'manual',
    });
  } catch (error) {
    const reason = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      ? `no answer within ${timeoutMs / 1000} s`
      : describeFetchError(error);
    const certificate = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|unable to verify|self[- ]signed/i.test(reason);
    throw new NetworkError(
      `cannot reach NetBox at ${mask(url.origin)}: ${mask(reason)}`,
      certificate
        ? "NetBox's TLS certificate is not trusted: add its CA to NODE_EXTRA_CA_CERTS, or (self-signed) 'netstacks settings set netbox.verify_tls false'"
        : 'check --url or the setting netbox.url, and that NetBox is up',
    );
  }
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location') ?? '(no location)';
    throw new NetworkError(`NetBox redirected ${mask(url.pathname)} to ${mask(location)}`, 'give that server as --url (often https:// instead of http://)');
  }
  const body = await readBody(response, timeoutMs);
  if (!response.ok) {
    const detail = body.trim() ? `: ${mask(body.trim().slice(0, 300))}` : '';
    throw new NetworkError(`NetBox answered ${response.status} ${mask(response.statusText)} for ${mask(url.pathname + url.search)}${detail}`, hintFor(response.status));
  }
  let page: unknown;
  try {
    page = JSON.parse(body);
  } catch {
    throw new NetworkError(`NetBox at ${mask(url.origin)} did not answer with JSON`, 'check that --url is the NetBox base URL, not a login page or proxy');
  }
  if (!isPage(page)) throw new NetworkError(`the answer from ${mask(url.pathname)} is not a NetBox device list`, 'check that --url is the NetBox base URL');
  return page;
}

async function readBody(response: Response, timeoutMs: number): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw new NetworkError(`NetBox stopped answering mid-reply (${describeFetchError(error)}; timeout ${timeoutMs / 1000} s)`);
  }
}

function isPage(value: unknown): value is NetboxPage {
  if (value === null || typeof value !== 'object') return false;
  const page = value as Record<string, unknown>;
  return Array.isArray(page.results) && (page.next === null || page.next === undefined || typeof page.next === 'string') &&
    page.results.every((d) => d !== null && typeof d === 'object' && typeof (d as Record<string, unknown>).id === 'number');
}

function hintFor(status: number): string | undefined {
  if (status === 401 || status === 403) return "check the NetBox token and its permissions (store it with 'netstacks netbox set-token', or pass --token-stdin or NETBOX_TOKEN)";
  if (status === 400) return 'check the --filter names and values: NetBox rejected the query';
  if (status === 404) return 'check --url: it should be the NetBox base URL, e.g. https://netbox.example.com';
  if (status >= 500) return 'NetBox had an internal error; try again or check its logs';
  return undefined;
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}

/** Replaces every occurrence of the secret with '***'. */
export function maskSecret(text: string, secret: string): string {
  return secret.length > 0 ? text.split(secret).join('***') : text;
}
