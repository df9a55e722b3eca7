import { Knex } from 'knex';
import { scratchDatabase } from '../../test/stack';
import { loadRegionConfig } from '../shared/regionConfig';
import { planIndicators, planIndicatorsCache } from './planTargets';

/**
 * 五年目标's indicators kept with the version of their data: served as they are while it holds,
 * computed again (waited for) when it moves after a quick computation, and in the background after
 * a slow one (slowMs 0 stands in for a province's).
 */
const region = loadRegionConfig({ WHP_REGION: 'suqian' });
const now = () => new Date('2026-11-25T10:00:00+08:00');
let db: Knex;
let offset = 0;
scratchDatabase('all', (d) => (db = d), 2);

let n = 0;
/** A key-industry employer with `workers` enrolled, as the correlator would store it, and its offset committed. */
async function employerWithWorkers(workers: number) {
  n += 1;
  const key = `91320000MA${String(n).padStart(8, '0')}`;
  await db('employer').insert({ employer_key: key, uscc: key, name: `测试建材${n}`, normalized_name: `测试建材${n}`, region_code: '321302', industry_code: 'C3011', headcount: 10 });
  await db('employer_alias').insert({ raw_key: key, canonical_key: key, confidence: 1, method: 'SELF' });
  for (let i = 0; i < workers; i++) {
    await db('fact').insert({ department: 'hrss', event_type: 'enrollment', event_id: `en-${n}-${i}`, raw_key: key, event_time: '2026-02-01T00:00:00+08:00', payload: { personId: `p${n}-${i}`, action: 'ENROLL', effectiveDate: '2026-02-01' } });
  }
}

const commitOffset = () => db('consumer_offset').insert({ group_id: 'whp-correlator', topic: 'whp.enrollment.v1', partition: 0, next_offset: ++offset }).onConflict(['group_id', 'topic', 'partition']).merge();
const insured = (x: { coverage: { keyIndustries: { insured: number } } }) => x.coverage.keyIndustries.insured;

test('served as computed while the data stays; computed again when the correlator has moved on', async () => {
  const cache = planIndicatorsCache(db, region, now);
  await employerWithWorkers(3);
  await commitOffset();
  expect(insured(await cache.get())).toBe(3);
  // Written behind the correlator's back (no offset moved): the figures are kept.
  await employerWithWorkers(2);
  expect(insured(await cache.get())).toBe(3);
  await commitOffset();
  expect(insured(await cache.get())).toBe(5);
  expect(await cache.get()).toEqual(await planIndicators(db, region, now()));
  await cache.close();
});

test('after a slow computation the last figures are served while the new ones are computed', async () => {
  const cache = planIndicatorsCache(db, region, now, 0);
  const before = insured(await cache.get());
  await employerWithWorkers(4);
  await commitOffset();
  expect(insured(await cache.get())).toBe(before);
  // The computation started by that request ends, and its figures are served from then on.
  const until = Date.now() + 10_000;
  while (insured(await cache.get()) !== before + 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  expect(insured(await cache.get())).toBe(before + 4);
  await cache.close();
});
