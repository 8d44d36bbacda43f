import { PassThrough } from 'node:stream';
import { Output } from '../../src/cli/output.js';

/** An Output (no colour, not a TTY) whose stdout and stderr both go to one captured text. */
export function captureOutput(format: 'table' | 'json'): { out: Output; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  const out = new Output(format, { color: false, stdout: stream as unknown as NodeJS.WriteStream, stderr: stream as unknown as NodeJS.WriteStream });
  return { out, text: () => text };
}
