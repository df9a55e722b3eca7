import { Knex } from 'knex';
import { scratchDatabase } from '../../test/stack';
import { feed, scenario } from '../../test/fixtures/events';
import { makeUscc } from '../../test/fixtures/uscc';
import { loadRegionConfig } from '../shared/regionConfig';
import { computeSectionRates } from './sectionRates';
import { sweep } from './sweep';

/**
 * The sweep's section rates (ACCIDENT_PRONE's rate clause) stay equal to a fresh count while the
 * sweep reuses the insured-worker counts of the last sweep on the same day and inputs.
 */
const region = loadRegionConfig({});
let db: Knex;
scratchDatabase('each', (d) => (db = d));

const at = (day: string, hour = 10) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);
const stored = async () => Object.fromEntries((await db('section_rate').orderBy('section')).map((r) => [r.section, { accidents: r.accidents, insuredWorkers: r.insured_workers }]));
const employer = (name: string) => {
  const uscc = makeUscc(`${name}-${Math.random()}`);
  return { uscc, ...scenario(uscc, '2026-01-01', name) };
};

test('a worker who leaves between two sweeps of one day is no longer counted in the second', async () => {
  const e = employer('宿迁示例甲建材有限公司');
  const received = { received: '2026-11-20' };
  await feed(db, region, [e.employer('2026-01-01', 10, 'C3011', received), ...e.staff(4, '2026-01-01', received), e.accident('2026-10-01', received)], at('2026-11-24'));
  await sweep(db, region, at('2026-11-24'));
  expect(await stored()).toEqual({ C: { accidents: 1, insuredWorkers: 4 } });
  await feed(db, region, [e.enroll(`psn_${e.uscc}_0`, '2026-11-23', { terminate: true, received: '2026-11-24' })], at('2026-11-24', 11));
  await sweep(db, region, at('2026-11-24', 11));
  expect(await stored()).toEqual({ C: { accidents: 1, insuredWorkers: 3 } });
  expect(await stored()).toEqual(await computeSectionRates(db, region, at('2026-11-24', 11)));
});

test('an enrolment dated ahead is counted from the day it takes effect, with nothing else arriving', async () => {
  const e = employer('宿迁示例乙机械有限公司');
  const received = { received: '2026-11-20' };
  await feed(db, region, [e.employer('2026-01-01', 10, 'C3032', received), ...e.staff(2, '2026-01-01', received), e.enroll('psn_next_month', '2026-12-01', received)], at('2026-11-24'));
  await sweep(db, region, at('2026-11-30'));
  expect((await stored()).C.insuredWorkers).toBe(2);
  await sweep(db, region, at('2026-12-01'));
  expect((await stored()).C.insuredWorkers).toBe(3);
});

test('an employer that changes its industry moves its workers to the new section', async () => {
  const e = employer('宿迁示例丙物流有限公司');
  await feed(db, region, [e.employer('2026-01-01', 10, 'C3011', { received: '2026-11-20' }), ...e.staff(2, '2026-01-01', { received: '2026-11-20' })], at('2026-11-24'));
  await sweep(db, region, at('2026-11-24'));
  await feed(db, region, [e.employer('2026-11-01', 10, 'G5430', { received: '2026-11-24' })], at('2026-11-24', 11));
  await sweep(db, region, at('2026-11-24', 11));
  expect(await stored()).toEqual({ G: { accidents: 0, insuredWorkers: 2 } });
});

test('a second sweep on the same day and inputs reuses the counted insured workers (it does not count again)', async () => {
  const e = employer('宿迁示例丁化工有限公司');
  await feed(db, region, [e.employer('2026-01-01', 10, 'C2614', { received: '2026-11-20' }), ...e.staff(5, '2026-01-01', { received: '2026-11-20' })], at('2026-11-24'));
  await sweep(db, region, at('2026-11-24'));
  // A count the sweep would never make: kept by a sweep that reuses, replaced by one that counts.
  await db('section_rate_basis').update({ insured: JSON.stringify({ C: 99 }) });
  await sweep(db, region, at('2026-11-24', 11));
  expect((await stored()).C.insuredWorkers).toBe(99);
  await sweep(db, region, at('2026-11-25'));
  expect((await stored()).C.insuredWorkers).toBe(5);
});

test('emptied section rates do not empty the reused counts: they come with the basis', async () => {
  const e = employer('宿迁示例戊建材有限公司');
  await feed(db, region, [e.employer('2026-01-01', 10, 'C3011', { received: '2026-11-20' }), ...e.staff(3, '2026-01-01', { received: '2026-11-20' })], at('2026-11-24'));
  await sweep(db, region, at('2026-11-24'));
  await db('section_rate').delete();
  await sweep(db, region, at('2026-11-24', 11));
  expect(await stored()).toEqual({ C: { accidents: 0, insuredWorkers: 3 } });
});
