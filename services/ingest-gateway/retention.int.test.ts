import { Knex } from 'knex';
import { scratchDatabase } from '../../test/stack';
import { applyIngestRetention } from './retention';

let db: Knex;
scratchDatabase('all', (d) => (db = d), 2);

test('the record of accepted eventIds is kept for the retention years; pending ones are never dropped', async () => {
  const row = (event_id: string, accepted_at: string, state = 'accepted') => ({ department: 'hrss', event_type: 'employer', event_id, employer_key: 'K', state, accepted_at });
  await db('ingest_event').insert([row('old', '2020-01-01T00:00:00Z'), row('recent', '2025-06-01T00:00:00Z'), row('stuck', '2019-01-01T00:00:00Z', 'pending')]);
  const now = new Date('2026-11-24T00:00:00Z');
  expect(await applyIngestRetention(db, now, 5, true)).toBe(1);
  expect(await applyIngestRetention(db, now, 5)).toBe(1);
  expect((await db('ingest_event').select('event_id').orderBy('event_id')).map((r) => r.event_id)).toEqual(['recent', 'stuck']);
});
