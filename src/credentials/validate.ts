import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { ValidationError } from '../core/errors.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

export function checkCredentialName(name: string): string {
  if (!NAME.test(name)) {
    throw new ValidationError(`invalid credential name '${name}'`, 'use 1–64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit');
  }
  return name;
}

export function checkUsername(username: string): string {
  if (username.trim() === '' || /[\r\n]/.test(username)) throw new ValidationError('the username must not be empty or contain line breaks');
  return username;
}

/** Secrets may contain anything but must not be empty; an empty answer means "none" upstream. */
export function checkSecret(field: string, value: string): string {
  if (value === '') throw new ValidationError(`the ${field} is empty`, `leave the ${field} out instead of giving an empty one`);
  return value;
}

/** Says only what kind of text was expected: the text itself is a secret and never echoed. */
export function checkPrivateKey(text: string): string {
  if (!PRIVATE_KEY.test(text)) {
    throw new ValidationError('the private key is not a PEM or OpenSSH private key', "expected text starting with '-----BEGIN ... PRIVATE KEY-----'");
  }
  return text.endsWith('\n') ? text : text + '\n';
}

/** An absolute path to a readable regular file; `~/` expands to the home directory. */
export function resolveKeyPath(path: string): string {
  const absolute = path.startsWith('~/') ? resolve(homedir(), path.slice(2)) : resolve(path);
  try {
    if (!statSync(absolute).isFile()) throw new Error('not a regular file');
    accessSync(absolute, constants.R_OK);
  } catch (error) {
    throw new ValidationError(`cannot use key file ${absolute}: ${(error as Error).message}`, 'give the path of a readable private key file');
  }
  return absolute;
}
