import crypto from 'node:crypto';
import { Knex } from 'knex';
import { DateTime } from 'luxon';
import { Department } from '../../shared/contract';
import { HubError } from '../../shared/errors';
import { sectionName } from '../../shared/industry';
import { RegionConfig, industrySection, matchesPrefix } from '../../shared/regionConfig';
import { ZONE } from '../../shared/time';

/**
 * 双随机 and 回头看 (CONTRACT section 4; 大冶's monitoring plan): each quarter a random sample of
 * employers, stratified by district and industry section, drawn with a seed that is recorded
 * with the plan so that anyone can redraw it from the same population; and the 回头看 list of
 * employers whose recommendations were rectified 3–6 months before the quarter began. Each
 * inspecting department gets its part.
 */
export interface Quarter {
  quarter: string; // '2026-Q1'
  start: string;
  end: string;
}

export function parseQuarter(text: string): Quarter {
  const m = /^(\d{4})-?Q([1-4])$/i.exec(text.trim());
  if (!m) throw new HubError('BAD_REQUEST', `季度应为 2026-Q1 的形式，实际为“${text}”`, { parameter: 'quarter' });
  const start = DateTime.fromObject({ year: Number(m[1]), month: (Number(m[2]) - 1) * 3 + 1, day: 1 }, { zone: ZONE });
  return { quarter: `${m[1]}-Q${m[2]}`, start: start.toISODate()!, end: start.plus({ months: 3 }).minus({ days: 1 }).toISODate()! };
}

export interface Stratum {
  regionCode: string;
  section: string; // GB/T 4754 门类, '-' when unknown
  /** The stratum's employers, sorted by key: the population the sample is drawn from. */
  population: string[];
}

/** The seed of a quarter's draw: derived from the region and the quarter, and recorded. */
export function seedOf(regionName: string, quarter: string): number {
  return parseInt(crypto.createHash('sha256').update(`${regionName}|${quarter}|双随机`).digest('hex').slice(0, 8), 16);
}

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const stratumSeed = (seed: number, s: { regionCode: string; section: string }) =>
  (seed ^ parseInt(crypto.createHash('sha256').update(`${s.regionCode}|${s.section}`).digest('hex').slice(0, 8), 16)) >>> 0;

/** How many of a stratum are drawn: its share, at least one of any stratum that has employers. */
export const drawSize = (population: number, rate: number): number => (population === 0 ? 0 : Math.max(1, Math.ceil(population * rate)));

/**
 * The draw (pure): per stratum, a partial Fisher–Yates shuffle of its sorted population by a
 * generator seeded with the plan's seed and the stratum; the first `drawSize` are the sample.
 */
export function drawSample(strata: Stratum[], seed: number, rate: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of strata) {
    const pool = [...s.population].sort();
    const n = drawSize(pool.length, rate);
    const rnd = mulberry32(stratumSeed(seed, s));
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(rnd() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    out.set(`${s.regionCode}|${s.section}`, pool.slice(0, n).sort());
  }
  return out;
}

export function inspectingDepartment(industryCode: string | null, region: RegionConfig): Department {
  const cfg = region.instruments.inspection;
  for (const [d, prefixes] of Object.entries(cfg.departments)) if (matchesPrefix(industryCode, prefixes ?? [])) return d as Department;
  return cfg.otherDepartment;
}

export interface PlanEntry {
  employerKey: string;
  uscc: string | null;
  employerName: string;
  regionCode: string;
  districtName: string;
  industryCode: string | null;
  sectionName: string;
  department: Department;
}

export interface FollowUpEntry extends PlanEntry {
  documentNumber: string | null;
  rectifiedOn: string;
  problems: string[];
}

export interface InspectionPlan {
  quarter: string;
  regionName: string;
  seed: number;
  sampleRate: number;
  /** The population as of the quarter's first day, per stratum: what a redraw needs. */
  populationAsOf: string;
  strata: { regionCode: string; districtName: string; section: string; sectionName: string; population: number; drawn: number; populationDigest: string }[];
  sample: PlanEntry[];
  followUp: FollowUpEntry[];
  followUpWindow: { from: string; to: string };
  generatedAt: string;
}

const digest = (keys: string[]) => crypto.createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 16);

/**
 * The employers in business before the quarter's first day (a register record or any event of
 * theirs dated before it), by stratum: the population a plan is drawn from and redrawn from.
 */
export async function populationAsOf(db: Knex, day: string): Promise<Stratum[]> {
  const { rows } = await db.raw(
    `select e.employer_key, e.region_code, e.industry_code
       from employer e
      where exists (select 1 from employer_alias a join fact f on f.raw_key = a.raw_key
                     where a.canonical_key = e.employer_key and f.event_time < ?::timestamptz)`,
    [`${day}T00:00:00+08:00`],
  );
  const strata = new Map<string, Stratum>();
  for (const r of rows as { employer_key: string; region_code: string; industry_code: string | null }[]) {
    const section = industrySection(r.industry_code) ?? '-';
    const k = `${r.region_code}|${section}`;
    const s = strata.get(k) ?? { regionCode: r.region_code, section, population: [] };
    s.population.push(r.employer_key);
    strata.set(k, s);
  }
  return [...strata.values()].sort((a, b) => (a.regionCode + a.section < b.regionCode + b.section ? -1 : 1));
}

export async function inspectionPlan(db: Knex, region: RegionConfig, quarter: Quarter, generatedAt: Date): Promise<InspectionPlan> {
  const cfg = region.instruments.inspection;
  const seed = seedOf(region.regionName, quarter.quarter);
  const strata = await populationAsOf(db, quarter.start);
  const drawn = drawSample(strata, seed, cfg.sampleRate);
  const sampleKeys = [...drawn.values()].flat();
  const start = DateTime.fromISO(quarter.start, { zone: ZONE });
  const window = { from: start.minus({ months: cfg.followUpMonths[1] }).toISODate()!, to: start.minus({ months: cfg.followUpMonths[0] }).toISODate()! };
  const followUps = await db('recommendation')
    .where('status', 'RECTIFIED')
    .whereBetween('closed_on', [window.from, window.to])
    .select('employer_key', 'document_number', 'closed_on', 'departments', 'items')
    .orderBy(['closed_on', 'employer_key']);
  const keys = [...new Set([...sampleKeys, ...followUps.map((f: { employer_key: string }) => f.employer_key)])];
  const employers = new Map<string, Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
    keys.length ? (await db('employer').whereRaw('employer_key = any(?::text[])', [keys])).map((e: Record<string, any>) => [e.employer_key, e]) : [], // eslint-disable-line @typescript-eslint/no-explicit-any
  );
  const entry = (key: string, department?: Department): PlanEntry => {
    const e = employers.get(key) ?? {};
    const section = industrySection(e.industry_code) ?? null;
    return {
      employerKey: key,
      uscc: e.uscc ?? null,
      employerName: e.name ?? key,
      regionCode: e.region_code ?? '',
      districtName: region.districts[e.region_code] ?? e.region_code ?? '',
      industryCode: e.industry_code ?? null,
      sectionName: sectionName(section),
      department: department ?? inspectingDepartment(e.industry_code ?? null, region),
    };
  };
  return {
    quarter: quarter.quarter,
    regionName: region.regionName,
    seed,
    sampleRate: cfg.sampleRate,
    populationAsOf: quarter.start,
    strata: strata.map((s) => ({
      regionCode: s.regionCode,
      districtName: region.districts[s.regionCode] ?? s.regionCode,
      section: s.section,
      sectionName: s.section === '-' ? '行业未知' : sectionName(s.section),
      population: s.population.length,
      drawn: drawn.get(`${s.regionCode}|${s.section}`)!.length,
      populationDigest: digest([...s.population].sort()),
    })),
    sample: sampleKeys.map((k) => entry(k)),
    followUp: followUps.flatMap((f: { employer_key: string; document_number: string | null; closed_on: string; departments: Department[]; items: { rule: string }[] }) =>
      f.departments.map((d) => ({
        ...entry(f.employer_key, d),
        documentNumber: f.document_number,
        rectifiedOn: String(f.closed_on).slice(0, 10),
        problems: [...new Set((f.items ?? []).map((i) => i.rule))],
      })),
    ),
    followUpWindow: window,
    generatedAt: generatedAt.toISOString(),
  };
}

/** What one department reads of a plan: its own sample and 回头看 entries (人社 reads it all). */
export function planFor(plan: InspectionPlan, department: Department): InspectionPlan {
  if (department === 'hrss') return plan;
  return { ...plan, sample: plan.sample.filter((s) => s.department === department), followUp: plan.followUp.filter((f) => f.department === department) };
}
