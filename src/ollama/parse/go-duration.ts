// Go's time.Duration text (`time.Duration.String()` and `time.ParseDuration` grammar) → milliseconds.
// Gin prints request latency this way and Ollama prints keep-alive and timeouts the same way.

const DOT = 46;
const MAX_FRACTION_DIGITS = 15; // beyond this a double cannot hold the fraction anyway
const POWERS_OF_TEN = Array.from({ length: MAX_FRACTION_DIGITS + 1 }, (_, n) => 10 ** n);

/**
 * Nanoseconds per unit for the unit that starts at `i`, or 0 when there is none. The longest
 * spelling wins (`ms` before `m`); `µs` has three: U+00B5 (Go), U+03BC (copy-paste) and `us`.
 * Units below a second are two characters long, the others one.
 */
function unitScale(text: string, i: number): number {
  if (text.charCodeAt(i + 1) === 115 /* s */) {
    switch (text.charCodeAt(i)) {
      case 110 /* n */:
        return 1;
      case 117 /* u */:
      case 0xb5 /* µ */:
      case 0x3bc /* μ */:
        return 1e3;
      case 109 /* m */:
        return 1e6;
    }
  }
  switch (text.charCodeAt(i)) {
    case 115 /* s */:
      return 1e9;
    case 109 /* m */:
      return 60e9;
    case 104 /* h */:
      return 3600e9;
    default:
      return 0;
  }
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

/**
 * Milliseconds for a Go duration such as `0s`, `512ns`, `36.1µs`, `1.86ms`, `16.6s`, `5m1s`,
 * `1h2m3s` or `-1.5h` (surrounding spaces allowed); null when the text is not one. Whole and
 * fractional digits are summed in nanoseconds first (as Go does), so `3.402116597s` gives exactly
 * 3402.116597. `from`/`to` bound the text to read, so callers need not slice.
 */
export function parseGoDuration(text: string, from = 0, to = text.length): number | null {
  let i = from;
  let end = to;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  while (end > i && isSpace(text.charCodeAt(end - 1))) end--;
  let sign = 1;
  const first = text.charCodeAt(i);
  if (first === 45 /* - */ || first === 43 /* + */) {
    if (first === 45) sign = -1;
    i++;
  }
  if (end === i + 1 && text.charCodeAt(i) === 48 /* Go accepts a bare 0 */) return 0;
  if (i >= end) return null;
  let totalNs = 0;
  while (i < end) {
    let whole = 0;
    let wholeDigits = 0;
    let code = text.charCodeAt(i);
    while (i < end && code >= 48 && code <= 57) {
      whole = whole * 10 + (code - 48);
      wholeDigits++;
      code = text.charCodeAt(++i);
    }
    let fraction = 0;
    let fractionDigits = 0;
    let hasDot = false;
    if (i < end && code === DOT) {
      hasDot = true;
      code = text.charCodeAt(++i);
      while (i < end && code >= 48 && code <= 57) {
        if (fractionDigits < MAX_FRACTION_DIGITS) {
          fraction = fraction * 10 + (code - 48);
          fractionDigits++;
        }
        code = text.charCodeAt(++i);
      }
    }
    if (wholeDigits === 0 && (!hasDot || fractionDigits === 0)) return null;
    const scale = i < end ? unitScale(text, i) : 0;
    if (scale === 0) return null;
    i += scale < 1e9 ? 2 : 1;
    if (i > end) return null;
    totalNs += whole * scale;
    if (fractionDigits > 0) totalNs += (fraction * scale) / POWERS_OF_TEN[fractionDigits]!;
  }
  return (sign * totalNs) / 1e6;
}
