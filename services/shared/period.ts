import { DateTime } from 'luxon';

/**
 * A contribution's 所属期 (CONTRACT section 2) as the contract spells it: a year `2026` or a
 * quarter `2026-Q1` … `2026-Q4`. The gateway reads the other spellings staff use (2026年,
 * 2026年第1季度, 2026Q1) into this form; its first day is the contribution's event time.
 */
const PERIOD = /^(\d{4})(?:-Q([1-4]))?$/;

export function isPeriod(s: string): boolean {
  return PERIOD.test(s);
}

/** The first day of a period: 2026 → 2026-01-01, 2026-Q3 → 2026-07-01. */
export function periodStart(period: string): string {
  const m = PERIOD.exec(period);
  if (!m) throw new Error(`所属期应为 2026 或 2026-Q1 的形式，实际为 ${period}`);
  const month = m[2] ? (Number(m[2]) - 1) * 3 + 1 : 1;
  return `${m[1]}-${String(month).padStart(2, '0')}-01`;
}

/** The last day of a period: 2026 → 2026-12-31, 2026-Q1 → 2026-03-31. */
export function periodEnd(period: string): string {
  const months = PERIOD.exec(period)?.[2] ? 3 : 12;
  return DateTime.fromISO(periodStart(period)).plus({ months }).minus({ days: 1 }).toISODate()!;
}
