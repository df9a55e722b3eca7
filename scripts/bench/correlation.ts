import { Kafka } from 'kafkajs';
import { Knex } from 'knex';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { EVENT_TYPES, topicOf } from '../../services/shared/contract';
import { AvroProducer } from '../../services/shared/kafka';
import { SchemaIds } from '../../services/shared/registry';
import { ServiceProcess, Spread, spread, startService } from './common';
import { eventMix } from './mix';
import type { ScratchDatabase } from '../../test/stack';

/**
 * Correlation: events per second from a filled topic set to committed state, for a realistic
 * mix over many employers, against the ceiling of the same run: a bare kafkajs consumer that
 * only decodes the same Avro records.
 */
export interface CorrelationResult {
  events: number;
  employers: number;
  instances: number;
  bareDecode: Spread;
  correlator: Spread;
  ratio: number;
}

type Offsets = Map<string, { partition: number; offset: string }[]>;

async function ends(kafka: Kafka): Promise<Offsets> {
  const admin = kafka.admin();
  await admin.connect();
  const out: Offsets = new Map();
  for (const t of EVENT_TYPES) out.set(topicOf(t), (await admin.fetchTopicOffsets(topicOf(t))).map((p) => ({ partition: p.partition, offset: p.high })));
  await admin.disconnect();
  return out;
}

/** Produces the mix; returns where it starts on every partition and how many events it holds. */
export async function fill(kafka: Kafka, registry: SchemaRegistry, ids: SchemaIds, run: string, employers: number): Promise<{ start: Offsets; count: number }> {
  const start = await ends(kafka);
  const producer = await AvroProducer.connect(kafka, registry, ids);
  let count = 0;
  const pending = new Map<string, { key: string; value: unknown }[]>();
  const flush = async (type: string) => {
    const list = pending.get(type) ?? [];
    if (list.length) await producer.send(type as never, list);
    pending.set(type, []);
  };
  for (const e of eventMix(run, employers)) {
    const list = pending.get(e.type) ?? [];
    list.push({ key: e.key, value: e.value });
    pending.set(e.type, list);
    count++;
    if (list.length >= 5000) await flush(e.type);
  }
  for (const t of pending.keys()) await flush(t);
  await producer.disconnect();
  return { start, count };
}

/** A consumer that only decodes, from `start`, until it has seen `count` records. */
async function bareDecode(kafka: Kafka, registry: SchemaRegistry, start: Offsets, count: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-decode-${Date.now()}`, maxBytesPerPartition: 4 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: [...start.keys()], fromBeginning: true });
  let seen = 0;
  let first = 0;
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        const from = BigInt(start.get(batch.topic)!.find((p) => p.partition === batch.partition)!.offset);
        const mine = batch.messages.filter((m) => BigInt(m.offset) >= from);
        if (!mine.length) return;
        first ||= Date.now();
        await Promise.all(mine.map((m) => registry.decode(m.value as Buffer)));
        seen += mine.length;
        if (seen >= count) resolve(count / ((Date.now() - first) / 1000));
      },
    });
  });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const [topic, parts] of start) for (const p of parts) consumer.seek({ topic, partition: p.partition, offset: p.offset });
  });
  const rate = await done;
  await consumer.disconnect();
  return rate;
}

/** The correlator as `instances` processes of one group, from `start`, until their committed offsets reach the ends. */
async function correlate(db: Knex, databaseUrl: string, start: Offsets, end: Offsets, count: number, instances: number, onProcess: (p: ServiceProcess) => void): Promise<number> {
  const group = `bench-correlator-${Date.now()}`;
  const rows = [...start].flatMap(([topic, parts]) => parts.map((p) => ({ group_id: group, topic, partition: p.partition, next_offset: p.offset })));
  await db('consumer_offset').insert(rows);
  const target = new Map([...end].flatMap(([topic, parts]) => parts.map((p) => [`${topic}|${p.partition}`, BigInt(p.offset)] as const)));
  const procs = await Promise.all(Array.from({ length: instances }, () => startService('correlator', { DATABASE_URL: databaseUrl, WHP_CORRELATOR_GROUP: group, WHP_SWEEP_CRON: '' }, '/readyz', 'CORRELATOR_PORT')));
  procs.forEach(onProcess);
  const committed = async () => new Map((await db('consumer_offset').where('group_id', group)).map((r: { topic: string; partition: number; next_offset: string }) => [`${r.topic}|${r.partition}`, BigInt(r.next_offset)]));
  // An instance ready before the others has already taken some events: only what is left when
  // all are ready counts, over the time from then.
  const started = Date.now();
  const atStart = await committed();
  const left = [...target].reduce((n, [k, o]) => {
    const d = o - (atStart.get(k) ?? 0n);
    return n + (d > 0n ? Number(d) : 0);
  }, 0);
  for (;;) {
    const at = await committed();
    if ([...target].every(([k, o]) => (at.get(k) ?? 0n) >= o)) break;
    if (Date.now() - started > 30 * 60_000) throw new Error('the correlator did not catch up within 30 minutes');
    await new Promise((r) => setTimeout(r, 200));
  }
  if (left < count / 2) throw new Error(`only ${left} of ${count} events were left when every instance was ready: too few to time`);
  const rate = left / ((Date.now() - started) / 1000);
  await Promise.all(procs.map((p) => p.stop()));
  return rate;
}

export async function benchCorrelation(o: {
  kafka: Kafka;
  registry: SchemaRegistry;
  ids: SchemaIds;
  /** A new, migrated scratch database for each run. */
  freshDatabase: () => Promise<ScratchDatabase>;
  employers: number;
  /** Correlator processes in the group (partitions are shared among them). */
  instances: number;
  repeats: number;
  onProcess: (p: ServiceProcess) => void;
  log: (s: string) => void;
}): Promise<CorrelationResult> {
  let events = 0;
  const bare: number[] = [];
  const correlator: number[] = [];
  // Each run fills the topics, decodes what it filled, then correlates it into an empty database:
  // no run finds another's events after its own on the topics, or another's state in the tables.
  for (let i = 0; i < o.repeats; i++) {
    const { start, count } = await fill(o.kafka, o.registry, o.ids, `bench-mix-${Date.now()}-${i}`, o.employers);
    const end = await ends(o.kafka);
    events = count;
    if (i === 0) o.log(`  ${events.toLocaleString()} events over ${o.employers.toLocaleString()} employers per run; bare decode, then the correlator (${o.instances === 1 ? 'its own process' : `${o.instances} processes in one group`}, a new database per run) …`);
    bare.push(await bareDecode(o.kafka, o.registry, start, count));
    const scratch = await o.freshDatabase();
    try {
      correlator.push(await correlate(scratch.db, scratch.url, start, end, count, o.instances, o.onProcess));
    } finally {
      await scratch.drop();
    }
  }
  const b = spread(bare);
  const c = spread(correlator);
  return { events, employers: o.employers, instances: o.instances, bareDecode: b, correlator: c, ratio: c.median / b.median };
}
