import type { AnyAuthMethod, AuthHandlerMiddleware, ParsedKey, Prompt } from 'ssh2';
import { SshError } from './errors.js';
import type { Ssh2 } from './ssh2-module.js';
import type { SshAuth } from './types.js';

const MAX_KEYBOARD_ROUNDS = 4;
const PASSWORD_PROMPT = /pass(word|code|phrase)?\b|passwort|contrase/i;

/** Parses the private key up front so a wrong passphrase is a clear auth error, not a silent skip. */
export function parsePrivateKey(ssh2: Ssh2, auth: SshAuth, label: string): ParsedKey | undefined {
  if (auth.privateKey === undefined) return undefined;
  const parsed = ssh2.utils.parseKey(auth.privateKey, auth.passphrase);
  if (parsed instanceof Error) {
    const encrypted = /encrypted|passphrase|bad decrypt/i.test(parsed.message);
    throw new SshError(
      'auth',
      encrypted
        ? `private key for ${label} could not be decrypted: ${auth.passphrase === undefined ? 'it needs a passphrase' : 'wrong passphrase'}`
        : `private key for ${label} could not be read: ${parsed.message}`,
      { hint: 'check the credential attached to this device' },
    );
  }
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
  if (!key || !key.isPrivateKey()) {
    throw new SshError('auth', `the key given for ${label} is not a private key`);
  }
  return key;
}

function answerPrompts(prompts: Prompt[], password: string | undefined): string[] {
  return prompts.map((p) => (password !== undefined && PASSWORD_PROMPT.test(p.prompt) ? password : ''));
}

/**
 * The order in which methods are tried: key, agent, password, keyboard-interactive. 'none' is
 * skipped, it only costs a round trip. Methods the server did not list as "can continue" are
 * passed over.
 */
export function buildAuthHandler(auth: SshAuth, key: ParsedKey | undefined, agentSocket: string | undefined): {
  handler: AuthHandlerMiddleware;
  methodsTried: string[];
} {
  const username = auth.username;
  const candidates: AnyAuthMethod[] = [];
  if (key) candidates.push({ type: 'publickey', username, key });
  if (agentSocket) candidates.push({ type: 'agent', username, agent: agentSocket });
  if (auth.password !== undefined) candidates.push({ type: 'password', username, password: auth.password });
  if (auth.keyboardInteractive ?? auth.password !== undefined) {
    let rounds = 0;
    candidates.push({
      type: 'keyboard-interactive',
      username,
      prompt: (_name, _instructions, _lang, prompts, finish) => {
        rounds++;
        finish(rounds > MAX_KEYBOARD_ROUNDS ? prompts.map(() => '') : answerPrompts(prompts, auth.password));
      },
    });
  }
  const methodsTried: string[] = [];
  let next = 0;
  const handler: AuthHandlerMiddleware = (methodsLeft, _partial, callback) => {
    while (next < candidates.length) {
      const candidate = candidates[next++] as AnyAuthMethod;
      // agent auth is offered by the server as 'publickey'
      const serverName = candidate.type === 'agent' ? 'publickey' : candidate.type;
      if (methodsLeft && !methodsLeft.includes(serverName)) continue;
      methodsTried.push(candidate.type);
      callback(candidate);
      return;
    }
    // ssh2's typings omit `false`, which ends authentication with "All configured authentication methods failed"
    (callback as unknown as (v: false) => void)(false);
  };
  return { handler, methodsTried };
}
