import { Knex } from 'knex';
import { RegionConfig, industrySection } from '../shared/regionConfig';
import { shanghaiDay } from '../shared/time';
import { reevaluate } from './evaluate';
import { dustControlNotice, loadAccidents, storeNotices, typicalAccidentNotices } from './notices';
import { SectionRates } from './rules';

/**
 * The scheduled sweep: what changes with the passing of time alone (deadlines, windows), the
 * sections' accident rates, and the circulars across employers. Re-evaluating an employer whose
 * nothing moved writes nothing (persist.ts compares content).
 */
export interface SweepResult {
  employers: number;
  alertsChanged: number;
  notices: number;
}

/** Sections' accidents (trailing window) and insured workers, for ACCIDENT_PRONE's rate test. */
export async function computeSectionRates(db: Knex, region: RegionConfig, asOf: Date): Promise<SectionRates> {
  const since = new Date(asOf.getTime() - region.rules.accidentWindowDays * 86_400_000).toISOString();
  const acc = await db.raw(
    `select e.industry_code, count(*)::int as n
       from fact f join employer_alias a on a.raw_key = f.raw_key join employer e on e.employer_key = a.canonical_key
      where f.event_type = 'accident' and f.event_time > ? and f.event_time <= ?
      group by e.industry_code`,
    [since, asOf.toISOString()],
  );
  // The employer (and so its section) is joined before the latest action per person is picked:
  // joined after, the planner expected a few thousand rows and looked each of a million up by
  // index (10.3 s → 6.6 s at a million employers with three enrolments each).
  const ins = await db.raw(
    `select l.industry_code, count(*)::int as n from (
       select distinct on (a.canonical_key, f.payload->>'personId') e.industry_code, f.payload->>'action' as action
         from fact f join employer_alias a on a.raw_key = f.raw_key join employer e on e.employer_key = a.canonical_key
        where f.event_type = 'enrollment' and (f.payload->>'effectiveDate') <= ?
        order by a.canonical_key, f.payload->>'personId', f.payload->>'effectiveDate' desc, f.event_id desc) l
      where l.action = 'ENROLL' group by l.industry_code`,
    [shanghaiDay(asOf)],
  );
  const rates: SectionRates = {};
  for (const r of acc.rows) {
    const s = industrySection(r.industry_code);
    if (s) (rates[s] ??= { accidents: 0, insuredWorkers: 0 }).accidents += r.n;
  }
  for (const r of ins.rows) {
    const s = industrySection(r.industry_code);
    if (s) (rates[s] ??= { accidents: 0, insuredWorkers: 0 }).insuredWorkers += r.n;
  }
  return rates;
}

/**
 * Employers whose history time alone may have changed since they were last evaluated: those
 * whose next window or deadline has come, and, in the sections whose accident rate moved, those
 * with enough accidents in the window for the rate clause. Nobody else is looked at.
 */
async function dueEmployers(db: Knex, region: RegionConfig, asOf: Date, movedSections: string[]): Promise<string[]> {
  const today = shanghaiDay(asOf);
  const due = await db('employer').where('next_review', '<=', today).select('employer_key');
  const byRate = movedSections.length
    ? (
        await db.raw(
          `select a.canonical_key from fact f
             join employer_alias a on a.raw_key = f.raw_key
             join employer e on e.employer_key = a.canonical_key
            where f.event_type = 'accident' and f.event_time > ? and left(e.industry_code, 1) = any(?::text[])
            group by a.canonical_key having count(*) >= ?`,
          [new Date(asOf.getTime() - region.rules.accidentWindowDays * 86_400_000).toISOString(), movedSections, region.rules.accidentRateMinAccidents],
        )
      ).rows
    : [];
  return [...new Set([...due, ...byRate].map((r: { employer_key?: string; canonical_key?: string }) => (r.employer_key ?? r.canonical_key)!))].sort();
}

export async function sweep(db: Knex, region: RegionConfig, asOf: Date): Promise<SweepResult> {
  const rates = await computeSectionRates(db, region, asOf);
  const before = Object.fromEntries((await db('section_rate')).map((r: Record<string, unknown>) => [r.section, `${r.accidents}/${r.insured_workers}`]));
  const moved = Object.entries(rates).filter(([s, r]) => before[s] !== `${r.accidents}/${r.insuredWorkers}`).map(([s]) => s);
  await db.transaction(async (trx) => {
    await trx('section_rate').delete();
    const rows = Object.entries(rates).map(([section, r]) => ({ section, accidents: r.accidents, insured_workers: r.insuredWorkers, computed_at: asOf }));
    if (rows.length) await trx('section_rate').insert(rows);
  });
  const keys = await dueEmployers(db, region, asOf, moved);
  let changed = 0;
  for (let i = 0; i < keys.length; i += 200) {
    const slice = keys.slice(i, i + 200);
    const r = await db.transaction((trx) => reevaluate(trx, slice, { region, asOf, sectionRates: rates }));
    changed += r.changed;
  }
  const drafts = typicalAccidentNotices(await loadAccidents(db, region, asOf), region, shanghaiDay(asOf));
  const dust = await dustControlNotice(db, region, asOf);
  const notices = await storeNotices(db, region, dust ? [...drafts, dust] : drafts);
  return { employers: keys.length, alertsChanged: changed, notices };
}
