// Cuts a byte stream into chunks of whole lines without holding more than one chunk and one partial
// line, and never more than MAX_LINE_BYTES of one line: a huge journal entry (a binary field of
// megabytes, printed as a JSON array of byte values) must not take the process's memory with it.

/**
 * journald cuts a service's output lines at LineMax (48 KiB by default); printed as a byte array
 * such a line is at most ~200 KiB of JSON. A longer line is not an Ollama log line.
 */
export const MAX_LINE_BYTES = 1024 * 1024;
/**
 * What is kept of each end of an oversized line: enough for __CURSOR and __REALTIME_TIMESTAMP,
 * which journalctl prints first, or last when --output-fields is given (systemd 252).
 */
const KEPT_END_BYTES = 4096;

/** Called for a line longer than the limit, with its two ends (joined by `\n`) and its length. */
export type OversizedLineHandler = (ends: string, bytes: number) => void;

/**
 * Yields the bytes up to each chunk's last newline (so every yielded chunk holds whole lines, each
 * ending in `\n`), carrying the partial line over. A last line without its newline is not yielded:
 * for journalctl that means it stopped mid-entry, and the next pass reads the entry again. A partial
 * line that grows past maxLineBytes is dropped (its ends go to onOversized) instead of being kept.
 */
export async function* wholeLineChunks(
  stream: AsyncIterable<Buffer>,
  onOversized: OversizedLineHandler = () => undefined,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<Buffer> {
  // The partial line as pieces, joined once when its newline comes (never once per piece).
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized: { head: Buffer; tail: Buffer; bytes: number } | null = null;

  for await (const piece of stream) {
    let from = 0;
    if (oversized !== null) {
      const newline = piece.indexOf(10);
      const tail = Buffer.concat([oversized.tail, piece.subarray(0, newline === -1 ? piece.length : newline)]);
      oversized.tail = Buffer.from(tail.subarray(Math.max(0, tail.length - KEPT_END_BYTES)));
      oversized.bytes += newline === -1 ? piece.length : newline;
      if (newline === -1) continue;
      onOversized(`${oversized.head.toString('utf8')}\n${oversized.tail.toString('utf8')}`, oversized.bytes);
      oversized = null;
      from = newline + 1;
    }
    const lastNewline = piece.lastIndexOf(10);
    if (lastNewline < from) {
      if (from < piece.length) {
        pending.push(Buffer.from(piece.subarray(from)));
        pendingBytes += piece.length - from;
      }
      if (pendingBytes > maxLineBytes) {
        const joined = Buffer.concat(pending);
        oversized = {
          head: Buffer.from(joined.subarray(0, KEPT_END_BYTES)),
          tail: Buffer.from(joined.subarray(Math.max(0, joined.length - KEPT_END_BYTES))),
          bytes: pendingBytes,
        };
        pending = [];
        pendingBytes = 0;
      }
      continue;
    }
    if (pending.length > 0) {
      // Only the carried-over line is joined (a few hundred bytes), not the whole piece with it.
      const firstNewline = piece.indexOf(10, from);
      yield Buffer.concat([...pending, piece.subarray(from, firstNewline + 1)]);
      from = firstNewline + 1;
    }
    const whole = piece.subarray(from, lastNewline + 1);
    pending = lastNewline + 1 < piece.length ? [Buffer.from(piece.subarray(lastNewline + 1))] : [];
    pendingBytes = piece.length - lastNewline - 1;
    if (whole.length > 0) yield whole;
  }
}

/** Calls fn(start, end) for each non-empty line of a whole-line chunk (end excludes the newline). */
export function forEachLine(chunk: Buffer, fn: (start: number, end: number) => void): void {
  let start = 0;
  for (let end = chunk.indexOf(10); end !== -1; start = end + 1, end = chunk.indexOf(10, start)) {
    if (end > start) fn(start, end);
  }
}
