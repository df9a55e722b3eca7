import { Knex } from 'knex';
import { PlanTargets, RegionConfig } from '../shared/regionConfig';
import { shanghaiDay } from '../shared/time';

/**
 * 五年目标: the plan's indicators for the region, computed from the correlator's facts and the
 * stored weekly lists. Aggregates only (no employer, no person). Each indicator comes with its
 * target and a verdict in Chinese, from the pure functions below.
 */
export interface YearRate {
  year: number;
  accidents: number;
  insured: number;
  /** Accidents per 100 insured workers; null without insured workers. */
  ratePer100: number | null;
}

export interface PlanIndicators {
  targets: PlanTargets | null;
  /** The rate to reach: baseline × (1 − reduction). */
  accidentRateTarget: number | null;
  keyIndustryAccidentRate: YearRate[];
  coverage: { keyIndustries: Coverage; dustIndustries: Coverage };
  earlyPneumoconiosis: { year: number; cases: number; early: number; share: number | null }[];
  /** Falling every year (the plan's wording): false names the first year it did not fall. */
  earlyShareFalling: { falling: boolean; note: string };
  riskListWeeks: { week: string; employers: number; priority: number }[];
}

export interface Coverage {
  insured: number;
  headcount: number;
  share: number | null;
  meetsTarget: boolean | null;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export function ratePer100(accidents: number, insured: number): number | null {
  return insured > 0 ? round((accidents / insured) * 100) : null;
}

export function coverageOf(insured: number, headcount: number, target: number | undefined): Coverage {
  const share = headcount > 0 ? round(Math.min(insured, headcount) / headcount) : null;
  return { insured, headcount, share, meetsTarget: share === null || target === undefined ? null : share >= target };
}

/** Whether the yearly shares fall every year (years without cases are passed over). */
export function fallingEveryYear(series: { year: number; share: number | null }[]): { falling: boolean; note: string } {
  const known = series.filter((s) => s.share !== null) as { year: number; share: number }[];
  if (known.length < 2) return { falling: true, note: '可比年份不足两年，暂无法判断趋势' };
  for (let i = 1; i < known.length; i++) {
    if (known[i].share >= known[i - 1].share) return { falling: false, note: `${known[i].year} 年未比 ${known[i - 1].year} 年下降` };
  }
  return { falling: true, note: `${known[0].year}—${known[known.length - 1].year} 年逐年下降` };
}

/** A SQL test that an industry code starts with one of the prefixes (parameters, never text). */
function prefixTest(column: string, prefixes: string[]): { sql: string; bindings: string[] } {
  if (!prefixes.length) return { sql: 'false', bindings: [] };
  return { sql: `(${prefixes.map(() => `${column} like ?`).join(' or ')})`, bindings: prefixes.map((p) => `${p}%`) };
}

/** Workers insured at the end of `day` in employers matching `industry`: last enrolment action per person is ENROLL. */
async function insuredAt(db: Knex, day: string, industry: { sql: string; bindings: string[] }): Promise<{ insured: number; headcount: number }> {
  const { rows } = await db.raw(
    `with emp as (select employer_key, headcount from employer e where ${industry.sql}),
          last as (
            select distinct on (a.canonical_key, f.payload->>'personId') f.payload->>'action' as action
              from fact f join employer_alias a on a.raw_key = f.raw_key join emp on emp.employer_key = a.canonical_key
             where f.event_type = 'enrollment' and f.payload->>'effectiveDate' <= ?
             order by a.canonical_key, f.payload->>'personId', f.payload->>'effectiveDate' desc, f.event_id desc)
     select (select count(*) from last where action = 'ENROLL')::int as insured,
            (select coalesce(sum(headcount), 0) from emp)::bigint as headcount`,
    [...industry.bindings, day],
  );
  return { insured: Number(rows[0].insured), headcount: Number(rows[0].headcount) };
}

export async function planIndicators(db: Knex, region: RegionConfig, now: Date): Promise<PlanIndicators> {
  const targets = region.planTargets ?? null;
  const today = shanghaiDay(now);
  const thisYear = Number(today.slice(0, 4));
  const firstYear = Math.max(targets?.baselineYear ?? thisYear - 5, thisYear - 6);
  const key = prefixTest('e.industry_code', region.keyIndustryPrefixes);
  const dust = prefixTest('e.industry_code', region.dustIndustryPrefixes);

  const { rows: accidents } = await db.raw(
    `select extract(year from f.event_time at time zone 'Asia/Shanghai')::int as year, count(*)::int as n
       from fact f join employer_alias a on a.raw_key = f.raw_key join employer e on e.employer_key = a.canonical_key
      where f.event_type = 'accident' and f.event_time >= ? and ${key.sql}
      group by 1`,
    [`${firstYear}-01-01T00:00:00+08:00`, ...key.bindings],
  );
  const byYear = new Map<number, number>(accidents.map((r: { year: number; n: number }) => [Number(r.year), Number(r.n)]));
  const keyIndustryAccidentRate: YearRate[] = [];
  for (let y = firstYear; y <= thisYear; y++) {
    const n = byYear.get(y) ?? 0;
    const { insured } = await insuredAt(db, y === thisYear ? today : `${y}-12-31`, key);
    if (n === 0 && insured === 0) continue;
    keyIndustryAccidentRate.push({ year: y, accidents: n, insured, ratePer100: ratePer100(n, insured) });
  }

  const [keyNow, dustNow] = await Promise.all([insuredAt(db, today, key), insuredAt(db, today, dust)]);

  const { rows: disease } = await db.raw(
    `select extract(year from (f.payload->>'diagnosedAt')::date)::int as year, count(*)::int as cases,
            count(*) filter (where (f.payload->>'exposureYears')::float8 < ?)::int as early
       from fact f
      where f.event_type = 'disease' and f.payload->>'category' = '1' and f.payload->>'diagnosedAt' >= ?
      group by 1 order by 1`,
    [region.rules.earlyPneumoconiosisYears, `${firstYear}-01-01`],
  );
  const earlyPneumoconiosis = disease.map((r: { year: number; cases: number; early: number }) => ({
    year: Number(r.year),
    cases: Number(r.cases),
    early: Number(r.early),
    share: Number(r.cases) > 0 ? round(Number(r.early) / Number(r.cases)) : null,
  }));

  const weeks = await db('risk_list').select('week', 'employer_count', 'priority_count').orderBy('week', 'desc').limit(52);

  return {
    targets,
    accidentRateTarget: targets ? round(targets.keyIndustryAccidentRateBaseline * (1 - targets.accidentRateReduction)) : null,
    keyIndustryAccidentRate,
    coverage: {
      keyIndustries: coverageOf(keyNow.insured, keyNow.headcount, targets?.coverageTarget),
      dustIndustries: coverageOf(dustNow.insured, dustNow.headcount, targets?.coverageTarget),
    },
    earlyPneumoconiosis,
    earlyShareFalling: fallingEveryYear(earlyPneumoconiosis),
    riskListWeeks: weeks.reverse().map((w) => ({ week: w.week, employers: Number(w.employer_count), priority: Number(w.priority_count) })),
  };
}
