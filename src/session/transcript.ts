import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createMasker } from './masking.js';
import type { TranscriptSink } from './types.js';

export { createMasker, maskSecrets, MASK, type Masker } from './masking.js';

/**
 * A transcript file of what went over the wire, with every secret masked before it reaches the
 * disk. Each direction has its own masker, so a secret split across two reads is still caught;
 * the file therefore lags by at most one unfinished line per direction until close().
 */
export function createTranscript(filePath: string, secrets: string[]): TranscriptSink {
  mkdirSync(dirname(filePath), { recursive: true });
  const file = createWriteStream(filePath, { flags: 'a', mode: 0o600 });
  const maskers = { in: createMasker(secrets), out: createMasker(secrets) };
  let closing: Promise<void> | undefined;
  return {
    write(direction, text) {
      if (closing) return;
      // we answer what the device shows last (a prompt, a question): write that first, for order
      const waiting = direction === 'out' ? maskers.in.release() : '';
      const safe = waiting + maskers[direction].push(text);
      if (safe.length > 0) file.write(safe);
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        const rest = maskers.out.flush() + maskers.in.flush();
        file.on('error', reject);
        file.end(rest, () => resolve());
      });
      return closing;
    },
  };
}
