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

/**
 * Workers insured at the end of each of `days`, in the key and in the dust industries, and their
 * headcounts, in one pass over the enrolments: a person is insured at the end of a day when its
 * last enrolment action up to that day (by effective date, then event id) is ENROLL, i.e. an
 * ENROLL whose next action (if any) takes effect after the day. One window over the province's
 * enrolments instead of one sort of them per day asked (a province has millions).
 */
export async function insuredOn(
  db: Knex,
  days: string[],
  key: { sql: string; bindings: string[] },
  dust: { sql: string; bindings: string[] },
): Promise<{ byDay: Map<string, { key: number; dust: number }>; headcount: { key: number; dust: number } }> {
  const { rows } = await db.raw(
    `with emp as (
            select employer_key, headcount, ${key.sql} as is_key, ${dust.sql} as is_dust
              from employer e where ${key.sql} or ${dust.sql}),
          ev as (
            select emp.is_key, emp.is_dust, f.payload->>'action' as action, f.payload->>'effectiveDate' as eff,
                   lead(f.payload->>'effectiveDate') over (
                     partition by a.canonical_key, f.payload->>'personId'
                     order by f.payload->>'effectiveDate', f.event_id) as next_eff
              from fact f join employer_alias a on a.raw_key = f.raw_key join emp on emp.employer_key = a.canonical_key
             where f.event_type = 'enrollment' and f.payload->>'effectiveDate' is not null),
          days as (select unnest(?::text[]) as day)
     select d.day,
            count(ev.*) filter (where ev.is_key)::int as key_insured,
            count(ev.*) filter (where ev.is_dust)::int as dust_insured,
            (select coalesce(sum(headcount) filter (where is_key), 0) from emp)::bigint as key_headcount,
            (select coalesce(sum(headcount) filter (where is_dust), 0) from emp)::bigint as dust_headcount
       from days d
       left join ev on ev.action = 'ENROLL' and ev.eff <= d.day and (ev.next_eff is null or ev.next_eff > d.day)
      group by d.day`,
    [...key.bindings, ...dust.bindings, ...key.bindings, ...dust.bindings, days],
  );
  const byDay = new Map<string, { key: number; dust: number }>(rows.map((r: Record<string, string>) => [r.day, { key: Number(r.key_insured), dust: Number(r.dust_insured) }]));
  const headcount = rows.length ? { key: Number(rows[0].key_headcount), dust: Number(rows[0].dust_headcount) } : { key: 0, dust: 0 };
  return { byDay, headcount };
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
  const yearEnd = (y: number) => (y === thisYear ? today : `${y}-12-31`);
  const years = Array.from({ length: thisYear - firstYear + 1 }, (_, i) => firstYear + i);
  const insured = await insuredOn(db, [...new Set([...years.map(yearEnd), today])], key, dust);
  const keyIndustryAccidentRate: YearRate[] = [];
  for (const y of years) {
    const n = byYear.get(y) ?? 0;
    const ins = insured.byDay.get(yearEnd(y))?.key ?? 0;
    if (n === 0 && ins === 0) continue;
    keyIndustryAccidentRate.push({ year: y, accidents: n, insured: ins, ratePer100: ratePer100(n, ins) });
  }
  const keyNow = { insured: insured.byDay.get(today)?.key ?? 0, headcount: insured.headcount.key };
  const dustNow = { insured: insured.byDay.get(today)?.dust ?? 0, headcount: insured.headcount.dust };

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

/** A computation slower than this is not waited for again: the last figures are served while it runs. */
export const PLAN_TARGETS_SLOW_MS = 1000;

export interface PlanIndicatorsCache {
  get(): Promise<PlanIndicators>;
  /** Waits for a computation under way (before the database is closed). */
  close(): Promise<void>;
}

/**
 * What the indicators rest on, cheaply: the day, how far the correlator has consumed (its offsets
 * are committed with every fact it stores), the identity reviews resolved (links change whose
 * facts count where) and the weekly lists stored. Small tables only.
 */
async function dataVersion(db: Knex, now: Date): Promise<string> {
  const { rows } = await db.raw(
    `select (select coalesce(sum(next_offset), 0) from consumer_offset)::text as offsets,
            (select count(*) from identity_review where status <> 'OPEN')::text as reviews,
            (select count(*) || '/' || coalesce(max(week), '') from risk_list) as lists`,
  );
  return `${shanghaiDay(now)}|${rows[0].offsets}|${rows[0].reviews}|${rows[0].lists}`;
}

/**
 * The indicators are aggregates over every enrolment of the region: at province scale (a million
 * employers, millions of enrolments) one computation takes seconds to tens of seconds, too slow
 * for a page. They are kept with the version of the data they were computed from (dataVersion)
 * and served as they are while it holds. When it moves, they are computed again: waited for when
 * the last computation was quick (a city: the page shows what just arrived), else started in the
 * background while the last figures are served (a province: yearly and quarterly figures one
 * computation behind). Computed once when the portal starts, so that no page waits for the first.
 */
export function planIndicatorsCache(db: Knex, region: RegionConfig, now: () => Date, slowMs = PLAN_TARGETS_SLOW_MS): PlanIndicatorsCache {
  let value: { version: string; ms: number; data: PlanIndicators } | null = null;
  let running: Promise<PlanIndicators> | null = null;
  let closed = false;
  const refresh = (version: string): Promise<PlanIndicators> => {
    if (running) return running;
    const t = Date.now();
    running = planIndicators(db, region, now())
      .then((data) => {
        value = { version, ms: Date.now() - t, data };
        return data;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  return {
    async get() {
      if (closed) throw new Error('plan indicators: the portal is closing');
      const version = await dataVersion(db, now());
      if (value && value.version === version) return value.data;
      if (value && value.ms >= slowMs) {
        refresh(version).catch(() => undefined);
        return value.data;
      }
      return refresh(version);
    },
    async close() {
      closed = true;
      await running?.catch(() => undefined);
    },
  };
}
