import { Knex } from 'knex';
import { RegionConfig } from '../../services/shared/regionConfig';
import { addDays, shanghaiDay } from '../../services/shared/time';
import { sweep } from '../../services/correlator/sweep';
import { computeSectionRates } from '../../services/correlator/sectionRates';
import { Spread, repeat } from './common';

/**
 * The scheduled sweep over a synthetic province: N employers with facts (a register record and
 * enrollments each; measurements over the limit and accidents at some), their histories as the
 * correlator last left them. Timed when nothing moved (no window or deadline has come), when
 * 1% moved (their next review is today: their histories are lived again), and after one new
 * enrolment (the sections' insured workers are counted again: what every sweep costs while
 * enrolments keep arriving).
 */
export interface SweepBenchResult {
  employers: number;
  facts: number;
  nothingMoved: Spread;
  onePercentMoved: Spread;
  movedEmployers: number;
  /** One enrolment arrived since the last sweep: the sections' insured workers are counted again. */
  afterEnrolment: Spread;
}

export async function loadProvince(db: Knex, region: RegionConfig, n: number, asOf: Date, log: (s: string) => void): Promise<number> {
  const districts = Object.keys(region.districts);
  const industries = ['C3011', 'C3032', 'B0610', 'E4710', 'G5430', 'C2614', 'F5211', 'C3311'];
  const key = (i: string) => `'91' || lpad((${i})::text, 16, '0')`;
  const today = shanghaiDay(asOf);
  const t0 = Date.now();
  await db.raw(
    `insert into employer (employer_key, uscc, name, normalized_name, region_code, industry_code, headcount, headcount_as_of, next_review)
     select ${key('i')}, ${key('i')}, '示例单位' || i || '有限公司', '示例单位' || i, (?::text[])[1 + i % ?], (?::text[])[1 + i % ?], 20 + i % 80, date '2026-01-01', ?::date
     from generate_series(1, ?) i`,
    [districts, districts.length, industries, industries.length, addDays(today, 30), n],
  );
  await db.raw(`insert into employer_alias (raw_key, canonical_key, confidence, method) select employer_key, employer_key, 1, 'SELF' from employer`);
  /** The payload the gateway would have published: header, then the type's fields (SQL). */
  const payload = (eventId: string, department: string, fields: string) =>
    `jsonb_build_object('eventId', ${eventId}, 'department', '${department}', 'regionCode', '321302', 'uscc', ${key('i')}, 'employerName', '示例单位' || i || '有限公司', 'employerKey', ${key('i')}, 'source', 'API', 'ingestedAt', '2026-06-01T02:00:00.000Z', 'revision', 1) || jsonb_build_object(${fields})`;
  // A register record and three enrollments per employer.
  await db.raw(
    `insert into fact (department, event_type, event_id, raw_key, event_time, payload, revision)
     select 'hrss', 'employer', 'employer-' || i, ${key('i')}, timestamptz '2026-01-01T00:00:00+08:00',
            ${payload(`'employer-' || i`, 'hrss', `'industryCode', (?::text[])[1 + i % ?], 'headcount', 20 + i % 80, 'asOf', '2026-01-01'`)}, 1
     from generate_series(1, ?) i`,
    [industries, industries.length, n],
  );
  await db.raw(
    `insert into fact (department, event_type, event_id, raw_key, event_time, payload, revision)
     select 'hrss', 'enrollment', 'enrollment-' || i || '-' || k, ${key('i')}, timestamptz '2026-02-01T00:00:00+08:00',
            ${payload(`'enrollment-' || i || '-' || k`, 'hrss', `'personId', 'psn_' || i || '_' || k, 'action', 'ENROLL', 'effectiveDate', '2026-02-01', 'dustExposed', false, 'projectId', null`)}, 1
     from generate_series(1, ?) i cross join generate_series(1, 3) k`,
    [n],
  );
  // Every 20th employer: a measurement over the limit; every 30th: an accident.
  await db.raw(
    `insert into fact (department, event_type, event_id, raw_key, event_time, payload, revision)
     select 'health', 'hazard', 'hazard-' || i, ${key('i')}, timestamptz '2026-05-01T00:00:00+08:00',
            ${payload(`'hazard-' || i`, 'health', `'factor', '矽尘', 'post', '破碎', 'measured', 2.5, 'limit', 1, 'unit', 'mg/m³', 'limitType', 'PC_TWA', 'sampledAt', '2026-05-01', 'exposedWorkers', 10`)}, 1
     from generate_series(20, ?, 20) i`,
    [n],
  );
  await db.raw(
    `insert into fact (department, event_type, event_id, raw_key, event_time, payload, revision)
     select 'emergency', 'accident', 'accident-' || i, ${key('i')}, timestamptz '2026-04-01T02:00:00Z',
            ${payload(`'accident-' || i`, 'emergency', `'occurredAt', '2026-04-01T02:00:00.000Z', 'category', 1 + i % 20, 'categoryStandard', 'GB6441_1986', 'deaths', 0, 'seriousInjuries', 1, 'minorInjuries', 0, 'directLossYuan', 30000, 'summary', '', 'projectId', null`)}, 1
     from generate_series(30, ?, 30) i`,
    [n],
  );
  await db.raw('analyze');
  const facts = Number((await db('fact').count<{ n: string }[]>('* as n'))[0].n);
  log(`  loaded ${n.toLocaleString()} employers, ${facts.toLocaleString()} facts in ${Math.round((Date.now() - t0) / 1000)} s`);
  return facts;
}

export async function benchSweep(o: { db: Knex; region: RegionConfig; employers: number; repeats: number; log: (s: string) => void }): Promise<SweepBenchResult> {
  const asOf = new Date('2026-11-24T10:00:00+08:00');
  const facts = await loadProvince(o.db, o.region, o.employers, asOf, o.log);
  // The state as the correlator left it: rates computed, histories lived (the 1% below).
  const rates = await computeSectionRates(o.db, o.region, asOf);
  await o.db('section_rate').insert(Object.entries(rates).map(([section, r]) => ({ section, accidents: r.accidents, insured_workers: r.insuredWorkers, computed_at: asOf })));
  const moved = Math.floor(o.employers / 100);
  const markMoved = () => o.db.raw(`update employer set next_review = ?::date where (substr(employer_key, 3))::bigint % 100 = 0`, [shanghaiDay(asOf)]);
  o.log(`  living the histories of the ${moved.toLocaleString()} employers that will move …`);
  await markMoved();
  await sweep(o.db, o.region, asOf);
  o.log('  sweep, nothing moved …');
  const nothingMoved = await repeat(o.repeats, async () => {
    const t = Date.now();
    const r = await sweep(o.db, o.region, asOf);
    if (r.employers !== 0) throw new Error(`nothing moved, yet ${r.employers} employers were looked at`);
    return (Date.now() - t) / 1000;
  });
  o.log('  sweep, 1% moved …');
  const onePercentMoved = await repeat(o.repeats, async () => {
    await markMoved();
    const t = Date.now();
    const r = await sweep(o.db, o.region, asOf);
    if (r.employers !== moved) throw new Error(`1% moved, yet ${r.employers} employers were looked at`);
    return (Date.now() - t) / 1000;
  });
  o.log('  sweep, after one new enrolment …');
  const afterEnrolment = await repeat(o.repeats, async (k) => {
    await o.db.raw(
      `insert into fact (department, event_type, event_id, raw_key, event_time, payload, revision)
       select department, event_type, event_id || '-new-' || ?, raw_key, event_time, payload || jsonb_build_object('eventId', event_id || '-new-' || ?, 'personId', 'psn_new_' || ?), revision
         from fact where event_type = 'enrollment' and event_id = 'enrollment-1-1'`,
      [k, k, k],
    );
    const t = Date.now();
    await sweep(o.db, o.region, asOf);
    return (Date.now() - t) / 1000;
  });
  return { employers: o.employers, facts, nothingMoved, onePercentMoved, movedEmployers: moved, afterEnrolment };
}
