import { EventType } from '../shared/contract';
import { periodStart } from '../shared/period';
import { addDays, dayOf } from '../shared/time';

/**
 * A fact is one input event as the correlator keeps it: the latest revision of (department,
 * type, eventId), with the two days every rule needs: when it happened (event time) and when
 * the hub first learned of it (known time). Both are Shanghai calendar days.
 */
export interface Fact {
  department: string;
  eventType: EventType;
  eventId: string;
  /** ISO timestamp of the event's own time (a date is its Shanghai midnight). */
  eventTime: string;
  /** Shanghai day of the event. */
  day: string;
  /** Shanghai day the hub first received it (revision 1), never before the event day. */
  knownDay: string;
  revision: number;
  payload: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface EmployerFacts {
  employerKey: string;
  uscc: string | null;
  name: string;
  regionCode: string;
  industryCode: string | null;
  facts: Fact[];
}

/** The field that carries each type's event time. */
export const EVENT_TIME_FIELD: Record<EventType, string> = {
  employer: 'asOf',
  enrollment: 'effectiveDate',
  accident: 'occurredAt',
  hazard: 'sampledAt',
  disease: 'diagnosedAt',
  injury: 'injuryDate',
  project: 'startDate',
  rectification: 'verifiedAt',
  contribution: 'period', // 所属期: its first day (2026 → 2026-01-01, 2026-Q3 → 2026-07-01)
  benefit: 'paidAt',
  training: 'heldAt',
  inspection: 'inspectedAt',
};

export function eventTimeOf(type: EventType, value: Record<string, unknown>): string {
  const raw = String(value[EVENT_TIME_FIELD[type]]);
  const v = type === 'contribution' ? periodStart(raw) : raw;
  return v.length === 10 ? `${v}T00:00:00+08:00` : v;
}

/** Identity of an event across revisions. */
export const factKey = (f: { department: string; eventType: string; eventId: string }): string => `${f.department}|${f.eventType}|${f.eventId}`;

/**
 * A stored row → a Fact. The known day is the first ingestion (a correction does not make an
 * old event new), at least the event day, at most `today` (nothing in the database is unknown
 * now). A project is known when it is registered: its 开工日期 may lie ahead.
 */
export function toFact(row: { department: string; event_type: string; event_id: string; event_time: Date | string; payload: Record<string, any> }, today: string): Fact { // eslint-disable-line @typescript-eslint/no-explicit-any
  const p = row.payload;
  const type = row.event_type as EventType;
  const eventTime = new Date(row.event_time).toISOString();
  const day = dayOf(eventTime);
  const ingested = typeof (p.firstIngestedAt ?? p.ingestedAt) === 'string' ? dayOf(p.firstIngestedAt ?? p.ingestedAt) : day;
  let knownDay = type === 'project' || ingested > day ? ingested : day;
  if (knownDay > today) knownDay = today;
  return { department: row.department, eventType: type, eventId: row.event_id, eventTime, day, knownDay, revision: Number(p.revision ?? 1), payload: p };
}

/** Facts in a fixed order (event time, then identity), whatever order they were loaded in. */
export function sortFacts(facts: Fact[]): Fact[] {
  return [...facts].sort((a, b) => (a.eventTime === b.eventTime ? (factKey(a) < factKey(b) ? -1 : 1) : a.eventTime < b.eventTime ? -1 : 1));
}

/** Was the fact reported only after a window of `days` from its event day had passed (迟报)? */
export function reportedLate(f: Fact, days: number): boolean {
  return f.knownDay >= addDays(f.day, days);
}

/**
 * The window a windowed rule counts a fact in: `days` from its event day. With `raiseLate`, a
 * fact reported only after that window had passed counts for `days` from the day it was
 * reported instead, so that the late report still raises what it would have raised (迟报);
 * without it, such a fact counts nowhere here and is listed as a late report instead.
 */
export function windowOf(f: Fact, days: number, raiseLate: boolean): { from: string; until: string; late: boolean } {
  if (raiseLate && reportedLate(f, days)) return { from: f.knownDay, until: addDays(f.knownDay, days), late: true };
  return { from: f.day, until: addDays(f.day, days), late: false };
}

/** Is `t` inside the fact's window (from inclusive, until exclusive)? */
export function inWindow(f: Fact, days: number, t: string, raiseLate = false): boolean {
  const w = windowOf(f, days, raiseLate);
  return w.from <= t && t < w.until;
}
