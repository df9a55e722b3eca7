import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectStack, Stack } from '../../test/stack';
import { waitFor } from '../../test/waitFor';
import { startGateway, Gateway } from '../../services/ingest-gateway/gateway';
import { Correlator, startCorrelator } from '../../services/correlator/correlator';
import { createLogger } from '../../services/shared/logger';
import { loadRegionConfig } from '../../services/shared/regionConfig';
import { shanghaiDay } from '../../services/shared/time';
import { EVENT_TYPES, topicOf } from '../../services/shared/contract';
import { writeCity } from './generate';
import { publishCity } from './publish';

/**
 * A whole synthetic city through the real gateway, Kafka and the correlator's real consumer:
 * once settled, the scheduled sweep run twice publishes nothing the second time, and no
 * employer holds more than one open recommendation per department.
 */
const region = loadRegionConfig({});
const silent = createLogger('test', 'silent');
let stack: Stack;
let gateway: Gateway;
let correlator: Correlator;
let groupId: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-city-settle-'));

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  gateway = await startGateway({ config: stack.config, port: 0, logger: silent });
  groupId = stack.unique('city-settle');
  correlator = await startCorrelator({ config: stack.config, region, logger: silent, groupId, startAt: 'latest', opsPort: 0 });
});
afterAll(async () => {
  await correlator?.close();
  await gateway?.close();
  await stack?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the synthetic city settles: a second sweep publishes nothing and each employer has at most one open letter per department', async () => {
  const { manifest } = await writeCity({ seed: 5, employers: 200, asOf: shanghaiDay(new Date()), out: tmp, formats: ['xlsx'] });
  const results = await publishCity({ dir: tmp, gatewayUrl: gateway.url, format: 'xlsx' });
  expect(results.reduce((s, r) => s + r.accepted, 0)).toBeGreaterThan(1000);
  const db = correlator.db;
  // Settled: the offsets committed with the state have reached where the topics ended after
  // publishing (other traffic on the shared local topics may come along; it does not matter).
  const ends = new Map<string, bigint>();
  for (const t of EVENT_TYPES) for (const p of await stack.admin.fetchTopicOffsets(topicOf(t))) ends.set(`${topicOf(t)}|${p.partition}`, BigInt(p.high));
  const settled = async () => {
    const at = new Map((await db('consumer_offset').where('group_id', groupId)).map((r) => [`${r.topic}|${r.partition}`, BigInt(r.next_offset)]));
    return [...ends].every(([k, end]) => (at.get(k) ?? 0n) >= end);
  };
  await waitFor(settled, { timeoutMs: 240_000, intervalMs: 250, what: 'the correlator to take every published record' });

  // The plan's other instruments are facts too, a contribution at the first day of its 所属期.
  const types = (await db('fact').distinct('event_type')).map((r: { event_type: string }) => r.event_type);
  expect(types).toEqual(expect.arrayContaining(['contribution', 'benefit', 'training', 'inspection']));
  const yearly = await db('fact').where('event_type', 'contribution').whereRaw(`payload->>'period' = '2025'`).first('event_time');
  expect(new Date(yearly.event_time).toISOString()).toBe('2024-12-31T16:00:00.000Z'); // 2025-01-01 00:00 in Beijing

  await correlator.sweep();
  const outbox = async () => Number((await db('outbox').count<{ n: string }[]>('* as n'))[0].n);
  const after1 = await outbox();
  const versions = await db('alert').select('alert_id', 'version').orderBy('alert_id');
  expect(versions.length).toBeGreaterThan(50);
  await correlator.sweep();
  expect(await outbox()).toBe(after1);
  expect(await db('alert').select('alert_id', 'version').orderBy('alert_id')).toEqual(versions);

  const doubled = await db.raw(
    `select employer_key, d, count(*)::int as n from recommendation, unnest(departments) as d
      where status in ('OPEN', 'OVERDUE') group by employer_key, d having count(*) > 1`,
  );
  expect(doubled.rows).toEqual([]);
  expect(Number((await db('recommendation').whereIn('status', ['OPEN', 'OVERDUE']).count<{ n: string }[]>('* as n'))[0].n)).toBeGreaterThan(20);

  // The patterns the generator planted are found.
  const planted = manifest.planted;
  for (const group of ['dustyUninsured', 'underInsured', 'accidentProne', 'fatalAccident', 'earlyPneumoconiosis', 'projectWithoutCertificate'] as const) {
    expect(planted[group].length).toBeGreaterThan(0);
    for (const p of planted[group]) {
      const open = new Set((await db('alert').where({ employer_key: p.uscc, status: 'OPEN' }).select('rule')).map((r) => r.rule));
      expect({ group, uscc: p.uscc, missing: p.expect.filter((r) => !open.has(r)) }).toEqual({ group, uscc: p.uscc, missing: [] });
    }
  }
  // Each planted accident cluster is circulated, and no accident in two circulars.
  const notices = await db('notice').where('kind', 'TYPICAL_ACCIDENT');
  const circulated = notices.flatMap((n) => [...n.evidence, ...n.joined].map((e: { eventId: string }) => e.eventId));
  expect(new Set(circulated).size).toBe(circulated.length);
  for (const c of planted.typicalAccidentClusters) expect(c.accidents.filter((a) => !circulated.includes(a.id))).toEqual([]);
}, 400_000);
