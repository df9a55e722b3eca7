import { Knex } from 'knex';
import { scratchDatabase } from '../../test/stack';
import { feed, scenario } from '../../test/fixtures/events';
import { makeUscc } from '../../test/fixtures/uscc';
import { loadRegionConfig } from '../shared/regionConfig';
import { applyRetention } from './retention';
import { sweep } from './sweep';

const region = loadRegionConfig({});
let db: Knex;
scratchDatabase('all', (d) => (db = d));

test('retention forgets an employer quiet for five years with nothing open, keeps the others whole, and changes no one’s alerts', async () => {
  const now = new Date('2026-11-24T10:00:00+08:00');
  const gone = scenario(makeUscc('retention-gone'), '2019-03-01', '宿迁旧时有限公司');
  const open = scenario(makeUscc('retention-open'), '2019-03-01', '宿迁未结有限公司');
  const active = scenario(makeUscc('retention-active'), '2019-03-01', '宿迁在营有限公司');
  await feed(
    db,
    region,
    [
      gone.employer('2019-01-01', 5, 'F5211'),
      gone.enroll('psn_g', '2019-01-01'),
      open.employer('2019-01-01', 10), // a hazard over the limit in 2019, never re-checked: still open
      ...open.staff(10, '2019-01-01'),
      open.hazard('2019-02-01', 3, 1),
      active.employer('2019-01-01', 10, 'F5211'),
      ...active.staff(10, '2019-01-01'),
      active.accident('2026-10-01', { received: '2026-10-02' }),
    ],
    now,
  );
  await sweep(db, region, now);
  const alertsBefore = await db('alert').whereNot('employer_key', gone.employer('2019-01-01', 1).value.uscc as string).orderBy('alert_id');
  const outbox = Number((await db('outbox').count<{ n: string }[]>('* as n'))[0].n);

  const dry = await applyRetention(db, now, { quietYears: 5, outboxDays: 30 }, true);
  expect(dry.employers).toBe(1);
  expect(Number((await db('employer').count<{ n: string }[]>('* as n'))[0].n)).toBe(3); // a dry run deletes nothing

  const done = await applyRetention(db, now, { quietYears: 5, outboxDays: 30 });
  expect(done).toMatchObject({ employers: 1, facts: 2 });
  const left = (await db('employer').select('name').orderBy('name')).map((r) => r.name);
  expect(left).toEqual(['宿迁在营有限公司', '宿迁未结有限公司']);
  await sweep(db, region, now);
  expect(await db('alert').orderBy('alert_id')).toEqual(alertsBefore);
  expect(Number((await db('outbox').count<{ n: string }[]>('* as n'))[0].n)).toBe(outbox);
});
