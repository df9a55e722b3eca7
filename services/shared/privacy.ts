import { pseudonymize } from './identifiers';

/**
 * Citizen ID numbers (GB 11643) in one place: what counts as one, how the ingest boundary turns
 * them into pseudonyms, and how every output blanks whatever slipped into stored free text.
 */

/** 18 characters shaped like a citizen ID number: region, a 19xx/20xx birth date, sequence, check. */
export const CITIZEN_ID_PATTERN = /(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;

/**
 * The 15-digit form issued before 1999 (GB 11643-1989: region, a yymmdd birth date, sequence, no
 * check character); still on old records and typed into free text.
 */
export const OLD_CITIZEN_ID_PATTERN = /(?<![0-9A-Za-z])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])/g;

/** A 15-digit ID in its 18-digit form (19 inserted before the year, check character added), so one person has one pseudonym. */
export function eighteenDigitId(old: string): string {
  const body = `${old.slice(0, 6)}19${old.slice(6)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return body + '10X98765432'[[...body].reduce((s, d, i) => s + Number(d) * weights[i], 0) % 11];
}

const ID_DIGIT_RUN = /[0-9\uff10-\uff19]{15}/;

/** The keyed pseudonyms the gateway publishes instead (psn_…). */
export const PSEUDONYM_PATTERN = /psn_[0-9A-Za-z_-]+/g;

export const REDACTED = '〔已隐去〕';

/** Full-width digits and letters (０–９, Ａ–Ｚ, ａ–ｚ) → ASCII, one UTF-16 unit each, so positions keep. */
function foldWidth(s: string): string {
  return s.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * At the ingest boundary: every ID-shaped run in a text becomes its pseudonym, also when typed in
 * full-width digits. The rest of the text is kept as it was (text is not NFKC-folded any more).
 */
export function scrubIdNumbers(s: string, key: string): string {
  // Both forms hold at least 15 digits in a row (ASCII or full-width): most text has none.
  if (!ID_DIGIT_RUN.test(s)) return s;
  return scrubPattern(scrubPattern(s, CITIZEN_ID_PATTERN, (m) => pseudonymize(m, key)), OLD_CITIZEN_ID_PATTERN, (m) => pseudonymize(eighteenDigitId(m), key));
}

function scrubPattern(s: string, pattern: RegExp, replace: (m: string) => string): string {
  const folded = foldWidth(s);
  if (folded === s) return s.replace(pattern, replace);
  let out = '';
  let last = 0;
  for (const m of folded.matchAll(pattern)) {
    out += s.slice(last, m.index) + replace(m[0]);
    last = m.index! + m[0].length;
  }
  return out + s.slice(last);
}

/**
 * What a rejected record may carry onwards (dead letter): the person ID column replaced by its
 * pseudonym, and anything else shaped like a citizen ID number too (typed into the wrong column).
 */
export function scrubPersonIds<T>(payload: T, key: string, personFields: ReadonlySet<string> = new Set(['personId'])): T {
  const walk = (v: unknown, field?: string): unknown => {
    if (typeof v === 'string') return field && personFields.has(field) && v.trim() ? pseudonymize(v, key) : scrubIdNumbers(v, key);
    if (typeof v === 'number' && field && personFields.has(field)) return pseudonymize(String(v), key);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v instanceof Date) return v.toISOString();
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x, k)]));
    }
    return v;
  };
  return walk(payload) as T;
}

/** In outputs: ID numbers and pseudonyms alike are blanked. */
export function redactText(s: string): string {
  return s.replace(CITIZEN_ID_PATTERN, REDACTED).replace(OLD_CITIZEN_ID_PATTERN, REDACTED).replace(PSEUDONYM_PATTERN, REDACTED);
}

/**
 * Last line of defence over every response body and document: whatever slipped into stored text
 * (a citizen ID typed into an accident summary, a pseudonym in an explanation) does not leave.
 */
export function redactPersonalData<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactPersonalData(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'personId') continue;
      out[k] = redactPersonalData(v);
    }
    return out as T;
  }
  return value;
}
