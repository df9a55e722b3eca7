import { spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Knex } from 'knex';
import { connectStack, createScratchDatabase, readAfter, Stack } from '../../test/stack';
import { waitFor } from '../../test/waitFor';
import { AvroProducer } from '../shared/kafka';
import { EVENT_TYPES, topicOf } from '../shared/contract';
import { createLogger } from '../shared/logger';
import { loadRegionConfig } from '../shared/regionConfig';
import { shanghaiDay } from '../shared/time';
import { processBatch, InputEvent } from './batch';
import { startCorrelator } from './correlator';
import { dustControlNotice, loadAccidents, storeNotices, typicalAccidentNotices } from './notices';
import { eventsFor, makeUscc, TypedEvent } from '../../test/fixtures/correlatorEvents';

const region = loadRegionConfig({});
const silent = createLogger('test', 'silent');
let stack: Stack;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await stack?.close();
});

async function freshDb(): Promise<{ db: Knex; url: string }> {
  const { db, url, drop } = await createScratchDatabase(stack.config.databaseUrl);
  cleanups.push(drop);
  return { db, url };
}

/** Feeds events straight into the processor (real PostgreSQL, no Kafka), in the given order. */
async function feed(db: Knex, events: TypedEvent[], batchSize = 40): Promise<void> {
  const offsets = new Map<string, number>();
  const input: InputEvent[] = events.map((e) => {
    const topic = topicOf(e.type);
    const offset = offsets.get(topic) ?? 0;
    offsets.set(topic, offset + 1);
    return { topic, partition: 0, offset: String(offset), value: e.value as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  });
  for (let i = 0; i < input.length; i += batchSize) await processBatch(db, 'test', input.slice(i, i + batchSize), region);
}

/**
 * Every alert, open or closed: the history is a function of the events (each carries the day the
 * hub received it), not of the order they arrived in.
 */
async function alertSnapshot(db: Knex, keys?: string[]) {
  const q = db('alert')
    .select('alert_id', 'employer_key', 'rule', 'status', 'severity', 'score', 'explanation', 'evidence', 'opened_at', 'closed_at')
    .whereRaw(`close_reason is distinct from 'SUPERSEDED'`) // identity churn: a name seen before its USCC
    .orderBy('alert_id');
  if (keys) q.whereIn('employer_key', keys);
  return (await q).map((r) => ({ ...r, opened_at: new Date(r.opened_at).toISOString(), closed_at: r.closed_at && new Date(r.closed_at).toISOString() }));
}

async function produce(events: TypedEvent[]) {
  const producer = await AvroProducer.connect(stack.kafka, stack.registry, stack.ids);
  try {
    for (const type of new Set(events.map((e) => e.type))) {
      const mine = events.filter((e) => e.type === type);
      for (let i = 0; i < mine.length; i += 500) {
        await producer.send(type, mine.slice(i, i + 500).map((e) => ({ key: String(e.value.employerKey), value: e.value })));
      }
    }
  } finally {
    await producer.disconnect();
  }
}

/** Waits until every one of `events` is a fact in `db` (other traffic on the topics may interleave). */
async function waitForFacts(db: Knex, events: TypedEvent[], timeoutMs = 120_000) {
  const ids = events.map((e) => String(e.value.eventId));
  const count = async () => Number((await db('fact').whereIn('event_id', ids).count<{ count: string }[]>('* as count'))[0].count);
  await waitFor(async () => (await count()) === ids.length, { timeoutMs, intervalMs: 250, what: `all ${ids.length} events to become facts` });
}

const keysOf = (events: TypedEvent[]) => [...new Set(events.map((e) => String(e.value.uscc ?? '')).filter(Boolean))];

describe('the correlator, judged on its alerts', () => {
  test('a dusty, uninsured employer is flagged PRIORITY from events arriving on Kafka, and the alert is published', async () => {
    const run = stack.unique('prio');
    const events = eventsFor(run, 5).filter((e) => e.value.employerKey === makeUscc(`${run}-1`)); // pattern 1: dust exceeded, nobody insured
    const groupId = stack.unique('corr');
    const correlator = await startCorrelator({ config: stack.config, region, logger: silent, groupId, startAt: 'latest', opsPort: 0 });
    cleanups.push(() => correlator.close());
    const uscc = makeUscc(`${run}-1`);
    const msgs = await readAfter(
      stack,
      ['alert'],
      () => produce(events),
      (m) => m.some((x) => x.value.employerKey === uscc && x.value.rule === 'PRIORITY'),
      60_000,
    );
    const rules = (await stack.db('alert').where({ employer_key: uscc, status: 'OPEN' })).map((a) => a.rule).sort();
    expect(rules).toEqual(['HAZARD_EXCEEDED', 'PRIORITY', 'UNDER_INSURED']);
    const published = msgs.find((x) => x.value.employerKey === uscc && x.value.rule === 'PRIORITY')!.value;
    expect(published.explanation).toMatch(/职业病危害因素超标/);
    expect((published.evidence as { department: string }[]).map((e) => e.department).sort()).toEqual(expect.arrayContaining(['health', 'hrss']));
    // Dangerous and uninsured: one joint letter of 卫生健康 and 人社, with its document number.
    // (When 人社's data arrive first, its own letter is issued and then merged into the joint one.)
    const recs = await stack.db('recommendation').where({ employer_key: uscc }).whereIn('status', ['OPEN', 'OVERDUE']);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ kind: 'JOINT', status: 'OPEN', departments: ['health', 'hrss'] });
    expect(recs[0].document_number).toMatch(/^宿工预建〔\d{4}〕\d+号$/);
    // An operator can tell it is consuming, and what it has done.
    const ready = await fetch(`${correlator.opsUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: 'ok', consuming: 'ok' } });
    const metrics = await (await fetch(`${correlator.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/whp_correlator_events_total\{type="hazard"\} [1-9]/);
    expect(metrics).toMatch(/whp_correlator_consumer_lag \d+/);
  });

  test('a fetch of more small events than one PostgreSQL statement can bind is taken whole, with the same alerts as small batches', async () => {
    const run = stack.unique('big');
    const events = eventsFor(run, 800); // ~12,500 events: 6 bind parameters each in the fact insert, over 65,535
    expect(events.length).toBeGreaterThan(65_535 / 6);
    const whole = await freshDb();
    await feed(whole.db, events, events.length);
    const facts = Number((await whole.db('fact').count<{ count: string }[]>('* as count'))[0].count);
    expect(facts).toBe(events.length);
    const small = await freshDb();
    await feed(small.db, events, 1_000);
    const alerts = await alertSnapshot(whole.db);
    expect(alerts.filter((a) => a.status === 'OPEN').length).toBeGreaterThan(800);
    expect(alerts).toEqual(await alertSnapshot(small.db));
  });

  test('the same events in two different orders give the same alerts', async () => {
    const events = eventsFor(stack.unique('order'), 15);
    const a = await freshDb();
    const b = await freshDb();
    await feed(a.db, events);
    await feed(b.db, [...events].reverse(), 7);
    const snapA = await alertSnapshot(a.db);
    expect(snapA.filter((x) => x.status === 'OPEN').length).toBeGreaterThan(10);
    expect(await alertSnapshot(b.db)).toEqual(snapA);
  });

  test('replaying every event a second time changes nothing', async () => {
    const events = eventsFor(stack.unique('replay'), 10);
    const { db } = await freshDb();
    await feed(db, events);
    const before = await alertSnapshot(db);
    const outboxBefore = await db('outbox').count<{ count: string }[]>('* as count');
    await feed(db, events.map((e) => e)); // new offsets, same eventIds: all duplicates
    expect(await alertSnapshot(db)).toEqual(before);
    expect(await db('outbox').count<{ count: string }[]>('* as count')).toEqual(outboxBefore);
  });

  describe('employer identity', () => {
    const head = (uscc: string | null, name: string) => ({
      regionCode: '321302',
      uscc,
      employerName: name,
      employerKey: uscc ?? `N:321302:${name.replace('有限责任公司', '有限公司').replace(/（/g, '(').replace(/）/g, ')')}`,
      source: 'FILE',
      ingestedAt: '2026-11-20T02:00:00.000Z',
    });
    const injury = (h: object, id: string): TypedEvent => ({
      type: 'injury',
      value: { ...h, eventId: id, department: 'hrss', personId: 'psn_x', injuryDate: '2026-11-05', decision: 'RECOGNIZED', insuredAtInjury: false, decidedAt: '2026-11-18' },
    });
    const employer = (h: object, id: string): TypedEvent => ({
      type: 'employer',
      value: { ...h, eventId: id, department: 'market', industryCode: 'F5211', headcount: 5, asOf: '2026-11-01' },
    });

    test('a name-only record is linked to its USCC when the USCC arrives later, and its alert moves with it', async () => {
      const { db } = await freshDb();
      const uscc = makeUscc(stack.unique('late'));
      await feed(db, [injury(head(null, '宿迁晚到信用代码有限公司'), 'i1')]);
      expect((await db('alert').where({ employer_key: 'N:321302:宿迁晚到信用代码有限公司', status: 'OPEN' })).map((a) => a.rule)).toEqual(['UNINSURED']);
      await feed(db, [employer(head(uscc, '宿迁晚到信用代码有限公司'), 'e1')]);
      expect((await db('alert').where({ employer_key: uscc, status: 'OPEN' })).map((a) => a.rule)).toEqual(['UNINSURED']);
      expect(await db('alert').where({ employer_key: 'N:321302:宿迁晚到信用代码有限公司', status: 'OPEN' })).toEqual([]);
      expect(await db('employer_alias').where('raw_key', 'N:321302:宿迁晚到信用代码有限公司').first()).toMatchObject({ canonical_key: uscc, method: 'USCC_NAME' });
    });

    test('name variants (有限责任公司, full-width brackets, spaces) of a known employer join it', async () => {
      const { db } = await freshDb();
      const uscc = makeUscc(stack.unique('variant'));
      await feed(db, [employer(head(uscc, '宿迁市宏达（宿城）机械有限公司'), 'e1')]);
      await feed(db, [injury(head(null, '宿迁市宏达(宿城)机械有限责任公司'), 'i1')]);
      const alias = await db('employer_alias').where('canonical_key', uscc).andWhere('method', '<>', 'SELF');
      expect(alias.length).toBeGreaterThanOrEqual(1);
      expect((await db('alert').where({ employer_key: uscc, status: 'OPEN' })).map((a) => a.rule)).toEqual(['UNINSURED']);
    });

    test('a typo or branch suffix links with a lower recorded confidence', async () => {
      const { db } = await freshDb();
      const uscc = makeUscc(stack.unique('fuzzy'));
      await feed(db, [employer(head(uscc, '宿迁市恒远精密机械有限公司'), 'e1')]);
      await feed(db, [injury(head(null, '宿迁市恒远精密机械有限公司分公司'), 'i1'), injury(head(null, '宿迁市恒远精蜜机械有限公司'), 'i2')]);
      const links = await db('employer_alias').where({ canonical_key: uscc, method: 'NAME_FUZZY' });
      expect(links).toHaveLength(2);
      for (const l of links) expect(l.confidence).toBeLessThan(0.95);
    });

    test('an ambiguous name goes to review, not to a guess', async () => {
      const { db } = await freshDb();
      await feed(db, [
        employer(head(makeUscc(stack.unique('amb1')), '宿迁市华星建材有限公司'), 'e1'),
        employer(head(makeUscc(stack.unique('amb2')), '宿迁市华兴建材有限公司'), 'e2'),
      ]);
      await feed(db, [injury(head(null, '宿迁市华昇建材有限公司'), 'i1')]);
      const review = await db('identity_review').where('raw_key', 'N:321302:宿迁市华昇建材有限公司').first();
      expect(review?.candidates).toHaveLength(2);
      expect(await db('employer_alias').where('raw_key', 'N:321302:宿迁市华昇建材有限公司').first()).toMatchObject({ method: 'SELF' });
    });
  });

  describe('circulars (通报) from the sweep', () => {
    const circulate = async (db: Knex, asOf: Date) => storeNotices(db, region, typicalAccidentNotices(await loadAccidents(db, region, asOf), region, shanghaiDay(asOf)));
    const dustCircular = async (db: Knex, asOf: Date) => {
      const draft = await dustControlNotice(db, region, asOf);
      return draft ? storeNotices(db, region, [draft]) : 0;
    };
    const accidentAt = (run: string, i: number, day: string): TypedEvent[] => {
      const uscc = makeUscc(`${run}-c${i}`);
      const head = { regionCode: '321302', uscc, employerName: `集中事故测试${i}号机械有限公司`, employerKey: uscc, source: 'API', ingestedAt: '2026-11-20T02:00:00.000Z' };
      return [
        { type: 'employer', value: { ...head, eventId: `${run}-e${i}`, department: 'hrss', industryCode: 'C3420', headcount: 50, asOf: '2026-10-01' } },
        {
          type: 'accident',
          value: {
            ...head, eventId: `${run}-a${i}`, department: 'emergency', occurredAt: `${day}T02:00:00.000Z`, category: 3, categoryStandard: 'GB6441_1986',
            deaths: 0, seriousInjuries: 1, minorInjuries: 0, directLossYuan: 20000, summary: '设备检修时发生机械伤害', projectId: null,
          },
        },
      ];
    };

    test('three accidents of one category in one industry section within 30 days become one typical-accident circular', async () => {
      const { db } = await freshDb();
      const run = stack.unique('cluster');
      await feed(db, [...accidentAt(run, 1, '2026-11-01'), ...accidentAt(run, 2, '2026-11-10'), ...accidentAt(run, 3, '2026-11-20')]);
      const asOf = new Date('2026-11-24T04:00:00Z');
      expect(await circulate(db, asOf)).toBe(1);
      expect(await circulate(db, asOf)).toBe(0); // the same cluster is circulated once
      const notice = await db('notice').first();
      expect(notice).toMatchObject({ kind: 'TYPICAL_ACCIDENT' });
      expect(notice.title).toBe('关于制造业机械伤害事故集中发生情况的通报');
      expect(notice.document_number).toMatch(/^宿工预通〔2026〕\d+号$/);
      expect(notice.employers).toHaveLength(3);
      expect(await db('outbox').where('topic_type', 'notice')).toHaveLength(1);
    });

    test('two such accidents are not a cluster', async () => {
      const { db } = await freshDb();
      const run = stack.unique('nocluster');
      await feed(db, [...accidentAt(run, 1, '2026-11-01'), ...accidentAt(run, 2, '2026-11-10'), ...accidentAt(run, 3, '2026-06-20')]);
      expect(await circulate(db, new Date('2026-11-24T04:00:00Z'))).toBe(0);
    });

    test('the monthly circular lists the employers whose dust controls fail, once a month', async () => {
      const { db } = await freshDb();
      const events = eventsFor(stack.unique('dust'), 5); // patterns 0 and 1 exceed the cement-dust limit
      await feed(db, events);
      const asOf = new Date('2026-11-24T04:00:00Z');
      expect(await dustCircular(db, asOf)).toBe(1);
      expect(await dustCircular(db, new Date('2026-11-28T04:00:00Z'))).toBe(0);
      const notice = await db('notice').where('kind', 'DUST_CONTROL_FAILURES').first();
      expect(notice.title).toBe('关于2026年11月粉尘危害治理不达标责任主体名单的通报');
      expect(notice.employers.sort()).toEqual([events[0].value.uscc, events.find((e) => String(e.value.eventId).includes('-emp-1-'))!.value.uscc].sort());
      expect(notice.body).toContain('水泥粉尘');
      expect(notice.body).not.toMatch(/psn_|\d{17}[\dX]/);
    });
  });

  test('killed with SIGKILL mid-stream several times, the correlator restarts and has every alert exactly once', async () => {
    const run = stack.unique('kill');
    const events = eventsFor(run, 800); // ~12,500 events: more transactions than kills, whatever the gathering
    const groupId = stack.unique('corr-kill');
    const { db, url } = await freshDb();
    const start = (): ChildProcess =>
      spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'main.ts')], {
        env: { ...process.env, DATABASE_URL: url, WHP_CORRELATOR_GROUP: groupId, WHP_CORRELATOR_START: 'latest', WHP_KAFKA_SESSION_TIMEOUT_MS: '6000', WHP_SWEEP_CRON: '', LOG_LEVEL: 'warn', CORRELATOR_PORT: '0', WHP_CORRELATOR_TX_EVENTS: '500' },
        stdio: 'ignore',
      });
    const ids = events.map((e) => String(e.value.eventId));
    // Only this run's events: other traffic on the shared local topics may be consumed too.
    const factCount = async () => Number((await db('fact').whereIn('event_id', ids).count<{ count: string }[]>('* as count'))[0].count);
    const until = (cond: () => Promise<boolean>) => waitFor(cond, { intervalMs: 50, what: 'the correlator to make progress' });
    // The first instance records where it starts (the topics' ends), then the events arrive.
    let child = start();
    // Whatever happens below, no instance outlives the test (a failed wait would leave one running).
    cleanups.push(async () => {
      child.kill('SIGKILL');
    });
    await until(async () => (await db('consumer_offset').where('group_id', groupId)).length > 0);
    await produce(events);
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      if (process.env.DEBUG_KILL) console.log('round', round, await factCount());
      // Kill it without warning while it works, as soon as it has made progress.
      const before = await factCount();
      await until(async () => (await factCount()) > before);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      kills++;
      child = start();
    }
    expect(kills).toBe(3);
    const last = child;
    expect(await factCount()).toBeLessThan(events.length); // the kills really came mid-stream
    await waitForFacts(db, events, 180_000); // facts commit with the alerts they produced
    // Reference: the same events straight through the processor into an empty database.
    const ref = await freshDb();
    await feed(ref.db, events, 100);
    const keys = keysOf(events);
    const got = await alertSnapshot(db, keys);
    expect(got.filter((a) => a.status === 'OPEN').length).toBeGreaterThan(100);
    expect(got).toEqual(await alertSnapshot(ref.db, keys));
    // Exactly once: one fact per event, one open alert per employer and rule.
    const facts = await db('fact').whereIn('raw_key', keys).count<{ count: string }[]>('* as count');
    expect(Number(facts[0].count)).toBe(events.filter((e) => e.value.uscc).length);
    const dupes = await db('alert').select('employer_key', 'rule').where('status', 'OPEN').groupBy('employer_key', 'rule').havingRaw('count(*) > 1');
    expect(dupes).toEqual([]);
    last.kill('SIGTERM');
  }, 300_000);

  test('two correlator instances split the partitions and together produce the same alerts', async () => {
    const run = stack.unique('pair');
    const events = eventsFor(run, 40);
    const groupId = stack.unique('corr-pair');
    const { db, url } = await freshDb();
    const config = { ...stack.config, databaseUrl: url };
    const one = await startCorrelator({ config, region, logger: silent, groupId, startAt: 'latest', opsPort: 0 });
    cleanups.push(() => one.close());
    const two = await startCorrelator({ config, region, logger: silent, groupId, startAt: 'latest', opsPort: 0 });
    cleanups.push(() => two.close());
    // Both members in the group before the events arrive.
    const shared = () => Object.values(one.assignment()).flat().length > 0 && Object.values(two.assignment()).flat().length > 0 && Object.values(one.assignment()).flat().length + Object.values(two.assignment()).flat().length === EVENT_TYPES.length * stack.config.topicPartitions;
    await waitFor(shared, { intervalMs: 200, what: 'the two instances to share the partitions' });
    await produce(events);
    await waitForFacts(db, events);
    const a = Object.values(one.assignment()).flat().length;
    const b = Object.values(two.assignment()).flat().length;
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(a + b).toBe(EVENT_TYPES.length * stack.config.topicPartitions);
    const ref = await freshDb();
    await feed(ref.db, events, 100);
    const keys = keysOf(events);
    const count = async (d: Knex) => (await alertSnapshot(d, keys)).reduce((m, a) => ({ ...m, [a.rule]: (m[a.rule] ?? 0) + 1 }), {} as Record<string, number>);
    const facts = async (d: Knex) => (await d('fact').select('event_type').count('* as n').groupBy('event_type')).map((r) => `${r.event_type}:${r.n}`).sort().join(' ');
    if (process.env.DEBUG_PAIR) console.log(await count(db), await count(ref.db), await facts(db), await facts(ref.db));
    expect(await alertSnapshot(db, keys)).toEqual(await alertSnapshot(ref.db, keys));
  });
});
