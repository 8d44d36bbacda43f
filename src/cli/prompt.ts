import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { InterruptedError, UsageError } from '../core/errors.js';

export function stdinIsTerminal(): boolean {
  return Boolean(process.stdin.isTTY);
}

/**
 * Asks for a secret on the terminal without echoing it. The question goes to stderr so stdout
 * stays clean for --json. An empty answer is returned as undefined ("none").
 */
export function promptSecret(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) {
    return Promise.reject(new UsageError('cannot prompt for a secret: stdin is not a terminal', 'pipe it in with --password-stdin or --secrets-stdin'));
  }
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve, reject) => {
    rl.on('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(new InterruptedError());
    });
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer === '' ? undefined : answer);
    });
    muted = true;
  });
}

/** All of stdin as text (for --password-stdin / --secrets-stdin). */
export async function readStdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks a yes/no question on the terminal (stderr, so stdout stays clean); only "y" or "yes" is a yes. */
export async function confirm(question: string): Promise<boolean> {
  const { createInterface: createPromptInterface } = await import('node:readline/promises');
  const rl = createPromptInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
