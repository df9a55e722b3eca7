import { HubError } from '../shared/errors';

/**
 * ISO 8601 weeks in China time (Asia/Shanghai, UTC+8 all year): week 1 is the week with the
 * year's first Thursday; weeks run Monday 00:00 to the next Monday 00:00 local time.
 */
const DAY = 86_400_000;
const SHANGHAI_OFFSET = 8 * 3600_000;

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

const ymd = (utcMs: number): string => new Date(utcMs).toISOString().slice(0, 10);

/** UTC midnight (as a number) of the Monday of ISO week 1 of `year`. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - dow * DAY;
}

function weeksIn(year: number): number {
  return Math.round((week1Monday(year + 1) - week1Monday(year)) / (7 * DAY));
}

function make(year: number, number: number): IsoWeek {
  const monday = week1Monday(year) + (number - 1) * 7 * DAY;
  return {
    week: `${year}-W${String(number).padStart(2, '0')}`,
    year,
    number,
    start: ymd(monday),
    end: ymd(monday + 6 * DAY),
    startsAt: new Date(monday - SHANGHAI_OFFSET),
    endsAt: new Date(monday + 7 * DAY - SHANGHAI_OFFSET),
  };
}

/** Parses '2026-W47' (also '2026W47'); throws BAD_REQUEST with a Chinese message otherwise. */
export function parseIsoWeek(text: string): IsoWeek {
  const m = /^(\d{4})-?W(\d{2})$/i.exec(text.trim());
  const year = m ? Number(m[1]) : NaN;
  const number = m ? Number(m[2]) : NaN;
  if (!m || number < 1 || number > weeksIn(year)) {
    throw new HubError('BAD_REQUEST', `周次应为 ISO 周格式（如 2026-W47），实际为“${text}”`, { parameter: 'week' });
  }
  return make(year, number);
}

/** The ISO week containing `at` in Shanghai time. */
export function isoWeekOf(at: Date): IsoWeek {
  const local = at.getTime() + SHANGHAI_OFFSET;
  const localMidnight = Math.floor(local / DAY) * DAY;
  const dow = (new Date(localMidnight).getUTCDay() + 6) % 7;
  const thursday = localMidnight + (3 - dow) * DAY; // the ISO year is the Thursday's year
  const year = new Date(thursday).getUTCFullYear();
  const number = Math.floor((thursday - week1Monday(year)) / (7 * DAY)) + 1;
  return make(year, number);
}

/** The week before `w`. */
export function previousWeek(w: IsoWeek): IsoWeek {
  return isoWeekOf(new Date(w.startsAt.getTime() - DAY));
}

/** The week that has just ended at `at` (on Monday 08:00 Shanghai: the week before). */
export function weekJustEnded(at: Date): IsoWeek {
  return previousWeek(isoWeekOf(at));
}

/** Calendar day (YYYY-MM-DD) in Shanghai of an instant. */
export function shanghaiDay(at: Date): string {
  return ymd(at.getTime() + SHANGHAI_OFFSET);
}
