import { Knex } from 'knex';
import { RegionConfig, industrySection } from '../shared/regionConfig';
import { shanghaiDay } from '../shared/time';
import { SectionRates } from './rules';

/**
 * The sections' accident rates for ACCIDENT_PRONE's rate clause: accidents in the trailing
 * window and insured workers, per GB/T 4754 section. The accidents are few and counted every
 * sweep; the insured workers need every enrolment sorted (seconds at a million employers), so a
 * sweep counts them again only when the day or what they are counted from has changed.
 */
type PerSection = Record<string, number>;

/** Accidents per section in the window ending at `asOf`. */
export async function countSectionAccidents(db: Knex, region: RegionConfig, asOf: Date): Promise<PerSection> {
  const since = new Date(asOf.getTime() - region.rules.accidentWindowDays * 86_400_000).toISOString();
  const { rows } = await db.raw(
    `select e.industry_code, count(*)::int as n
       from fact f join employer_alias a on a.raw_key = f.raw_key join employer e on e.employer_key = a.canonical_key
      where f.event_type = 'accident' and f.event_time > ? and f.event_time <= ?
      group by e.industry_code`,
    [since, asOf.toISOString()],
  );
  return bySection(rows);
}

/** Insured workers per section at the end of `day`: each person counted once, by their latest action. */
export async function countSectionInsured(db: Knex, day: string): Promise<PerSection> {
  // The employer (and so its section) is joined before the latest action per person is picked:
  // joined after, the planner expected a few thousand rows and looked each of a million up by
  // index (10.3 s → 6.6 s at a million employers with three enrolments each).
  const { rows } = await db.raw(
    `select l.industry_code, count(*)::int as n from (
       select distinct on (a.canonical_key, f.payload->>'personId') e.industry_code, f.payload->>'action' as action
         from fact f join employer_alias a on a.raw_key = f.raw_key join employer e on e.employer_key = a.canonical_key
        where f.event_type = 'enrollment' and (f.payload->>'effectiveDate') <= ?
        order by a.canonical_key, f.payload->>'personId', f.payload->>'effectiveDate' desc, f.event_id desc) l
      where l.action = 'ENROLL' group by l.industry_code`,
    [day],
  );
  return bySection(rows);
}

/**
 * A fingerprint of everything countSectionInsured reads: sums of 64-bit hashes of each enrolment
 * fact's fields that count, each alias and each employer's industry code (~1.6 s at a million
 * employers, against ~7 s for the count). Any insert, correction, move or deletion changes it.
 */
export async function insuredBasis(db: Knex): Promise<string> {
  const { rows } = await db.raw(
    `select (select count(*) || ':' || coalesce(sum(hashtextextended(concat_ws('|', f.raw_key, f.event_id, f.revision, f.payload->>'personId', f.payload->>'action', f.payload->>'effectiveDate'), 0)::numeric), 0)
               from fact f where f.event_type = 'enrollment')
         || '/' || (select count(*) || ':' || coalesce(sum(hashtextextended(concat_ws('|', raw_key, canonical_key), 0)::numeric), 0) from employer_alias)
         || '/' || (select count(*) || ':' || coalesce(sum(hashtextextended(concat_ws('|', employer_key, industry_code), 0)::numeric), 0) from employer) as basis`,
  );
  return rows[0].basis;
}

export function combineRates(accidents: PerSection, insured: PerSection): SectionRates {
  const rates: SectionRates = {};
  for (const [s, n] of Object.entries(accidents)) (rates[s] ??= { accidents: 0, insuredWorkers: 0 }).accidents += n;
  for (const [s, n] of Object.entries(insured)) (rates[s] ??= { accidents: 0, insuredWorkers: 0 }).insuredWorkers += n;
  return rates;
}

/** Both counts afresh (what the sweep's reuse must equal). */
export async function computeSectionRates(db: Knex, region: RegionConfig, asOf: Date): Promise<SectionRates> {
  return combineRates(await countSectionAccidents(db, region, asOf), await countSectionInsured(db, shanghaiDay(asOf)));
}

function bySection(rows: { industry_code: string | null; n: number }[]): PerSection {
  const out: PerSection = {};
  for (const r of rows) {
    const s = industrySection(r.industry_code);
    if (s) out[s] = (out[s] ?? 0) + r.n;
  }
  return out;
}
