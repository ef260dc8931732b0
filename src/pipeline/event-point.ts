// Writes an `ollama_events` point into the batch from a parsed line: the same bytes as eventLine()
// (structured.ts, the reference), but the measurement-and-tags head and each field's `,key=` are
// encoded once per distinct value and copied afterwards, instead of template strings per line.

import { NOT_FIELD_KEYS, type ParsedLine } from '../ollama/parse/index.js';
import type { LineBatch } from '../influx/line-batch.js';
import { escapeTag, fieldValue } from '../influx/points/escape.js';
import { EVENTS_MEASUREMENT } from '../influx/measurements.js';
import { EncodedCache } from './encoded-cache.js';

export interface EventPointWriter {
  /** `ollama_events,host=…,event=…[,level=…][,model=…]`: the line up to its first field. */
  head(batch: LineBatch, parsed: ParsedLine, model: string | null): void;
  /** The parsed fields, each after a comma (what follows the `message` field). */
  fields(batch: LineBatch, parsed: ParsedLine): void;
}

export function createEventPointWriter(host: string): EventPointWriter {
  const kinds = new EncodedCache((kind) => `${EVENTS_MEASUREMENT},host=${host},event=${escapeTag(kind)}`);
  const levels = new EncodedCache((level) => `,level=${escapeTag(level)}`);
  const models = new EncodedCache((model) => `,model=${escapeTag(model)}`);
  const keys = new EncodedCache((key) => `,${escapeTag(key)}=`);
  const encodedFields = new WeakMap<ParsedLine, Buffer>();
  const writeFields = (batch: LineBatch, parsed: ParsedLine): void => {
    const record = parsed as Readonly<Record<string, unknown>>;
    for (const key in record) {
      if (NOT_FIELD_KEYS.has(key)) continue;
      const value = fieldValue(record[key]);
      if (value === null) continue;
      batch.constant(keys.get(key));
      batch.utf8(value);
    }
  };
  return {
    head(batch, parsed, model) {
      batch.constant(kinds.get(parsed.kind));
      if (typeof parsed.level === 'string' && parsed.level !== '') batch.constant(levels.get(parsed.level));
      if (model !== null && model !== '') batch.constant(models.get(model));
    },
    fields(batch, parsed) {
      // A frozen result is one the parse cache hands out for every repeat of its line: its fields are
      // encoded once. Others (a line too long to cache) are encoded each time.
      if (!Object.isFrozen(parsed)) return writeFields(batch, parsed);
      const encoded = encodedFields.get(parsed);
      if (encoded !== undefined) return batch.constant(encoded);
      const start = batch.length;
      writeFields(batch, parsed);
      encodedFields.set(parsed, batch.copyOf(start));
    },
  };
}
