/**
 * Masking secrets out of text that goes to transcripts and error messages: the known secrets
 * themselves (passwords, enable secrets) and the values of config lines that hold secrets, even
 * when the device shows them hashed or type-7 encoded.
 */
export const MASK = '********';

/** a secret value: a quoted string or one word */
const VALUE = '("[^"\\n]*"|\'[^\'\\n]*\'|[^\\s"\']+)';

/** Each pattern captures the words before the value as $1; the value ($2) is replaced. */
const SECRET_LINE_PATTERNS: RegExp[] = [
  // IOS family: enable secret 5 X, enable password X, username U privilege 15 secret 9 X, password 7 X,
  // EOS 'secret sha512 X', Junos 'secret "X"', FortiOS 'set password ENC X', PAN-OS 'phash X'
  new RegExp(`(\\b(?:password|passwd|secret|phash|psksecret|passphrase|private-key|auth-pwd)(?: level \\d+)?(?: (?:[0-9]{1,2}|ENC|sha512|sha256|md5|ascii-text|hexadecimal|encrypted|cleartext))? )${VALUE}`, 'gi'),
  new RegExp(`(\\bsnmp-server community )${VALUE}`, 'gi'),
  new RegExp(`(\\bsnmp-server host \\S+(?: (?:traps|informs))?(?: version (?:1|2c))? )${VALUE}`, 'gi'),
  new RegExp(`((?<![-\\w])community )${VALUE}`, 'gi'),
  // key 7 X, tacacs-server key X, crypto isakmp key X address Y, key-string 7 X, but not 'key chain NAME'
  new RegExp(`((?<![-\\w])key(?:-string)?(?: [0-7])? )(?!chain\\b|generate\\b|config-key\\b|exchange\\b|zeroize\\b|pubkey-chain\\b|storage\\b)${VALUE}`, 'gi'),
  new RegExp(`(\\bpre-shared-key(?: (?:local|remote|ascii-text|hexadecimal|address \\S+))?(?: [0-7])? )${VALUE}`, 'gi'),
  new RegExp(`(\\bencrypted-password )${VALUE}`, 'gi'),
  new RegExp(`(\\bauthentication-key(?: [0-7])? )${VALUE}`, 'gi'),
  new RegExp(`(\\bmessage-digest-key \\d+ md5(?: [0-7])? )${VALUE}`, 'gi'),
  new RegExp(`(\\b(?:auth (?:md5|sha)|priv(?: (?:aes(?:-128)?|des|3des))?) )(0x[0-9a-f]+|${VALUE})`, 'gi'),
];

/** PAN-OS XML: <phash>X</phash>, <password>X</password>, <key>X</key> */
const SECRET_XML = /(<(phash|password|key|secret|pre-shared-key|private-key|passphrase)>)([^<]*)(<\/\2>)/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A matcher for the literal secrets, longest first so one secret inside another is fully masked. */
export function literalSecretsPattern(secrets: readonly string[]): RegExp | undefined {
  const usable = [...new Set(secrets.filter((s) => s.length > 0 && !s.includes('\n')))].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return undefined;
  return new RegExp(usable.map(escapeRegExp).join('|'), 'g');
}

/** Masks only the config-line secrets (no literal secrets). */
export function maskSecretLines(text: string): string {
  let out = text;
  for (const pattern of SECRET_LINE_PATTERNS) {
    out = out.replace(pattern, (_all, before: string, value: string) => (value === MASK ? `${before}${value}` : `${before}${MASK}`));
  }
  return out.replace(SECRET_XML, (_all, open: string, _tag: string, _value: string, close: string) => `${open}${MASK}${close}`);
}

/** literalSecretsPattern per secrets list: sessions mask with the same list for every command */
const literalPatterns = new WeakMap<readonly string[], RegExp | undefined>();

function cachedLiteralPattern(secrets: readonly string[]): RegExp | undefined {
  if (literalPatterns.has(secrets)) return literalPatterns.get(secrets);
  const pattern = literalSecretsPattern(secrets);
  // a frozen list cannot change under the cache; other lists may, so they are compiled each time
  if (Object.isFrozen(secrets)) literalPatterns.set(secrets, pattern);
  return pattern;
}

/** Masks every known secret and every config-line secret in complete text. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const literal = cachedLiteralPattern(secrets);
  const masked = literal ? text.replace(literal, MASK) : text;
  return maskSecretLines(masked);
}

export interface Masker {
  /** masked text that is safe to write now; may hold back the unfinished last line */
  push(chunk: string): string;
  /**
   * The held unfinished line, masked, except a tail that could still be the start of a secret:
   * for when the other direction speaks and the line is a prompt waiting for it.
   */
  release(): string;
  /** whatever is still held, masked */
  flush(): string;
}

/** Past this, an unfinished line is written out anyway, keeping back enough to catch a split secret. */
const MAX_HELD_LINE = 64 * 1024;

/**
 * A streaming masker. Line patterns need whole lines and a secret may be split across two reads,
 * so it holds the unfinished last line until its newline (or flush) arrives.
 */
export function createMasker(secrets: readonly string[]): Masker {
  const literal = literalSecretsPattern(secrets);
  const longest = secrets.reduce((n, s) => Math.max(n, s.length), 0);
  let held = '';
  const mask = (text: string): string => maskSecretLines(literal ? text.replace(literal, MASK) : text);
  return {
    push(chunk: string): string {
      held += chunk;
      // '\r' ends a line too: what we send to AOS-CX ends in '\r' only
      const lastNewline = Math.max(held.lastIndexOf('\n'), held.lastIndexOf('\r'));
      if (lastNewline >= 0) {
        const ready = held.slice(0, lastNewline + 1);
        held = held.slice(lastNewline + 1);
        return mask(ready);
      }
      if (held.length > MAX_HELD_LINE) {
        // mask first, then keep back a tail that may be the start of a secret
        const masked = literal ? held.replace(literal, MASK) : held;
        const keep = Math.max(longest - 1, 0);
        const cut = masked.length - keep;
        held = masked.slice(cut);
        return maskSecretLines(masked.slice(0, cut));
      }
      return '';
    },
    release(): string {
      const keep = possibleSecretStart(held, secrets);
      const ready = held.slice(0, held.length - keep);
      held = held.slice(held.length - keep);
      return ready.length > 0 ? mask(ready) : '';
    },
    flush(): string {
      const rest = held;
      held = '';
      return rest.length > 0 ? mask(rest) : '';
    },
  };
}

/** How many characters at the end of `text` could be the beginning of one of the secrets. */
function possibleSecretStart(text: string, secrets: readonly string[]): number {
  let keep = 0;
  for (const secret of secrets) {
    for (let n = Math.min(secret.length - 1, text.length); n > keep; n--) {
      if (text.endsWith(secret.slice(0, n))) {
        keep = n;
        break;
      }
    }
  }
  return keep;
}
