import { connectStack, Stack } from './stack';
import { waitFor } from './waitFor';
import { createLogger } from '../services/shared/logger';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { pseudonymize } from '../services/shared/identifiers';
import { EVENT_TYPES } from '../services/shared/contract';
import { Gateway, startGateway } from '../services/ingest-gateway/gateway';
import { jsonRecord, validCitizenId, validUscc } from '../services/ingest-gateway/test-fixtures';
import { Correlator, startCorrelator } from '../services/correlator/correlator';

/**
 * Pseudonym key rotation (假名密钥轮换) as README "Rotating the pseudonym key" describes it, through
 * the real gateway, Kafka and correlator: a worker enrolled under the old key and terminated
 * after the rotation is still one person, so the employer is seen with nobody insured.
 */
const region = loadRegionConfig({ WHP_REGION: 'suqian' });
const OLD_KEY = 'rotation-test-old-key-0123456789abcdef-0001';
const NEW_KEY = 'rotation-test-new-key-0123456789abcdef-0002';
const logger = createLogger('rotation-test', 'silent');
let stack: Stack;
let correlator: Correlator;
const gateways: Gateway[] = [];

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  correlator = await startCorrelator({
    config: stack.config,
    region,
    logger,
    groupId: stack.unique('rotation'),
    startAt: 'latest',
    now: () => new Date('2026-11-24T02:00:00Z'),
    sweepSchedule: '',
    opsPort: null,
  });
  const all = EVENT_TYPES.length * stack.config.topicPartitions;
  await waitFor(() => Object.values(correlator.assignment()).flat().length === all, { timeoutMs: 60_000, what: 'the correlator holds every partition' });
}, 90_000);

afterAll(async () => {
  for (const g of gateways) await g.close();
  await correlator?.close();
  await stack?.close();
});

async function gatewayWith(keys: { current: string; previous?: string }): Promise<Gateway> {
  const config = { ...stack.config, pseudonymKey: keys.current, ...(keys.previous ? { pseudonymPreviousKey: keys.previous } : {}) };
  const g = await startGateway({ config, port: 0, logger });
  gateways.push(g);
  return g;
}

async function publish(g: Gateway, type: 'enrollment', records: Record<string, unknown>[]): Promise<void> {
  const res = await fetch(`${g.url}/v1/events/${type}`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-hrss', 'content-type': 'application/json' },
    body: JSON.stringify(records),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ accepted: records.length, duplicates: 0, rejected: [] });
}

const personIdsOf = async (uscc: string) =>
  (await stack.db('fact').where({ raw_key: uscc, event_type: 'enrollment' }).select('payload')).map((r) => r.payload as Record<string, unknown>);

test('a worker enrolled before the key rotation and terminated after it is one person: the employer has nobody insured', async () => {
  const n = 4000 + Math.floor(Math.random() * 900);
  const uscc = validUscc(n);
  const worker = validCitizenId(n);
  const run = stack.unique('ROT');
  const enroll = { ...jsonRecord('enrollment', `${run}-1`, n), personId: worker, action: 'ENROLL', effectiveDate: '2026-01-05' };

  const before = await gatewayWith({ current: OLD_KEY });
  await publish(before, 'enrollment', [enroll]);
  await waitFor(async () => (await personIdsOf(uscc)).length === 1, { timeoutMs: 60_000, what: 'the enrollment is stored' });
  await before.close();
  gateways.pop();

  // The rotation: the gateway now holds the new key and the retiring one.
  const during = await gatewayWith({ current: NEW_KEY, previous: OLD_KEY });
  await publish(during, 'enrollment', [{ ...enroll, eventId: `${run}-2`, action: 'TERMINATE', effectiveDate: '2026-10-08' }]);
  await waitFor(async () => (await personIdsOf(uscc)).length === 2, { timeoutMs: 60_000, what: 'the termination is stored' });

  const newPseudonym = pseudonymize(worker, NEW_KEY);
  const stored = await personIdsOf(uscc);
  expect(stored.map((p) => p.personId)).toEqual([newPseudonym, newPseudonym]);
  expect(stored.every((p) => !('personIdPrevious' in p))).toBe(true);
  expect(await stack.db('person_link').where({ previous_id: pseudonymize(worker, OLD_KEY) }).first()).toMatchObject({ current_id: newPseudonym });

  // Nobody is enrolled now, and the employer had workers within the window: 未依法参保.
  await waitFor(async () => Boolean(await stack.db('alert').where({ employer_key: uscc, rule: 'UNINSURED', status: 'OPEN' }).first()), {
    timeoutMs: 60_000,
    what: 'an open UNINSURED alert for the employer',
  });
});

test('a record still carrying the old pseudonym after the rotation (an old gateway, a replay) joins the same person', async () => {
  const n = 5000 + Math.floor(Math.random() * 900);
  const uscc = validUscc(n);
  const worker = validCitizenId(n);
  const run = stack.unique('ROT');
  const enroll = { ...jsonRecord('enrollment', `${run}-1`, n), personId: worker, action: 'ENROLL', effectiveDate: '2026-02-01' };

  const during = await gatewayWith({ current: NEW_KEY, previous: OLD_KEY });
  await publish(during, 'enrollment', [enroll]);
  await waitFor(async () => (await personIdsOf(uscc)).length === 1, { timeoutMs: 60_000, what: 'the enrollment is stored' });

  const stale = await gatewayWith({ current: OLD_KEY });
  await publish(stale, 'enrollment', [{ ...enroll, eventId: `${run}-2`, action: 'TERMINATE', effectiveDate: '2026-09-30' }]);
  await waitFor(async () => (await personIdsOf(uscc)).length === 2, { timeoutMs: 60_000, what: 'the termination is stored' });

  expect((await personIdsOf(uscc)).map((p) => p.personId)).toEqual([pseudonymize(worker, NEW_KEY), pseudonymize(worker, NEW_KEY)]);
});
