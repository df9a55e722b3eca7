import { Knex } from 'knex';
import { DEPARTMENTS, Department, EVENT_TYPE_LABELS, EventType, PUBLISHERS } from '../shared/contract';
import { addDays, isoWeekOf, quarterOf, shanghaiDay, startOfDay } from '../shared/time';

/**
 * 数据报送: the health of each department's feeds, from the gateway's own records — the audit
 * log's PUBLISH entries (one per batch, with the counts the department was told) and the
 * rejected records (dead_letter). Both are read over a bounded window, never whole tables.
 */
export const FEED_WINDOW_WEEKS = 12;

export interface FeedRow {
  department: Department;
  departmentName: string;
  eventType: EventType;
  eventTypeLabel: string;
  lastReceived: string | null;
  /** Records taken in this quarter (accepted + duplicates: a resend still shows the feed is alive). */
  quarterReceived: number;
  reportedThisQuarter: boolean;
  accepted: number;
  rejected: number;
  /** rejected / (accepted + duplicates + rejected) over the window; null without records. */
  rejectionRate: number | null;
}

export interface FeedHealth {
  quarter: string;
  windowWeeks: number;
  feeds: FeedRow[];
  /** Departments with at least one feed not reported this quarter (黄石: every department reports each quarter). */
  notReported: { department: Department; departmentName: string; missing: string[] }[];
  weekly: { week: string; department: Department; departmentName: string; accepted: number }[];
  topReasons: { reason: string; count: number }[];
}

type Tally = { accepted: number; duplicates: number; rejected: number };

/** Rejection rate of a tally, rounded to 0.1%; null when nothing came. Pure. */
export function rejectionRate(t: Tally): number | null {
  const all = t.accepted + t.duplicates + t.rejected;
  return all === 0 ? null : Math.round((t.rejected / all) * 1000) / 1000;
}

/** The (department, type) feeds a department (or all, for hrss) is expected to send. */
export function expectedFeeds(only?: Department): { department: Department; eventType: EventType }[] {
  const out: { department: Department; eventType: EventType }[] = [];
  for (const [type, deps] of Object.entries(PUBLISHERS) as [EventType, readonly Department[]][]) {
    for (const d of deps) if (!only || d === only) out.push({ department: d, eventType: type });
  }
  return out.sort((a, b) => Object.keys(DEPARTMENTS).indexOf(a.department) - Object.keys(DEPARTMENTS).indexOf(b.department));
}

/** First day of the quarter '2026-Q4' → '2026-10-01'. */
export function quarterStart(quarter: string): string {
  const [y, q] = quarter.split('-Q').map(Number);
  return `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
}

export async function feedHealth(db: Knex, now: Date, only?: Department): Promise<FeedHealth> {
  const today = shanghaiDay(now);
  const quarter = quarterOf(today);
  const qStart = startOfDay(quarterStart(quarter));
  const since = startOfDay(addDays(today, -7 * FEED_WINDOW_WEEKS));
  const from = qStart < since ? qStart : since;
  const { rows } = await db.raw(
    `select actor as department, object as event_type,
            to_char(date_trunc('week', at at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as week_start,
            max(at) as last_at,
            sum((body::jsonb->'detail'->>'accepted')::int) as accepted,
            sum((body::jsonb->'detail'->>'duplicates')::int) as duplicates,
            sum((body::jsonb->'detail'->>'rejected')::int) as rejected,
            sum((body::jsonb->'detail'->>'accepted')::int + (body::jsonb->'detail'->>'duplicates')::int) filter (where at >= ?) as in_quarter
       from audit_log
      where action = 'PUBLISH' and at >= ? ${only ? 'and actor = ?' : ''}
      group by 1, 2, 3`,
    [qStart, from, ...(only ? [only] : [])],
  );
  // The last batch ever, for feeds silent over the whole window (bounded: one row per feed).
  const { rows: last } = await db.raw(
    `select actor as department, object as event_type, max(at) as last_at from audit_log
      where action = 'PUBLISH' ${only ? 'and actor = ?' : ''} group by 1, 2`,
    only ? [only] : [],
  );
  const key = (d: string, t: string) => `${d}/${t}`;
  const lastEver = new Map<string, Date>(last.map((r: { department: string; event_type: string; last_at: Date }) => [key(r.department, r.event_type), new Date(r.last_at)]));
  const byFeed = new Map<string, Tally & { quarter: number }>();
  const weekly = new Map<string, number>();
  for (const r of rows) {
    const k = key(r.department, r.event_type);
    const t = byFeed.get(k) ?? { accepted: 0, duplicates: 0, rejected: 0, quarter: 0 };
    t.quarter += Number(r.in_quarter ?? 0);
    byFeed.set(k, t);
    // Rows before the window are there only for the quarter's count.
    if (new Date(r.last_at) < new Date(since)) continue;
    t.accepted += Number(r.accepted ?? 0);
    t.duplicates += Number(r.duplicates ?? 0);
    t.rejected += Number(r.rejected ?? 0);
    const wk = isoWeekOf(new Date(startOfDay(r.week_start))).week;
    weekly.set(`${wk}|${r.department}`, (weekly.get(`${wk}|${r.department}`) ?? 0) + Number(r.accepted ?? 0));
  }
  const feeds: FeedRow[] = expectedFeeds(only).map(({ department, eventType }) => {
    const t = byFeed.get(key(department, eventType)) ?? { accepted: 0, duplicates: 0, rejected: 0, quarter: 0 };
    const lastAt = lastEver.get(key(department, eventType));
    return {
      department,
      departmentName: DEPARTMENTS[department],
      eventType,
      eventTypeLabel: EVENT_TYPE_LABELS[eventType],
      lastReceived: lastAt ? lastAt.toISOString() : null,
      quarterReceived: t.quarter,
      reportedThisQuarter: t.quarter > 0,
      accepted: t.accepted,
      rejected: t.rejected,
      rejectionRate: rejectionRate(t),
    };
  });
  const missing = new Map<Department, string[]>();
  for (const f of feeds) if (!f.reportedThisQuarter) missing.set(f.department, [...(missing.get(f.department) ?? []), f.eventTypeLabel]);
  const { rows: reasons } = await db.raw(
    `select r->>'reason' as reason, count(*)::int as n
       from (select reasons from dead_letter where received_at >= ? ${only ? 'and department = ?' : ''} order by received_at desc limit 50000) d,
            jsonb_array_elements(d.reasons) r
      group by 1 order by 2 desc, 1 limit 10`,
    [since, ...(only ? [only] : [])],
  );
  return {
    quarter,
    windowWeeks: FEED_WINDOW_WEEKS,
    feeds,
    notReported: [...missing].map(([department, m]) => ({ department, departmentName: DEPARTMENTS[department], missing: m })),
    weekly: [...weekly]
      .map(([k, accepted]) => {
        const [week, department] = k.split('|') as [string, Department];
        return { week, department, departmentName: DEPARTMENTS[department], accepted };
      })
      .sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : a.department < b.department ? -1 : 1)),
    topReasons: reasons.map((r: { reason: string; n: number }) => ({ reason: r.reason, count: Number(r.n) })),
  };
}

export interface DeadLetterView {
  department: Department;
  departmentName: string;
  eventType: string;
  eventTypeLabel: string;
  source: string;
  sourceLabel: string;
  eventId: string | null;
  /** Row of the file (FILE) or index in the array (API). */
  position: number;
  reasons: { field: string; reason: string }[];
  receivedAt: string;
}

export async function listDeadLetters(db: Knex, q: { department?: Department; limit: number; offset: number }): Promise<{ total: number; items: DeadLetterView[] }> {
  const base = db('dead_letter').modify((b) => {
    if (q.department) b.where('department', q.department);
  });
  const [{ n }] = await base.clone().count({ n: '*' });
  const rows = await base.clone().select('*').orderBy([{ column: 'received_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(q.limit).offset(q.offset);
  return {
    total: Number(n),
    items: rows.map((r: Record<string, any>) => ({
      department: r.department,
      departmentName: DEPARTMENTS[r.department as Department] ?? '其他部门',
      eventType: r.event_type,
      eventTypeLabel: EVENT_TYPE_LABELS[r.event_type as EventType] ?? '其他数据',
      source: r.source,
      sourceLabel: r.source === 'FILE' ? '文件报送' : '系统推送',
      eventId: r.event_id,
      position: Number(r.position),
      reasons: typeof r.reasons === 'string' ? JSON.parse(r.reasons) : r.reasons,
      receivedAt: new Date(r.received_at).toISOString(),
    })),
  };
}
