import { Knex } from 'knex';
import { QuarterPrecision, Rate } from '../../shared/precision';
import { quarterOf } from '../../shared/time';

/**
 * How well the risk list finds risk (CONTRACT section 4, list precision): per quarter, the share
 * of inspections that found hazards at employers inspected because they were listed (检查来源
 * 清单) against the random sample (双随机), with 95% Wilson intervals and the lift. A lift well
 * above 1 with intervals that do not overlap says the list finds risk better than chance.
 */
export type { QuarterPrecision, Rate } from '../../shared/precision';

/** 95% Wilson score interval of k successes in n (pure). */
export function wilson(k: number, n: number, z = 1.959964): { rate: number | null; low: number | null; high: number | null } {
  if (n === 0) return { rate: null, low: null, high: null };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

const rateOf = (n: number, k: number): Rate => ({ inspections: n, hazardsFound: k, ...wilson(k, n) });

/** From counts per quarter and origin (pure). */
export function precisionOf(counts: { quarter: string; origin: string; n: number; found: number }[]): QuarterPrecision[] {
  const quarters = [...new Set(counts.map((c) => c.quarter))].sort();
  return quarters.map((quarter) => {
    const get = (origin: string) => counts.find((c) => c.quarter === quarter && c.origin === origin) ?? { n: 0, found: 0 };
    const listed = rateOf(get('LISTED').n, get('LISTED').found);
    const random = rateOf(get('RANDOM').n, get('RANDOM').found);
    const lift = listed.rate !== null && random.rate ? listed.rate / random.rate : null;
    const clear = listed.low !== null && random.high !== null && listed.low > random.high;
    return { quarter, listed, random, lift, clear };
  });
}

export async function listPrecision(db: Knex): Promise<QuarterPrecision[]> {
  const { rows } = await db.raw(
    `select f.payload->>'inspectedAt' as day, f.payload->>'origin' as origin, f.payload->>'finding' as finding
       from fact f where f.event_type = 'inspection' and f.payload->>'origin' in ('LISTED', 'RANDOM')`,
  );
  const counts = new Map<string, { quarter: string; origin: string; n: number; found: number }>();
  for (const r of rows as { day: string; origin: string; finding: string }[]) {
    const quarter = quarterOf(r.day);
    const k = `${quarter}|${r.origin}`;
    const c = counts.get(k) ?? { quarter, origin: r.origin, n: 0, found: 0 };
    c.n++;
    if (r.finding === 'HAZARD_FOUND') c.found++;
    counts.set(k, c);
  }
  return precisionOf([...counts.values()]);
}
