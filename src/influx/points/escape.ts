// Line protocol escaping (https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/).
//
// Tag values from log text are hostile: InfluxDB's parser treats a comma, equals sign or space as
// escaped whenever the byte before it is a backslash, so a value ending in `\` would swallow the
// separator after it and the whole line would be rejected. tagValue() therefore encodes (README,
// "How tag values are encoded"):
//   - C0 control characters and DEL become a space (a newline would end the line);
//   - values over MAX_TAG_VALUE_BYTES UTF-8 bytes are cut at a character boundary and end in `…`;
//   - a backslash right before `,` `=` a space or the end becomes `%5C` (as a URL would write it):
//     InfluxDB's line splitter pairs `\\` as an escaped backslash while its tag parser only looks at the
//     byte before a separator, so `\\ ` would read as an escaped space to one and a separator to the other;
//   - `,` `=` and space get a backslash.
// An empty value stays empty: callers leave such a tag out (InfluxDB refuses empty tag values).

const CONTROL = /[\u0000-\u001f\u007f]/g;
const TAG_SPECIAL = /[,= \\\u0000-\u001f\u007f]/;
const MEASUREMENT_SPECIAL = /[, \n\r\t]/;
const FIELD_SPECIAL = /["\\]/;
const BACKSLASH_BEFORE_SEPARATOR = /\\(?=[,= ]|$)/g;

/** Tag values stay well inside InfluxDB's 64 KiB series-key limit and readable in a legend. */
const MAX_TAG_VALUE_BYTES = 256;
const ELLIPSIS = '…';

/** Cut to at most `maxBytes` UTF-8 bytes at a character boundary, marked with `…`. */
function truncateUtf8(value: string, maxBytes: number): string {
  if (value.length * 3 <= maxBytes || Buffer.byteLength(value, 'utf8') <= maxBytes) return value;
  const budget = maxBytes - Buffer.byteLength(ELLIPSIS, 'utf8');
  let bytes = 0;
  let end = 0;
  for (const char of value) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > budget) break;
    bytes += size;
    end += char.length;
  }
  return value.slice(0, end) + ELLIPSIS;
}

/** A tag value (or tag key / field key) from any text; see the encoding rules above. */
export function escapeTag(value: string): string {
  if (!TAG_SPECIAL.test(value) && value.length <= MAX_TAG_VALUE_BYTES / 3) return value;
  const text = truncateUtf8(value.replace(CONTROL, ' '), MAX_TAG_VALUE_BYTES);
  return text.replace(BACKSLASH_BEFORE_SEPARATOR, '%5C').replace(/[,= ]/g, '\\$&');
}

export function escapeMeasurement(value: string): string {
  if (!MEASUREMENT_SPECIAL.test(value)) return value;
  return value.replace(/[\n\r\t]/g, ' ').replace(/([, ])/g, '\\$1');
}

/** A string field value in double quotes: only `"` and `\` are escaped; InfluxDB keeps newlines inside quotes. */
export function quoteField(value: string): string {
  if (!FIELD_SPECIAL.test(value)) return `"${value}"`;
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * A field value from any JS value, by the field-type contract of the structured measurements:
 * numbers are floats (a bare number in line protocol; integers would need an `i`), strings strings,
 * booleans booleans, objects JSON strings; null for what has no value (null, NaN, ±Infinity, undefined).
 */
export function fieldValue(value: unknown): string | null {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? floatValue(value) : null;
    case 'string':
      return quoteField(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? null : quoteField(JSON.stringify(value));
    default:
      return null;
  }
}

/**
 * A bare number is a float in line protocol (integers would need an `i` suffix). Most of ours are
 * whole microseconds or coarser (a gin latency in ms from integer nanoseconds, sizes, seconds): those
 * are written from integers, which is several times cheaper than V8's shortest-float printing
 * (profiled: it was the costliest call of a request line) and parses back to the very same double.
 * microParts splits such a value; floatValue makes the text, LineBatch.float writes the same bytes.
 */
export const MICRO_PARTS = { negative: false, whole: 0, fraction: 0, fractionDigits: 0 };

/** Fills MICRO_PARTS (one shared object: no allocation per value) when `value` is whole microseconds; false otherwise. */
export function microParts(value: number): boolean {
  const micros = Math.round(value * 1e6);
  if (micros / 1e6 !== value || !Number.isSafeInteger(micros)) return false;
  const magnitude = Math.abs(micros);
  const whole = Math.floor(magnitude / 1e6);
  let fraction = magnitude - whole * 1e6;
  let digits = fraction === 0 ? 0 : 6;
  while (digits > 0 && fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  MICRO_PARTS.negative = micros < 0;
  MICRO_PARTS.whole = whole;
  MICRO_PARTS.fraction = fraction;
  MICRO_PARTS.fractionDigits = digits;
  return true;
}

export function floatValue(value: number): string {
  if (!microParts(value)) return String(value);
  const { negative, whole, fraction, fractionDigits } = MICRO_PARTS;
  const sign = negative ? '-' : '';
  if (fractionDigits === 0) return sign + String(whole);
  const text = String(fraction);
  return `${sign}${whole}.${'00000'.slice(0, fractionDigits - text.length)}${text}`;
}
