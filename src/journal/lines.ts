// Splits a byte stream into lines without holding more than one chunk and one partial line.

/** Yields the complete lines of each chunk as one array (fewer awaits than one per line). */
export async function* splitLines(stream: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  let rest: Buffer | null = null;
  for await (const chunk of stream) {
    const buffer: Buffer = rest === null ? chunk : Buffer.concat([rest, chunk]);
    const lines: string[] = [];
    let start = 0;
    for (let newline = buffer.indexOf(10, start); newline !== -1; newline = buffer.indexOf(10, start)) {
      if (newline > start) lines.push(buffer.toString('utf8', start, newline));
      start = newline + 1;
    }
    rest = start < buffer.length ? buffer.subarray(start) : null;
    if (lines.length > 0) yield lines;
  }
  if (rest !== null && rest.length > 0) yield [rest.toString('utf8')];
}
