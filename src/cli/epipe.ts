import type { Writable } from 'node:stream';

/**
 * `netstacks backup search x | head`: once the reader is gone, writing to stdout fails with
 * EPIPE. Unix tools die quietly there (SIGPIPE); Node would print an unhandled 'error' trace.
 * The CLI stops quietly instead, exit 0: the reader got what it asked for. Any other error on the
 * stream is thrown as before.
 */
export function exitQuietlyOnBrokenPipe(streams: Writable[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if ((stream as Writable & { netstacksEpipe?: boolean }).netstacksEpipe) continue;
    (stream as Writable & { netstacksEpipe?: boolean }).netstacksEpipe = true;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(0);
      throw error;
    });
  }
}
