import { Knex } from 'knex';
import { HubError } from '../../shared/errors';
import { formatNumber, formatPercent } from '../../shared/format';
import { RegionConfig } from '../../shared/regionConfig';

/**
 * 浮动费率 (CONTRACT section 4; 黄石's plan adjusts each employer's rate every three years): an
 * employer's 支缴率 = benefits paid ÷ contributions paid over the cycle's three full years; by
 * the region's tiers a high one suggests 上浮, a low one 下浮, of the base rate of its
 * 行业风险类别. Never 下浮 for an employer that was PRIORITY or ACCIDENT_PRONE in the cycle;
 * class 1 only upward; small contribution bases are marked.
 */
export interface Cycle {
  cycle: string; // '2024-2026'
  from: number;
  to: number;
}

export function parseCycle(text: string): Cycle {
  const m = /^(\d{4})\s*[-–—~至]\s*(\d{4})$/.exec(text.trim());
  if (!m || Number(m[2]) - Number(m[1]) !== 2) throw new HubError('BAD_REQUEST', `费率调整周期应为连续三个整年，如 2024-2026，实际为“${text}”`, { parameter: 'cycle' });
  return { cycle: `${m[1]}-${m[2]}`, from: Number(m[1]), to: Number(m[2]) };
}

/** The last complete cycle before a year: the three full years that have ended. */
export function lastCycle(today: string): Cycle {
  const to = Number(today.slice(0, 4)) - 1;
  return { cycle: `${to - 2}-${to}`, from: to - 2, to };
}

export interface EmployerFigures {
  employerKey: string;
  uscc: string | null;
  employerName: string;
  regionCode: string;
  rateClass: number;
  currentRate: number;
  payrollYuan: number;
  contributionsYuan: number;
  benefitsYuan: number;
  recognizedInjuries: number;
  /** PRIORITY or ACCIDENT_PRONE was open at some time in the cycle. */
  riskyInCycle: string[];
}

export type Direction = 'UP' | 'DOWN' | 'KEEP';
export const DIRECTION_LABELS: Record<Direction, string> = { UP: '上浮', DOWN: '下浮', KEEP: '不变' };

export interface RateSuggestion extends EmployerFigures {
  districtName: string;
  /** 支缴率; null when nothing was paid in (no ratio). */
  ratio: number | null;
  baseRate: number;
  direction: Direction;
  /** Of the base rate: 0.2 = 20%. */
  change: number;
  suggestedRate: number;
  small: boolean;
  reason: string;
}

const RULE_NAMES: Record<string, string> = { PRIORITY: '高危且未足额参保（重点）', ACCIDENT_PRONE: '事故多发' };

/** The suggestion for one employer's figures (pure). */
export function suggestRate(f: EmployerFigures, region: RegionConfig): RateSuggestion {
  const cfg = region.instruments.rateAdjustment;
  const baseRate = cfg.baseRates[f.rateClass - 1] ?? f.currentRate;
  const ratio = f.contributionsYuan > 0 ? f.benefitsYuan / f.contributionsYuan : null;
  const small = f.contributionsYuan < cfg.smallContributionYuan;
  const tier = ratio === null ? null : cfg.tiers.find((t) => ratio >= t.fromRatio)!;
  let change = tier?.change ?? 0;
  const why: string[] = [];
  const figures = `周期内缴纳工伤保险费 ${formatNumber(Math.round(f.contributionsYuan))} 元，支付工伤保险待遇 ${formatNumber(Math.round(f.benefitsYuan))} 元，认定工伤 ${f.recognizedInjuries} 人`;
  if (ratio === null) why.push('周期内无缴费记录，无法计算支缴率，维持基准费率');
  else why.push(`${figures}，支缴率 ${formatPercent(ratio)}`);
  if (change < 0 && f.riskyInCycle.length) {
    why.push(`周期内曾被列为“${f.riskyInCycle.map((r) => RULE_NAMES[r] ?? r).join('”“')}”，不予下浮`);
    change = 0;
  }
  if (change < 0 && f.rateClass === 1 && cfg.classOneUpOnly) {
    why.push('一类行业基准费率只上浮不下浮');
    change = 0;
  }
  if (small) why.push(`缴费基数较小（周期内缴费不足 ${formatNumber(cfg.smallContributionYuan)} 元），支缴率受个别待遇支付影响较大，请结合实际审慎采用`);
  const direction: Direction = change > 0 ? 'UP' : change < 0 ? 'DOWN' : 'KEEP';
  if (direction !== 'KEEP') why.push(`建议${DIRECTION_LABELS[direction]} ${formatPercent(Math.abs(change))}`);
  return {
    ...f,
    districtName: region.districts[f.regionCode] ?? f.regionCode,
    ratio,
    baseRate,
    direction,
    change,
    suggestedRate: Math.round(baseRate * (1 + change) * 1e6) / 1e6,
    small,
    reason: why.join('；') + '。',
  };
}

export interface RateAdjustmentReport {
  cycle: string;
  asOf: string;
  regionName: string;
  rows: RateSuggestion[];
  summary: { employers: number; up: number; down: number; keep: number; small: number; contributionsYuan: number; benefitsYuan: number; ratio: number | null };
}

/** The figures of every employer that paid contributions in the cycle, in a few set-based queries. */
export async function rateAdjustments(db: Knex, region: RegionConfig, cycle: Cycle, asOf: Date): Promise<RateAdjustmentReport> {
  const years = [cycle.from, cycle.to];
  const { rows } = await db.raw(
    `with c as (
       select a.canonical_key as k, f.payload
         from fact f join employer_alias a on a.raw_key = f.raw_key
        where f.event_type = 'contribution' and left(f.payload->>'period', 4)::int between ? and ?),
     contrib as (
       select k, sum((payload->>'paidYuan')::numeric) as paid, sum((payload->>'payrollYuan')::numeric) as payroll,
              (array_agg((payload->>'rateClass')::int order by payload->>'period' desc))[1] as rate_class,
              (array_agg((payload->>'rate')::numeric order by payload->>'period' desc))[1] as rate
         from c group by k),
     ben as (
       select a.canonical_key as k, sum((f.payload->>'amountYuan')::numeric) as paid
         from fact f join employer_alias a on a.raw_key = f.raw_key
        where f.event_type = 'benefit' and left(f.payload->>'paidAt', 4)::int between ? and ?
        group by 1),
     inj as (
       select a.canonical_key as k, count(*) as n
         from fact f join employer_alias a on a.raw_key = f.raw_key
        where f.event_type = 'injury' and f.payload->>'decision' = 'RECOGNIZED' and left(f.payload->>'injuryDate', 4)::int between ? and ?
        group by 1),
     risky as (
       select employer_key as k, array_agg(distinct rule order by rule) as rules
         from alert
        where rule in ('PRIORITY', 'ACCIDENT_PRONE') and close_reason is distinct from 'SUPERSEDED'
          and opened_at < make_date(? + 1, 1, 1)::timestamptz and (closed_at is null or closed_at >= make_date(?, 1, 1)::timestamptz)
        group by 1)
     select e.employer_key, e.uscc, e.name, e.region_code, contrib.rate_class, contrib.rate, contrib.payroll, contrib.paid,
            coalesce(ben.paid, 0) as benefits, coalesce(inj.n, 0) as injuries, coalesce(risky.rules, '{}') as risky
       from contrib join employer e on e.employer_key = contrib.k
       left join ben on ben.k = contrib.k left join inj on inj.k = contrib.k left join risky on risky.k = contrib.k
      order by e.region_code, e.employer_key`,
    [...years, ...years, ...years, cycle.to, cycle.from],
  );
  const suggestions = rows.map((r: Record<string, any>) => // eslint-disable-line @typescript-eslint/no-explicit-any
    suggestRate(
      {
        employerKey: r.employer_key,
        uscc: r.uscc,
        employerName: r.name,
        regionCode: r.region_code,
        rateClass: Number(r.rate_class),
        currentRate: Number(r.rate),
        payrollYuan: Number(r.payroll),
        contributionsYuan: Number(r.paid),
        benefitsYuan: Number(r.benefits),
        recognizedInjuries: Number(r.injuries),
        riskyInCycle: r.risky,
      },
      region,
    ),
  );
  const order: Record<Direction, number> = { UP: 0, DOWN: 1, KEEP: 2 };
  suggestions.sort((a: RateSuggestion, b: RateSuggestion) => order[a.direction] - order[b.direction] || (b.ratio ?? -1) - (a.ratio ?? -1) || (a.employerKey < b.employerKey ? -1 : 1));
  const sum = (f: (r: RateSuggestion) => number) => suggestions.reduce((s: number, r: RateSuggestion) => s + f(r), 0);
  const contributionsYuan = sum((r) => r.contributionsYuan);
  const benefitsYuan = sum((r) => r.benefitsYuan);
  return {
    cycle: cycle.cycle,
    asOf: asOf.toISOString(),
    regionName: region.regionName,
    rows: suggestions,
    summary: {
      employers: suggestions.length,
      up: suggestions.filter((r: RateSuggestion) => r.direction === 'UP').length,
      down: suggestions.filter((r: RateSuggestion) => r.direction === 'DOWN').length,
      keep: suggestions.filter((r: RateSuggestion) => r.direction === 'KEEP').length,
      small: suggestions.filter((r: RateSuggestion) => r.small).length,
      contributionsYuan,
      benefitsYuan,
      ratio: contributionsYuan > 0 ? benefitsYuan / contributionsYuan : null,
    },
  };
}
