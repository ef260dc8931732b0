// Go's time.Duration text (`time.Duration.String()` and `time.ParseDuration` grammar) → milliseconds.
// Gin prints request latency this way and Ollama prints keep-alive and timeouts the same way.

/** Nanoseconds per unit; `µs` has three spellings: U+00B5 (Go), U+03BC (copy-paste), `us`. */
const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  '\u00b5s': 1e3,
  '\u03bcs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const DOT = 46;

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

/** The unit that starts at `i`: the longest of the known spellings (`ms` before `m`). */
function unitAt(text: string, i: number): string | null {
  const two = text.slice(i, i + 2);
  if (Object.hasOwn(UNIT_NS, two)) return two;
  const one = text.charAt(i);
  return one === 's' || one === 'm' || one === 'h' ? one : null;
}

/**
 * Milliseconds for a Go duration such as `0s`, `512ns`, `36.1µs`, `1.86ms`, `16.6s`, `5m1s`,
 * `1h2m3s` or `-1.5h`; null when the text is not one. Whole and fractional digits are summed in
 * nanoseconds first (as Go does), so `3.402116597s` gives exactly 3402.116597.
 */
export function parseGoDuration(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  let i = 0;
  let sign = 1;
  if (s.charCodeAt(0) === 45 /* - */ || s.charCodeAt(0) === 43 /* + */) {
    if (s.charCodeAt(0) === 45) sign = -1;
    i = 1;
  }
  if (s.slice(i) === '0') return 0;
  if (i >= s.length) return null;
  let totalNs = 0;
  while (i < s.length) {
    const wholeStart = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    const whole = s.slice(wholeStart, i);
    let fraction = '';
    if (s.charCodeAt(i) === DOT) {
      i++;
      const fractionStart = i;
      while (i < s.length && isDigit(s.charCodeAt(i))) i++;
      fraction = s.slice(fractionStart, i);
    }
    if (whole === '' && fraction === '') return null;
    const unit = unitAt(s, i);
    if (unit === null) return null;
    i += unit.length;
    const scale = UNIT_NS[unit]!;
    totalNs += (whole === '' ? 0 : Number(whole)) * scale;
    if (fraction !== '') {
      // Beyond 15 digits a double cannot hold the fraction anyway.
      const digits = fraction.slice(0, 15);
      totalNs += (Number(digits) * scale) / 10 ** digits.length;
    }
  }
  return (sign * totalNs) / 1e6;
}
