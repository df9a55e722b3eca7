/**
 * Reading one cell or JSON value as what the contract wants. Pure functions: each returns the
 * value or the Chinese reason it cannot be read. Files bring Excel dates (Date objects holding
 * the wall-clock time in UTC fields), numbers typed as text, full-width digits and `是/否`.
 */
import { shanghaiDay } from '../shared/time';

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const no = <T>(reason: string): Read<T> => ({ ok: false, reason });

/** China has used one offset (+08:00, no daylight saving) since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Absent means: null, undefined, or text that is empty after trimming. */
export function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** Text as a person typed it: NFKC folds full-width letters and digits, spaces trimmed. */
export function readText(v: unknown): Read<string> {
  if (typeof v === 'string') return ok(v.normalize('NFKC').trim());
  if (typeof v === 'number' && Number.isFinite(v)) return ok(String(v));
  if (typeof v === 'boolean') return ok(v ? 'true' : 'false');
  return no('应为文本');
}

function describe(v: unknown): string {
  if (v instanceof Date) return '日期';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return `“${s.length > 40 ? `${s.slice(0, 40)}…` : s}”`;
}

export function readNumber(v: unknown, opts: { integer?: boolean; min?: number; max?: number } = {}): Read<number> {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    // Thousands separators and full-width digits are common in spreadsheets typed by hand.
    const s = v.normalize('NFKC').trim().replace(/,/g, '');
    n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN;
  } else n = NaN;
  if (!Number.isFinite(n)) return no(`应为数字，实际为 ${describe(v)}`);
  if (opts.integer && !Number.isInteger(n)) return no(`应为整数，实际为 ${n}`);
  if (opts.integer && Math.abs(n) > 2_147_483_647) return no(`数值 ${n} 超出整数范围`);
  if (opts.min !== undefined && n < opts.min) return no(`不能小于 ${opts.min}，实际为 ${n}`);
  if (opts.max !== undefined && n > opts.max) return no(`不能大于 ${opts.max}，实际为 ${n}`);
  return ok(n);
}

const TRUE_WORDS = new Set(['是', 'Y', 'YES', 'TRUE', '1', '√']);
const FALSE_WORDS = new Set(['否', 'N', 'NO', 'FALSE', '0', '×']);

export function readBool(v: unknown): Read<boolean> {
  if (typeof v === 'boolean') return ok(v);
  if (v === 1 || v === 0) return ok(v === 1);
  if (typeof v === 'string') {
    const s = v.normalize('NFKC').trim().toUpperCase();
    if (TRUE_WORDS.has(s)) return ok(true);
    if (FALSE_WORDS.has(s)) return ok(false);
  }
  return no(`应为“是”或“否”，实际为 ${describe(v)}`);
}

/** Contract spellings, Chinese words and Avro symbols alike (case and width folded). */
export function readEnum(v: unknown, symbols: Record<string, string>, display: readonly string[] = Object.keys(symbols)): Read<string> {
  const t = readText(v);
  if (t.ok) {
    const key = t.value.toUpperCase().replace(/\s+/g, '');
    for (const [spelling, symbol] of Object.entries(symbols)) {
      if (spelling.toUpperCase() === key) return ok(symbol);
    }
  }
  return no(`取值应为 ${display.join('、')} 之一，实际为 ${describe(v)}`);
}

// ---- dates and times -------------------------------------------------------------------

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function validYmd(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && y <= 9999 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}


/** Excel's serial day number (1900 date system, as written by Excel) → 'YYYY-MM-DD'. */
function excelSerialToDate(serial: number): string {
  return new Date(Math.round((serial - 25569) * 86_400_000)).toISOString().slice(0, 10);
}

const DATE_RE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
const DATETIME_RE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(\.\d{1,3})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export interface DateContext {
  now: Date;
  /** Files may hold Excel serial numbers in date columns; JSON may not. */
  acceptSerial: boolean;
  /** A planned date may lie in the future (FieldSpec.planned). */
  planned?: boolean;
}

/** A calendar date, 'YYYY-MM-DD', valid and, unless planned, not after today (Asia/Shanghai). */
export function readDate(v: unknown, ctx: DateContext): Read<string> {
  let ymd: string | undefined;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return no('日期无效');
    ymd = v.toISOString().slice(0, 10); // Excel cells carry the wall-clock date in UTC fields
  } else if (typeof v === 'number' && ctx.acceptSerial && v > 0 && v < 2_958_466) {
    ymd = excelSerialToDate(v);
  } else if (typeof v === 'string') {
    const s = v.normalize('NFKC').trim();
    const m = DATE_RE.exec(s);
    if (m) {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (!validYmd(y, mo, d)) return no(`日期 ${s} 不存在`);
      ymd = `${m[1]}-${pad(mo)}-${pad(d)}`;
    } else {
      // A full ISO timestamp is a date too: its day in Asia/Shanghai.
      const t = readTimestamp(s, { ...ctx, now: new Date(8.64e15) });
      if (!t.ok) return no(`日期格式应为 YYYY-MM-DD 或 YYYY/M/D，实际为 ${describe(v)}`);
      ymd = shanghaiDay(new Date(t.value));
    }
  } else {
    return no(`应为日期，实际为 ${describe(v)}`);
  }
  if (ymd < '1900-01-01') return no(`日期 ${ymd} 早于 1900 年`);
  const today = shanghaiDay(ctx.now);
  if (ymd > today && !ctx.planned) return no(`日期 ${ymd} 晚于今天（${today}）`);
  return ok(ymd);
}

/**
 * A point in time as an ISO UTC string. Without a zone (发生时间 2026-03-01 08:30) it is
 * Asia/Shanghai time; Excel date-time cells likewise.
 */
export function readTimestamp(v: unknown, ctx: DateContext): Read<string> {
  let ms: number;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return no('时间无效');
    ms = v.getTime() - SHANGHAI_OFFSET_MS;
  } else if (typeof v === 'number' && ctx.acceptSerial && v > 0 && v < 2_958_466) {
    ms = Math.round((v - 25569) * 86_400_000) - SHANGHAI_OFFSET_MS;
  } else if (typeof v === 'string') {
    const s = v.normalize('NFKC').trim();
    const m = DATETIME_RE.exec(s);
    if (!m) return no(`时间格式应为 YYYY-MM-DD HH:mm 或 ISO 8601，实际为 ${describe(v)}`);
    const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
    if (!validYmd(y, mo, d)) return no(`日期 ${m[1]}-${pad(mo)}-${pad(d)} 不存在`);
    if (h > 23 || mi > 59 || sec > 59) return no(`时间 ${pad(h)}:${pad(mi)}:${pad(sec)} 无效`);
    const frac = m[7] ? Number(m[7]) * 1000 : 0;
    const local = Date.UTC(y, mo - 1, d, h, mi, sec) + Math.round(frac);
    const zone = m[8];
    let offset = SHANGHAI_OFFSET_MS;
    if (zone && zone.toUpperCase() === 'Z') offset = 0;
    else if (zone) {
      const z = zone.replace(':', '');
      offset = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
    }
    ms = local - offset;
  } else {
    return no(`应为时间，实际为 ${describe(v)}`);
  }
  if (ms < Date.UTC(1900, 0, 1)) return no('时间早于 1900 年');
  // A few minutes of clock skew between a department's system and the hub is not "future".
  if (ms > ctx.now.getTime() + 5 * 60_000) {
    return no(`${new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')}（北京时间）晚于当前时间`);
  }
  return ok(new Date(ms).toISOString());
}
