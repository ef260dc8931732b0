// Line protocol escaping (https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/).

const TAG_SPECIAL = /[,= \n\r\t]/;
const MEASUREMENT_SPECIAL = /[, \n\r\t]/;
const FIELD_SPECIAL = /["\\\n\r]/;

/**
 * Tag keys, tag values and field keys: escape comma, equals, space; newlines cannot be stored.
 * Backslashes stay as they are: InfluxDB 2 unescapes only `\,` `\=` `\ ` here, so a doubled one
 * would be stored doubled (the official client does not double them either).
 */
export function escapeTag(value: string): string {
  if (!TAG_SPECIAL.test(value)) return value;
  return value.replace(/[\n\r\t]/g, ' ').replace(/([,= ])/g, '\\$1');
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
