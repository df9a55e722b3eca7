import { UNPRINTABLE } from './values';

/**
 * What a rejected record's dead letter keeps of it. A record with a 1 MB cell is rejected (too
 * long), but its dead letter must still fit in a Kafka message: long texts are cut, noting
 * their length, and a record still too large keeps only its beginning.
 */
export const DEAD_LETTER_MAX_CHARS = 64 * 1024;
const TEXT_KEPT = 200;

function cut(s: string): string {
  if (s.length <= TEXT_KEPT) return s;
  const chars = Array.from(s.slice(0, TEXT_KEPT * 2)).slice(0, TEXT_KEPT).join(''); // whole characters (𠮷 is two UTF-16 units)
  return `${chars}…（已截断，原长 ${Array.from(s).length} 字符）`;
}

/** The payload (already scrubbed of person IDs) as the dead letter's JSON text, at most DEAD_LETTER_MAX_CHARS. */
export function deadLetterPayload(payload: unknown): string {
  const full = JSON.stringify(payload ?? null) ?? 'null';
  if (full.length <= DEAD_LETTER_MAX_CHARS) return full;
  const shortened = JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'string' ? cut(v) : v)) ?? 'null';
  if (shortened.length <= DEAD_LETTER_MAX_CHARS) return shortened;
  return JSON.stringify({ truncated: true, note: `原记录过大（JSON ${full.length} 字符），死信中只保留开头`, head: cut(shortened.slice(0, TEXT_KEPT * 10)) });
}

/** Every character a record's text may not hold (the validator's own definition), to replace. */
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'g');

/**
 * Text PostgreSQL can store: what the validator calls unprintable (NUL, other control characters,
 * lone surrogates, refused by text and jsonb columns) becomes U+FFFD, and the text is cut to `max`
 * UTF-16 units without splitting a character. A rejected record's id and reasons quote what was
 * sent, and what was sent may be anything.
 */
export function storable(s: string, max: number): string {
  const clean = s.replace(UNPRINTABLE_ALL, '\uFFFD');
  if (clean.length <= max) return clean;
  const kept = clean.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(kept) ? kept.slice(0, -1) : kept;
}
