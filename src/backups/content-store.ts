import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';
import { nowIso } from '../core/time.js';
import { StoreError } from '../core/errors.js';
import type { Db, Tx } from '../store/store.js';
import { applyDelta, encodeDelta } from './delta.js';

/**
 * Content-addressed storage of config texts. A text is stored once per sha256; a new text of a
 * device is stored as a line delta against that device's previous text, with a full copy when the
 * chain reaches `fullEvery`, all brotli-compressed. Reading walks the chain back to a full copy.
 */
export const FULL = 'br-full';
export const DELTA = 'br-delta';

// measured on 50 KB lab configs (CPU per text): quality 5 takes 1.5 ms and is within 0.5% of 6's
// size (2.0 ms) and within 1.5% of 9's (42 ms wall); 4 is 6% bigger at 1.0 ms; 10 and 11 are 10-12%
// smaller but 12-35x slower, too slow for 100 devices/s. Compression was the largest single cost
// of `backup run` in the client (a 100-device profile), so 5 for everything.
// The window is sized to the text (64 KB up to brotli's default 4 MB): the same output size for
// a 50 KB config, and a few hundred KB of encoder memory instead of several MB, which matters when
// a run has a hundred compressions queued on the thread pool.
const windowBits = (bytes: number) => Math.min(22, Math.max(16, Math.ceil(Math.log2(bytes + 1))));
const brotliOptions = (bytes: number) => ({
  params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes, [zlib.BROTLI_PARAM_LGWIN]: windowBits(bytes) },
});

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function compress(text: string): Buffer {
  const data = Buffer.from(text, 'utf8');
  return brotliCompressSync(data, brotliOptions(data.length));
}

const brotliCompressAsync = promisify(brotliCompress);
const ASYNC_MIN_BYTES = 16 * 1024;

/**
 * compress() on libuv's thread pool: during a backup run the main thread is the bottleneck (it
 * runs every SSH session), so the ~1.5 ms per 50 KB config goes to another core. Same bytes.
 */
export async function compressAsync(text: string): Promise<Buffer> {
  const data = Buffer.from(text, 'utf8');
  // a small text (facts, a delta) compresses in less time than the trip to the pool takes
  if (data.length < ASYNC_MIN_BYTES) return brotliCompressSync(data, brotliOptions(data.length));
  return brotliCompressAsync(data, brotliOptions(data.length));
}


export function decompress(data: Buffer | Uint8Array): string {
  return brotliDecompressSync(data).toString('utf8');
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** An encoded text ready to insert, computed outside any transaction. */
export interface EncodedContent {
  hash: string;
  size: number;
  lines: number;
  baseId: number | null;
  depth: number;
  encoding: string;
  data: Buffer;
}

export interface ContentBase {
  id: number;
  text: string;
  depth: number;
}

/** What encodeContent stores before compression: the full text or a delta against `base`. */
function planContent(text: string, base: ContentBase | undefined, fullEvery: number, hash: string): Omit<EncodedContent, 'data'> & { payload: string } {
  const common = { hash, size: Buffer.byteLength(text), lines: countLines(text) };
  if (base && base.depth + 1 < fullEvery) {
    const delta = encodeDelta(base.text, text);
    if (delta.length < text.length) return { ...common, baseId: base.id, depth: base.depth + 1, encoding: DELTA, payload: delta };
  }
  return { ...common, baseId: null, depth: 0, encoding: FULL, payload: text };
}

/** Delta against `base` unless the chain is due a full copy or the delta would not be smaller. */
export function encodeContent(text: string, base: ContentBase | undefined, fullEvery: number, hash = sha256(text)): EncodedContent {
  const { payload, ...plan } = planContent(text, base, fullEvery, hash);
  return { ...plan, data: compress(payload) };
}

/** encodeContent with the compression on the thread pool (same bytes). */
export async function encodeContentAsync(text: string, base: ContentBase | undefined, fullEvery: number, hash = sha256(text)): Promise<EncodedContent> {
  const { payload, ...plan } = planContent(text, base, fullEvery, hash);
  return { ...plan, data: await compressAsync(payload) };
}

/** Inserts the content unless its hash is stored already; returns its id either way. */
export async function insertContent(tx: Tx, content: EncodedContent): Promise<number> {
  const existing = await tx.selectFrom('backup_contents').select('id').where('hash', '=', content.hash).executeTakeFirst();
  if (existing) return existing.id;
  const row = await tx
    .insertInto('backup_contents')
    .values({
      hash: content.hash,
      size: content.size,
      lines: content.lines,
      base_id: content.baseId,
      depth: content.depth,
      encoding: content.encoding,
      data: content.data,
      created_at: nowIso(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Reads texts back, caching recent ones (the previous versions a run deltas against, and the
 * chain links a read walks through). Bounded by total characters.
 */
export class ContentReader {
  private readonly cache = new Map<number, { text: string; depth: number; hash: string }>();
  private cached = 0;

  constructor(
    private readonly db: Db,
    private readonly maxChars = 64 * 1024 * 1024,
  ) {}

  async text(id: number): Promise<string> {
    return (await this.entry(id)).text;
  }

  async entry(id: number): Promise<{ text: string; depth: number; hash: string }> {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    // walk back to the nearest full copy or cached text, then apply deltas forwards
    const chain: { id: number; base_id: number | null; depth: number; encoding: string; data: Buffer; hash: string }[] = [];
    let next: number | null = id;
    let text: string | undefined;
    while (next !== null) {
      const cachedBase = this.cache.get(next);
      if (cachedBase) {
        text = cachedBase.text;
        break;
      }
      const row = await this.db
        .selectFrom('backup_contents')
        .select(['id', 'base_id', 'depth', 'encoding', 'data', 'hash'])
        .where('id', '=', next)
        .executeTakeFirst();
      if (!row) throw new StoreError(`backup content ${next} is missing (store damaged?)`, "run 'netstacks backup prune' never deletes referenced content; restore the database from a copy");
      chain.push(row);
      if (row.encoding === FULL) break;
      next = row.base_id;
    }
    let entry = this.cache.get(id);
    for (let i = chain.length - 1; i >= 0; i--) {
      const row = chain[i]!;
      const payload = decompress(row.data);
      text = row.encoding === FULL ? payload : applyDelta(text ?? '', payload);
      entry = { text, depth: row.depth, hash: row.hash };
      this.remember(row.id, entry);
    }
    if (!entry) throw new StoreError(`backup content ${id} could not be read`);
    return entry;
  }

  private remember(id: number, entry: { text: string; depth: number; hash: string }): void {
    this.cache.set(id, entry);
    this.cached += entry.text.length;
    while (this.cached > this.maxChars && this.cache.size > 1) {
      const [oldest, value] = this.cache.entries().next().value as [number, { text: string }];
      this.cache.delete(oldest);
      this.cached -= value.text.length;
    }
  }
}
