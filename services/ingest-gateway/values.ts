/**
 * Reading one cell or JSON value as what the contract wants. Pure functions: each returns the
 * value or the Chinese reason it cannot be read. Files bring Excel dates (Date objects holding
 * the wall-clock time in UTC fields), numbers typed as text, full-width digits and `是/否`.
 */
import { periodStart } from '../shared/period';
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

/**
 * Characters no text of a record may hold: control characters other than tab and line breaks
 * (PostgreSQL refuses U+0000, and XML — XLSX, DOCX — cannot carry the others, so one would break
 * every list and letter the employer appears in), U+FFFE/U+FFFF, and a lone UTF-16 surrogate (not
 * a character at all: it would be stored as “\ufffd”).
 */
export const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function unprintable(s: string): Read<never> | null {
  const m = UNPRINTABLE.exec(s);
  if (!m) return null;
  const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  const what = code >= 'D800' && code <= 'DFFF' ? `无效的 Unicode 代理项 U+${code}` : `不可见的控制字符 U+${code}`;
  return no(`第 ${m.index + 1} 个字符是${what}，请删除后重新报送`);
}

/**
 * Text kept exactly as sent, spaces trimmed (CONTRACT section 3): names, posts, summaries and
 * notes keep full-width brackets, rare characters (𠮷, 䶮) and CJK compatibility ideographs (﨑),
 * which NFKC would rewrite.
 */
export function readText(v: unknown): Read<string> {
  if (typeof v === 'string') return unprintable(v) ?? ok(v.trim());
  if (typeof v === 'number' && Number.isFinite(v)) return ok(String(v));
  if (typeof v === 'boolean') return ok(v ? 'true' : 'false');
  return no('应为文本');
}

/** A code as a person typed it (record ids, USCC, 项目编号…): NFKC folds full-width letters and digits. */
export function readCode(v: unknown): Read<string> {
  if (typeof v === 'string') return unprintable(v) ?? ok(v.normalize('NFKC').trim());
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
  return inRange(n, opts);
}

/** `n` within [min, max]; `note` follows the value in the reason (how it was converted). */
export function inRange(n: number, opts: { min?: number; max?: number }, note = ''): Read<number> {
  if (opts.min !== undefined && n < opts.min) return no(`不能小于 ${opts.min}，实际为 ${n}${note}`);
  if (opts.max !== undefined && n > opts.max) return no(`不能大于 ${opts.max}，实际为 ${n}${note}`);
  return ok(n);
}

/** n × 10^k on the decimal digits, so that 1.1 万元 is 11000 元 and not 11000.000000000002. */
export function shiftDecimal(n: number, k: number): number {
  const [mantissa, exponent = '0'] = String(n).split('e');
  return Number(`${mantissa}e${Number(exponent) + k}`);
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
  const t = readCode(v);
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


/**
 * A plain number in a file's date column is a compact date (20260301) or an Excel serial day
 * number of a cell whose date format was lost. Serials are taken only from 1990-01-01 (32874) to
 * 2099-12-31 (73050): the reports are of recent events, and a small number such as 2026 (a year
 * typed alone) would otherwise become 1905-07-18 without a word.
 */
const SERIAL_FIRST = 32874;
const SERIAL_LAST = 73050;

type Wall = { y: number; mo: number; d: number; h: number; mi: number; sec: number; ms: number; zone?: string };

function fromNumber(v: number): Read<Wall> | undefined {
  if (Number.isInteger(v) && v >= 10_000_000 && v <= 99_991_231) {
    const [y, mo, d] = [Math.floor(v / 10_000), Math.floor(v / 100) % 100, v % 100];
    if (!validYmd(y, mo, d)) return no(`日期 ${y}-${pad(mo)}-${pad(d)} 不存在`);
    return ok({ y, mo, d, h: 0, mi: 0, sec: 0, ms: 0 });
  }
  if (v >= SERIAL_FIRST && v <= SERIAL_LAST) {
    // Excel's 1900 date system: serial 25569 is 1970-01-01; the fraction is the time of day.
    const t = new Date(Math.round((v - 25569) * 86_400_000));
    return ok({
      y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(),
      sec: t.getUTCSeconds(), ms: t.getUTCMilliseconds(),
    });
  }
  return undefined;
}

const NOT_A_DATE = (v: number) => `数字 ${v} 不是日期：请填写 YYYY-MM-DD、YYYY/M/D 或 YYYYMMDD，或将单元格设为日期格式`;

const DATE_PART = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*(日))?/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})(?!\d)()/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?/;
const CN_CLOCK = /^(\d{1,2})\s*[时点]\s*(?:(\d{1,2})\s*分\s*(?:(\d{1,2})\s*秒)?)?/; // 14时30分15秒, 9点
const ZONE = /^(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Wall-clock date and time as people write them: 2026-03-01, 2026/3/1, 2026年3月1日, 20260301,
 * optionally followed by 08:30[:00[.000]] or 8时30分[15秒] and an ISO zone (Z, +08:00).
 * NFKC first: full-width digits and colons are common in typed reports.
 */
function parseWall(text: string): Read<Wall> | undefined {
  const s = text.normalize('NFKC').trim();
  const m = DATE_PART.exec(s) ?? COMPACT_DATE.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let rest = s.slice(m[0].length);
  const separated = /^[T\s]/i.test(rest) || m[4] === '日';
  rest = rest.replace(/^[T\s]+/i, '');
  let time = { h: 0, mi: 0, sec: 0, ms: 0 };
  if (rest && !ZONE.test(rest)) {
    const c = CLOCK.exec(rest) ?? CN_CLOCK.exec(rest);
    if (!c || !separated) return undefined;
    time = { h: Number(c[1]), mi: Number(c[2] ?? 0), sec: Number(c[3] ?? 0), ms: c[4] ? Math.round(Number(c[4]) * 1000) : 0 };
    rest = rest.slice(c[0].length).trim();
  }
  if (rest && !ZONE.test(rest)) return undefined;
  if (!validYmd(y, mo, d)) return no(`日期 ${m[1]}-${pad(mo)}-${pad(d)} 不存在`);
  if (time.h > 23 || time.mi > 59 || time.sec > 59) return no(`时间 ${pad(time.h)}:${pad(time.mi)}:${pad(time.sec)} 无效`);
  return ok({ y, mo, d, ...time, zone: rest || undefined });
}

/** The instant of a wall-clock reading: its zone, or Asia/Shanghai without one. */
function instantOf(w: Wall): number {
  const local = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.sec, w.ms);
  if (!w.zone) return local - SHANGHAI_OFFSET_MS;
  if (w.zone.toUpperCase() === 'Z') return local;
  const z = w.zone.replace(':', '');
  return local - (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
}

export interface DateContext {
  now: Date;
  /** Files may hold Excel serial numbers and compact dates as plain numbers in date columns; JSON may not. */
  acceptSerial: boolean;
  /** A planned date may lie in the future (FieldSpec.planned). */
  planned?: boolean;
}

/** A calendar date, 'YYYY-MM-DD', valid and, unless planned, not after today (Asia/Shanghai). */
export function readDate(v: unknown, ctx: DateContext): Read<string> {
  let ymd: string;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return no('日期无效');
    ymd = v.toISOString().slice(0, 10); // Excel cells carry the wall-clock date in UTC fields
  } else if (typeof v === 'number' && ctx.acceptSerial) {
    const w = fromNumber(v);
    if (!w) return no(NOT_A_DATE(v));
    if (!w.ok) return w;
    ymd = `${w.value.y}-${pad(w.value.mo)}-${pad(w.value.d)}`;
  } else if (typeof v === 'string') {
    const w = parseWall(v);
    if (!w) return no(`日期格式应为 YYYY-MM-DD、YYYY/M/D 或 YYYYMMDD，实际为 ${describe(v)}`);
    if (!w.ok) return w;
    // A timestamp with its zone is a date too: its day in Asia/Shanghai.
    ymd = w.value.zone ? shanghaiDay(new Date(instantOf(w.value))) : `${w.value.y}-${pad(w.value.mo)}-${pad(w.value.d)}`;
  } else {
    return no(`应为日期，实际为 ${describe(v)}`);
  }
  if (ymd < '1900-01-01') return no(`日期 ${ymd} 早于 1900 年`);
  const today = shanghaiDay(ctx.now);
  if (ymd > today && !ctx.planned) return no(`日期 ${ymd} 晚于今天（${today}）`);
  return ok(ymd);
}

/**
 * A point in time as an ISO UTC string. Without a zone (发生时间 2026-03-01 08:30, 2026年3月1日
 * 8时30分) it is Asia/Shanghai time; Excel date-time cells likewise.
 */
export function readTimestamp(v: unknown, ctx: DateContext): Read<string> {
  let ms: number;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return no('时间无效');
    ms = v.getTime() - SHANGHAI_OFFSET_MS;
  } else if (typeof v === 'number' && ctx.acceptSerial) {
    const w = fromNumber(v);
    if (!w) return no(NOT_A_DATE(v));
    if (!w.ok) return w;
    ms = instantOf(w.value);
  } else if (typeof v === 'string') {
    const w = parseWall(v);
    if (!w) return no(`时间格式应为 YYYY-MM-DD HH:mm、2026年3月1日 8时30分 或 ISO 8601，实际为 ${describe(v)}`);
    if (!w.ok) return w;
    ms = instantOf(w.value);
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

// ---- periods and rates ----------------------------------------------------------------

const YEAR_PERIOD = /^(\d{4})(?:年度?)?$/;
const QUARTER_PERIOD = /^(\d{4})(?:[-/.]?Q([1-4])|年度?第?([1-4一二三四])季度?)$/;
const CN_QUARTER: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4' };
const PERIOD_FORMS = '年度（2026、2026年）或季度（2026-Q1、2026Q1、2026年第1季度）';

/**
 * A contribution's 所属期 in the contract's spelling, `2026` or `2026-Q1`, from what staff write:
 * 2026年, 2026年度, 2026Q1, 2026-q1, 2026年第1季度, 2026年第一季度 (a year typed as a number too).
 * A period that has not begun (its first day after today, Asia/Shanghai) is refused: nothing can
 * have been paid for it yet.
 */
export function readPeriod(v: unknown, ctx: DateContext): Read<string> {
  let s: string;
  if (typeof v === 'number' && Number.isInteger(v)) s = String(v);
  else if (typeof v === 'string') s = v.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  else return no(`应为${PERIOD_FORMS}，实际为 ${describe(v)}`);
  const year = YEAR_PERIOD.exec(s);
  const quarter = QUARTER_PERIOD.exec(s);
  const period = year ? year[1] : quarter ? `${quarter[1]}-Q${quarter[2] ?? CN_QUARTER[quarter[3]] ?? quarter[3]}` : undefined;
  if (!period) return no(`应为${PERIOD_FORMS}，实际为 ${describe(v)}`);
  if (period < '1900') return no(`${period} 早于 1900 年`);
  const start = periodStart(period);
  const today = shanghaiDay(ctx.now);
  if (start > today) return no(`${period} 尚未开始（始于 ${start}，今天为 ${today}），不能报送未来所属期的缴费`);
  return ok(period);
}

const RATE_FORMS = '小数（如 0.0045）或百分数（如 0.45%）';

/**
 * A rate as a decimal fraction (执行费率 0.0045), in (0, max]. Staff also write percentages,
 * `0.45%` (or per mille, `4.5‰`); a plain number under a header that names its unit
 * (执行费率(%)) is converted by `convert`. A plain number that would fit as a percentage is
 * refused with that hint: 0.45 is far more likely 0.45% than 45%.
 */
export function readRate(v: unknown, opts: { max: number; unit?: string; convert?: (n: number) => number }): Read<number> {
  const text = typeof v === 'string' ? v.normalize('NFKC').replace(/\s+/g, '') : undefined;
  const sign = text ? /[%‰]$/.exec(text)?.[0] : undefined;
  const written = readNumber(sign ? text!.slice(0, -1) : v);
  if (!written.ok) return no(`应为${RATE_FORMS}，实际为 ${describe(v)}`);
  let rate = written.value;
  let note = '';
  if (sign) {
    rate = shiftDecimal(written.value, sign === '%' ? -2 : -3);
    note = `（由 ${written.value}${sign} 换算）`;
  } else if (opts.convert) {
    rate = opts.convert(written.value);
    note = `（由 ${written.value}${opts.unit ?? ''} 换算）`;
  }
  if (rate > 0 && rate <= opts.max) return ok(rate);
  const hint = !sign && !opts.convert && rate > opts.max && rate <= shiftDecimal(opts.max, 2) ? `；若为百分数请写作 ${rate}%` : '';
  return no(`应大于 0 且不大于 ${opts.max}（${shiftDecimal(opts.max, 2)}%），实际为 ${rate}${note}${hint}`);
}
