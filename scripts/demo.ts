/**
 * `npm run demo`: the hub's main job on the local stack, narrated.
 * Today: set up the contract (topics, schemas) and round-trip one event of every type.
 */
import { isDeepStrictEqual } from 'node:util';
import { loadConfig } from '../services/shared/config';
import { EVENT_TYPES, topicOf } from '../services/shared/contract';
import { AvroProducer, createKafka, ensureTopics } from '../services/shared/kafka';
import { createRegistry, registerContract } from '../services/shared/registry';
import { createDb, migrate } from '../services/shared/db';
import { sampleEvents } from '../services/shared/samples';

const step = (n: number, text: string) => console.log(`\n== ${n}. ${text}`);

async function main() {
  const config = loadConfig();
  step(1, '契约 / contract: topics, Avro schemas, database');
  const kafka = createKafka(config);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, config.topicPartitions);
  const registry = createRegistry(config.registryUrl);
  const ids = await registerContract(registry);
  const db = createDb(config.databaseUrl);
  await migrate(db);
  console.table(
    Object.entries(ids).map(([type, id]) => ({ type, topic: topicOf(type as never), subject: `${topicOf(type as never)}-value`, schemaId: id })),
  );

  step(2, '往返 / round trip: one event of every type through the registry and Kafka');
  const producer = await AvroProducer.connect(kafka, registry, ids);
  const run = `demo-${Date.now()}`;
  const samples = sampleEvents(run);
  const consumer = kafka.consumer({ groupId: run });
  await consumer.connect();
  const topics = EVENT_TYPES.map((t) => topicOf(t));
  const ends = await Promise.all(topics.map((t) => admin.fetchTopicOffsets(t)));
  await consumer.subscribe({ topics, fromBeginning: true });
  const seen = new Map<string, { type: string; eventId: string; partition: number; offset: string; equal: boolean }>();
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const value = (await registry.decode(message.value as Buffer)) as Record<string, unknown>;
      const type = topic.split('.')[1] as (typeof EVENT_TYPES)[number];
      if (value.eventId !== samples[type].eventId) return;
      const equal = isDeepStrictEqual({ ...value }, samples[type]);
      seen.set(type, { type, eventId: String(value.eventId), partition, offset: message.offset, equal });
    },
  });
  await joined;
  topics.forEach((topic, i) => ends[i].forEach((p) => consumer.seek({ topic, partition: p.partition, offset: p.high })));
  for (const type of EVENT_TYPES) await producer.send(type, [{ key: String(samples[type].employerKey), value: samples[type] }]);
  const deadline = Date.now() + 30_000;
  while (seen.size < EVENT_TYPES.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  console.table([...seen.values()]);
  const ok = seen.size === EVENT_TYPES.length && [...seen.values()].every((s) => s.equal);
  console.log(ok ? '\n所有事件类型往返一致 (every type round-tripped equal).' : '\n往返失败 (round trip failed).');

  await consumer.disconnect();
  await producer.disconnect();
  await admin.disconnect();
  await db.destroy();
  process.exitCode = ok ? 0 : 1;
}

main().catch((err) => {
  console.error('演示失败 (demo failed):', err);
  process.exit(1);
});
