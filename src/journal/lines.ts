// Cuts a byte stream into chunks of whole lines without holding more than one chunk and one partial line.

/**
 * Yields the bytes up to each chunk's last newline (so every yielded chunk holds whole lines, each
 * ending in `\n`), carrying the partial line over. A last line without its newline is not yielded:
 * for journalctl that means it stopped mid-entry, and the next pass reads the entry again.
 */
export async function* wholeLineChunks(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  // Pieces of a line longer than one piece wait in a list and are joined once its newline comes:
  // joining at every piece would copy a huge entry over and over.
  let pending: Buffer[] = [];
  for await (const piece of stream) {
    const lastNewline = piece.lastIndexOf(10);
    if (lastNewline === -1) {
      if (piece.length > 0) pending.push(piece);
      continue;
    }
    const head = piece.subarray(0, lastNewline + 1);
    yield pending.length === 0 ? head : Buffer.concat([...pending, head]);
    pending = lastNewline + 1 < piece.length ? [piece.subarray(lastNewline + 1)] : [];
  }
}

/** Calls fn(start, end) for each non-empty line of a whole-line chunk (end excludes the newline). */
export function forEachLine(chunk: Buffer, fn: (start: number, end: number) => void): void {
  let start = 0;
  for (let end = chunk.indexOf(10); end !== -1; start = end + 1, end = chunk.indexOf(10, start)) {
    if (end > start) fn(start, end);
  }
}
