import { Knex } from 'knex';
import { RegionConfig } from '../shared/regionConfig';
import { shanghaiDay } from '../shared/time';
import { reevaluate } from './evaluate';
import { dustControlNotice, loadAccidents, storeNotices, typicalAccidentNotices } from './notices';
import { SectionRates } from './rules';
import { combineRates, countSectionAccidents, countSectionInsured, insuredBasis } from './sectionRates';

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

/**
 * The sections' rates now: accidents counted afresh; insured workers reused from the basis row
 * when the last count was made on the same day from the same inputs (the fingerprint is taken
 * before the count, so a change that lands in between only causes one more count). The rates and
 * the basis, with the counts it vouches for, are written together.
 */
async function refreshSectionRates(db: Knex, region: RegionConfig, asOf: Date): Promise<{ rates: SectionRates; moved: string[] }> {
  const day = shanghaiDay(asOf);
  const stored = await db('section_rate');
  const basis = await insuredBasis(db);
  const last = await db('section_rate_basis').first();
  const insured: Record<string, number> = last?.day === day && last.fingerprint === basis && last.insured ? last.insured : await countSectionInsured(db, day);
  const rates = combineRates(await countSectionAccidents(db, region, asOf), insured);
  const before = Object.fromEntries(stored.map((r: Record<string, unknown>) => [r.section, `${r.accidents}/${r.insured_workers}`]));
  const moved = Object.entries(rates).filter(([s, r]) => before[s] !== `${r.accidents}/${r.insuredWorkers}`).map(([s]) => s);
  await db.transaction(async (trx) => {
    await trx('section_rate').delete();
    const rows = Object.entries(rates).map(([section, r]) => ({ section, accidents: r.accidents, insured_workers: r.insuredWorkers, computed_at: asOf }));
    if (rows.length) await trx('section_rate').insert(rows);
    await trx('section_rate_basis').insert({ id: 1, day, fingerprint: basis, insured: JSON.stringify(insured), computed_at: asOf }).onConflict('id').merge();
  });
  return { rates, moved };
}

export async function sweep(db: Knex, region: RegionConfig, asOf: Date): Promise<SweepResult> {
  const { rates, moved } = await refreshSectionRates(db, region, asOf);
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
