// Cuts a byte stream into chunks of whole lines without holding more than one chunk and one partial line.

/**
 * Yields the bytes up to each chunk's last newline (so every yielded chunk holds whole lines, each
 * ending in `\n`), carrying the partial line over. A last line without its newline is not yielded:
 * for journalctl that means it stopped mid-entry, and the next pass reads the entry again.
 */
export async function* wholeLineChunks(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest: Buffer | null = null;
  for await (const piece of stream) {
    const buffer: Buffer = rest === null ? piece : Buffer.concat([rest, piece]);
    const lastNewline = buffer.lastIndexOf(10);
    if (lastNewline === -1) {
      rest = buffer.length > 0 ? buffer : null;
      continue;
    }
    rest = lastNewline + 1 < buffer.length ? buffer.subarray(lastNewline + 1) : null;
    yield buffer.subarray(0, lastNewline + 1);
  }
}

/** Calls fn(start, end) for each non-empty line of a whole-line chunk (end excludes the newline). */
export function forEachLine(chunk: Buffer, fn: (start: number, end: number) => void): void {
  let start = 0;
  for (let end = chunk.indexOf(10); end !== -1; start = end + 1, end = chunk.indexOf(10, start)) {
    if (end > start) fn(start, end);
  }
}
