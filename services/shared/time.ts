import { DateTime, FixedOffsetZone } from 'luxon';
import { HubError } from './errors';

/**
 * Time as the hub reckons it: calendar days in China, ISO weeks, and the dates of documents
 * (2026年3月1日). A "day" is 'YYYY-MM-DD'; an instant is an ISO timestamp or a Date. Every
 * service takes its day boundaries from here, so none of them falls back to UTC midnight.
 *
 * China has kept one offset, UTC+8, without daylight saving since 1991, so the zone is the fixed
 * offset: the same days as Asia/Shanghai for every date the hub handles, and day arithmetic on
 * the correlator's hot path costs a Date, not a time-zone lookup (luxon with the named zone took
 * a quarter of the correlator's CPU time).
 */
export const ZONE = FixedOffsetZone.instance(8 * 60);
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

const fromDay = (day: string): DateTime => DateTime.fromISO(day, { zone: ZONE });
const utcMidnight = (day: string): number => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
const dayAt = (utcMs: number): string => new Date(utcMs).toISOString().slice(0, 10);

let lastInstant = NaN;
let lastDay = '';

/** Calendar day in Shanghai of an instant. */
export function shanghaiDay(at: Date): string {
  // Validation asks for the same instant's day once per date field of every record.
  const ms = at.getTime();
  if (ms !== lastInstant) {
    lastDay = dayAt(ms + OFFSET_MS);
    lastInstant = ms;
  }
  return lastDay;
}

/** The Shanghai day of a date ('2026-03-01', kept as it is) or of a timestamp. */
export function dayOf(dateOrTimestamp: string): string {
  if (dateOrTimestamp.length <= 10) return dateOrTimestamp;
  return dayAt(Date.parse(dateOrTimestamp) + OFFSET_MS);
}

export function addDays(day: string, n: number): string {
  return dayAt(utcMidnight(day) + n * DAY_MS);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utcMidnight(b) - utcMidnight(a)) / DAY_MS);
}

/** The instant a Shanghai day starts, as an ISO timestamp in UTC (2026-03-01 → 2026-02-28T16:00:00.000Z). */
export function startOfDay(day: string): string {
  return new Date(utcMidnight(day) - OFFSET_MS).toISOString();
}

/** 2026-03-01 → 2026年3月1日 (the date of an official document). */
export function cnDate(dateOrTimestamp: string): string {
  const d = fromDay(dayOf(dateOrTimestamp));
  return `${d.year}年${d.month}月${d.day}日`;
}

/** 2026-03-01 → 3·1 (as in the title of an accident circular, “3·1”事故). */
export function monthDotDay(dateOrTimestamp: string): string {
  const d = fromDay(dayOf(dateOrTimestamp));
  return `${d.month}·${d.day}`;
}

/**
 * ISO 8601 weeks in China time: week 1 is the week with the year's first Thursday; weeks run
 * Monday 00:00 to the next Monday 00:00 local time.
 */
export interface IsoWeek {
  week: string; // '2026-W47'
  year: number;
  number: number;
  /** Monday 'YYYY-MM-DD' and Sunday 'YYYY-MM-DD' (local dates). */
  start: string;
  end: string;
  /** Monday 00:00 Shanghai and the next Monday 00:00 Shanghai, as instants. */
  startsAt: Date;
  endsAt: Date;
}

function weekOf(monday: DateTime): IsoWeek {
  return {
    week: `${monday.weekYear}-W${String(monday.weekNumber).padStart(2, '0')}`,
    year: monday.weekYear,
    number: monday.weekNumber,
    start: monday.toISODate()!,
    end: monday.plus({ days: 6 }).toISODate()!,
    startsAt: monday.toJSDate(),
    endsAt: monday.plus({ weeks: 1 }).toJSDate(),
  };
}

/** Parses '2026-W47' (also '2026W47'); throws BAD_REQUEST with a Chinese message otherwise. */
export function parseIsoWeek(text: string): IsoWeek {
  const m = /^(\d{4})-?W(\d{2})$/i.exec(text.trim());
  const monday = m ? DateTime.fromObject({ weekYear: Number(m[1]), weekNumber: Number(m[2]), weekday: 1 }, { zone: ZONE }) : null;
  if (!m || !monday?.isValid || monday.weekNumber !== Number(m[2])) {
    throw new HubError('BAD_REQUEST', `周次应为 ISO 周格式（如 2026-W47），实际为“${text}”`, { parameter: 'week' });
  }
  return weekOf(monday);
}

/** The ISO week containing `at` in Shanghai time. */
export function isoWeekOf(at: Date): IsoWeek {
  return weekOf(DateTime.fromJSDate(at, { zone: ZONE }).startOf('week'));
}

/** The week before `w`. */
export function previousWeek(w: IsoWeek): IsoWeek {
  return weekOf(DateTime.fromJSDate(w.startsAt, { zone: ZONE }).minus({ weeks: 1 }));
}

/** The week that has just ended at `at` (on Monday 08:00 Shanghai: the week before). */
export function weekJustEnded(at: Date): IsoWeek {
  return previousWeek(isoWeekOf(at));
}

/** The quarter of a day: '2026-Q1'. */
export function quarterOf(day: string): string {
  const d = fromDay(day);
  return `${d.year}-Q${d.quarter}`;
}
