import { Knex } from 'knex';
import { scratchDatabase } from '../../test/stack';
import { InputEvent } from './batch';
import { linkPersons } from './personLink';

let db: Knex;
scratchDatabase('each', (d) => (db = d));

const event = (value: Record<string, unknown>): InputEvent => ({ topic: 'whp.injury.v1', partition: 0, offset: '0', value });

test('an event under a retired pseudonym is stored under the current one; the events handed in stay as they came (a transaction run again starts from them)', async () => {
  await db('person_link').insert({ previous_id: 'psn_old', current_id: 'psn_new' });
  const carried = event({ eventId: 'GS-1', personId: 'psn_old' });
  const rotating = event({ eventId: 'GS-2', personId: 'psn_b_new', personIdPrevious: 'psn_b_old' });
  const untouched = event({ eventId: 'GS-3', personId: 'psn_c' });
  const before = structuredClone([carried, rotating, untouched]);

  const { events } = await db.transaction((trx) => linkPersons(trx, [carried, rotating, untouched]));

  expect(events.map((e) => e.value)).toEqual([
    { eventId: 'GS-1', personId: 'psn_new' },
    { eventId: 'GS-2', personId: 'psn_b_new' },
    { eventId: 'GS-3', personId: 'psn_c' },
  ]);
  expect([carried, rotating, untouched]).toEqual(before);
  expect(await db('person_link').where('previous_id', 'psn_b_old').first()).toMatchObject({ current_id: 'psn_b_new' });
});
