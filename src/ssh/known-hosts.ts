import { createHash, createHmac } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';

/** One key stored for a host in NetStacks' known_hosts file (OpenSSH format). */
export interface KnownHostKey {
  keyType: string;
  keyBase64: string;
  /** SHA256:… as OpenSSH prints it */
  fingerprint: string;
}

interface Entry {
  /** host tokens as written: `name`, `[name]:port`, or hashed `|1|salt|hash` */
  hosts: string[];
  keyType: string;
  keyBase64: string;
}

interface CachedFile {
  mtimeMs: number;
  size: number;
  ino: number;
  entries: Entry[];
}

/** Parsed once per process and re-read only when the file's mtime, size or inode change. */
const cache = new Map<string, CachedFile>();
let parses = 0;

/** How many times a known_hosts file was read and parsed in this process (for tests and --debug). */
export function knownHostsParseCount(): number {
  return parses;
}

/** OpenSSH's fingerprint: SHA-256 of the key blob, base64 without padding. */
export function fingerprintOf(key: Buffer | string): string {
  const blob = typeof key === 'string' ? Buffer.from(key, 'base64') : key;
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** The key type named inside an SSH public-key blob (its first string field). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.toString('latin1', 4, Math.min(4 + len, blob.length));
}

/** `host` for port 22, `[host]:port` otherwise, as OpenSSH writes them. */
export function hostToken(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parseKnownHosts(text: string): Entry[] {
  const entries: Entry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    // markers (@cert-authority, @revoked) are not used in NetStacks' own file
    if (!line || line.startsWith('#') || line.startsWith('@')) continue;
    const [hosts, keyType, keyBase64] = line.split(/\s+/);
    if (!hosts || !keyType || !keyBase64) continue;
    entries.push({ hosts: hosts.split(','), keyType, keyBase64 });
  }
  return entries;
}

function loadEntries(file: string): Entry[] {
  const stats = statOrUndefined(file);
  if (!stats) {
    cache.delete(file);
    return [];
  }
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size && cached.ino === stats.ino) {
    return cached.entries;
  }
  const entries = parseKnownHosts(readFileSync(file, 'utf8'));
  parses++;
  cache.set(file, { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino, entries });
  return entries;
}

function hashedTokenMatches(pattern: string, token: string): boolean {
  const [, magic, salt, hash] = pattern.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(token).digest('base64') === hash;
}

function entryMatches(entry: Entry, token: string): boolean {
  return entry.hosts.some((h) => (h.startsWith('|') ? hashedTokenMatches(h, token) : h.toLowerCase() === token));
}

function toKnownKey(entry: Entry): KnownHostKey {
  return { keyType: entry.keyType, keyBase64: entry.keyBase64, fingerprint: fingerprintOf(entry.keyBase64) };
}

/** Keys stored for host:port; empty when the host is unknown or the file does not exist. */
export function lookupHostKey(file: string, host: string, port: number): KnownHostKey[] {
  const token = hostToken(host, port);
  return loadEntries(file)
    .filter((e) => entryMatches(e, token))
    .map(toKnownKey);
}

function formatLine(host: string, port: number, keyType: string, keyBase64: string): string {
  return `${hostToken(host, port)} ${keyType} ${keyBase64}\n`;
}

/**
 * Appends one line with O_APPEND in a single write, which concurrent processes cannot interleave.
 * When nobody else wrote in between, the cache is updated in place instead of re-read.
 */
export function appendHostKey(file: string, host: string, port: number, keyType: string, keyBase64: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const before = statOrUndefined(file);
  const cached = cache.get(file);
  const cacheWasCurrent =
    cached !== undefined && before !== undefined && cached.mtimeMs === before.mtimeMs && cached.size === before.size;
  const line = formatLine(host, port, keyType, keyBase64);
  const fd = openSync(file, 'a', 0o600);
  try {
    writeSync(fd, line);
  } finally {
    closeSync(fd);
  }
  const after = statOrUndefined(file);
  const entry: Entry = { hosts: [hostToken(host, port)], keyType, keyBase64 };
  const startSize = before?.size ?? 0;
  if (after && (cacheWasCurrent || !before) && after.size === startSize + Buffer.byteLength(line)) {
    const entries = before ? [...(cached?.entries ?? []), entry] : [entry];
    cache.set(file, { mtimeMs: after.mtimeMs, size: after.size, ino: after.ino, entries });
  } else {
    cache.delete(file);
  }
}

function rewriteWithout(file: string, token: string): number {
  const stats = statOrUndefined(file);
  if (!stats) return 0;
  const lines = readFileSync(file, 'utf8').split('\n');
  let removed = 0;
  const kept = lines.filter((raw) => {
    const [entry] = parseKnownHosts(raw);
    if (entry && entryMatches(entry, token)) {
      removed++;
      return false;
    }
    return true;
  });
  if (removed === 0) return 0;
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, kept.join('\n'));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  cache.delete(file);
  return removed;
}

/** Removes every key stored for host:port; returns how many lines went. */
export function forgetHostKey(file: string, host: string, port: number): number {
  return rewriteWithout(file, hostToken(host, port));
}

/**
 * Makes this key the one trusted for host:port, replacing any other stored for it (this is how
 * `netstacks device trust` accepts a changed key). A no-op when exactly this key is stored.
 */
export function trustHostKey(file: string, host: string, port: number, keyType: string, keyBase64: string): void {
  const stored = lookupHostKey(file, host, port);
  if (stored.length === 1 && stored[0]?.keyBase64 === keyBase64) return;
  if (stored.length > 0) forgetHostKey(file, host, port);
  appendHostKey(file, host, port, keyType, keyBase64);
}
