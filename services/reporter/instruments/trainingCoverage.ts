import { Knex } from 'knex';
import { RegionConfig } from '../../shared/regionConfig';
import { addDays, shanghaiDay } from '../../shared/time';

/**
 * Training coverage (CONTRACT section 4): per employer in the key industries, the key-post staff
 * trained in the last 365 days ÷ its key-post headcount (target 100%); the region's coverage is
 * the plan's indicator. The key-post headcount is the latest one an employer's training records
 * give (重点岗位总人数); employers that never gave one are counted apart.
 */
export interface EmployerTraining {
  employerKey: string;
  employerName: string;
  trained: number;
  keyPostTotal: number | null;
  coverage: number | null;
  lastTraining: string | null;
}

export interface TrainingCoverage {
  asOf: string;
  keyIndustryEmployers: number;
  withTraining: number;
  withoutTraining: number;
  withoutHeadcount: number;
  trained: number;
  keyPostTotal: number;
  coverage: number | null;
  target: number;
  employers: EmployerTraining[];
}

/** From an employer's training records of the window (pure). */
export function employerTraining(records: { heldAt: string; keyPostTrainees: number; keyPostTotal: number | null }[]): { trained: number; total: number | null; last: string | null } {
  const sorted = [...records].sort((a, b) => (a.heldAt < b.heldAt ? -1 : 1));
  const total = [...sorted].reverse().find((r) => r.keyPostTotal !== null)?.keyPostTotal ?? null;
  const sum = sorted.reduce((s, r) => s + r.keyPostTrainees, 0);
  return { trained: total === null ? sum : Math.min(sum, total), total, last: sorted.length ? sorted[sorted.length - 1].heldAt : null };
}

export async function trainingCoverage(db: Knex, region: RegionConfig, asOf: Date, limit = 1000): Promise<TrainingCoverage> {
  const today = shanghaiDay(asOf);
  const since = addDays(today, -region.rules.evidenceWindowDays);
  const employers = await db('employer')
    .whereRaw('industry_code like any(?::text[])', [region.keyIndustryPrefixes.map((p) => `${p}%`)])
    .select('employer_key', 'name', 'industry_code');
  const keys = employers.map((e: { employer_key: string }) => e.employer_key);
  const { rows } = keys.length
    ? await db.raw(
        `select a.canonical_key as k, f.payload->>'heldAt' as held_at, (f.payload->>'keyPostTrainees')::int as trainees, (f.payload->>'keyPostTotal')::int as total
           from fact f join employer_alias a on a.raw_key = f.raw_key
          where f.event_type = 'training' and a.canonical_key = any(?::text[]) and f.payload->>'heldAt' > ? and f.payload->>'heldAt' <= ?`,
        [keys, since, today],
      )
    : { rows: [] };
  const byKey = new Map<string, { heldAt: string; keyPostTrainees: number; keyPostTotal: number | null }[]>();
  for (const r of rows as { k: string; held_at: string; trainees: number; total: number | null }[]) {
    byKey.set(r.k, [...(byKey.get(r.k) ?? []), { heldAt: r.held_at, keyPostTrainees: r.trainees, keyPostTotal: r.total }]);
  }
  const list: EmployerTraining[] = employers.map((e: { employer_key: string; name: string }) => {
    const t = employerTraining(byKey.get(e.employer_key) ?? []);
    return { employerKey: e.employer_key, employerName: e.name, trained: t.trained, keyPostTotal: t.total, coverage: t.total ? t.trained / t.total : null, lastTraining: t.last };
  });
  const known = list.filter((e) => e.keyPostTotal !== null && e.keyPostTotal > 0);
  const trained = known.reduce((s, e) => s + e.trained, 0);
  const total = known.reduce((s, e) => s + (e.keyPostTotal ?? 0), 0);
  list.sort((a, b) => (a.coverage ?? -1) - (b.coverage ?? -1) || (a.employerKey < b.employerKey ? -1 : 1));
  return {
    asOf: asOf.toISOString(),
    keyIndustryEmployers: list.length,
    withTraining: list.filter((e) => e.lastTraining).length,
    withoutTraining: list.filter((e) => !e.lastTraining).length,
    withoutHeadcount: list.filter((e) => e.keyPostTotal === null).length,
    trained,
    keyPostTotal: total,
    coverage: total ? trained / total : null,
    target: 1,
    employers: list.slice(0, limit),
  };
}
