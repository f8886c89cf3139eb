// Reading a file the user names (the CLI's block and transaction files, the node's --state file)
// with a bound: a device or a file without end (`/dev/zero`, a FIFO that keeps writing) is refused
// once it passes the bound, where reading it whole held 5 GB after a minute and never ended.
import { closeSync, openSync, readSync } from 'node:fs';

/** Most bytes read from a named file: the longest string V8 holds (2^29 - 24 characters), as the text becomes one string. */
export const MAX_TEXT_FILE_BYTES = 2 ** 29 - 24;
/** Bytes read at a time. */
const CHUNK_BYTES = 1 << 20;

/**
 * The UTF-8 text of `path`, read up to `maxBytes`, without a leading byte order mark (editors on
 * Windows write one; JSON.parse refused such a file, "Unexpected token '\uFEFF'"); a longer file
 * throws an Error saying so.
 */
export function readTextFile(path: string, maxBytes = MAX_TEXT_FILE_BYTES): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
      chunks.push(chunk.subarray(0, n));
    }
    const text = Buffer.concat(chunks, total).toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } finally {
    closeSync(fd);
  }
}
