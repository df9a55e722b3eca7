import { Kafka } from 'kafkajs';
import { Knex } from 'knex';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { EVENT_TYPES, topicOf } from '../../services/shared/contract';
import { AvroProducer } from '../../services/shared/kafka';
import { SchemaIds } from '../../services/shared/registry';
import { ServiceProcess, startService } from './common';
import { eventMix } from './mix';

/**
 * Alert latency: with the correlator running, the mix is published at a steady rate; each
 * measurement over its limit at a new employer must come out as a HAZARD_EXCEEDED alert on
 * whp.alert.v1. Latency is publish → alert received, p50 and p99.
 */
export interface LatencyResult {
  rate: number;
  seconds: number;
  alerts: number;
  p50ms: number;
  p99ms: number;
  maxms: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export async function benchLatency(o: {
  kafka: Kafka;
  registry: SchemaRegistry;
  ids: SchemaIds;
  db: Knex;
  databaseUrl: string;
  rate: number;
  seconds: number;
  onProcess: (p: ServiceProcess) => void;
  log: (s: string) => void;
}): Promise<LatencyResult> {
  const group = `bench-latency-${Date.now()}`;
  const admin = o.kafka.admin();
  await admin.connect();
  const rows = [];
  for (const t of EVENT_TYPES) {
    const topic = topicOf(t);
    for (const p of await admin.fetchTopicOffsets(topic)) rows.push({ group_id: group, topic, partition: p.partition, next_offset: p.high });
  }
  const alertEnds = await admin.fetchTopicOffsets(topicOf('alert'));
  await admin.disconnect();
  await o.db('consumer_offset').insert(rows);
  const proc = await startService('correlator', { DATABASE_URL: o.databaseUrl, WHP_CORRELATOR_GROUP: group, WHP_SWEEP_CRON: '' }, '/readyz', 'CORRELATOR_PORT');
  o.onProcess(proc);

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const consumer = o.kafka.consumer({ groupId: `bench-alerts-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topicOf('alert')], fromBeginning: true });
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const v = (await o.registry.decode(message.value as Buffer)) as { employerKey: string; rule: string; status: string };
      const t0 = sentAt.get(v.employerKey);
      if (t0 !== undefined && v.rule === 'HAZARD_EXCEEDED' && v.status === 'OPEN') {
        latencies.push(Date.now() - t0);
        sentAt.delete(v.employerKey);
      }
    },
  });
  await joined;
  for (const p of alertEnds) consumer.seek({ topic: topicOf('alert'), partition: p.partition, offset: p.high });

  const producer = await AvroProducer.connect(o.kafka, o.registry, o.ids);
  const mix = eventMix(`bench-lat-${Date.now()}`, 1_000_000, 5_000_000);
  const total = o.rate * o.seconds;
  const tickMs = 100;
  const perTick = Math.round((o.rate * tickMs) / 1000);
  const started = Date.now();
  let sent = 0;
  let expected = 0;
  o.log(`  ${o.rate.toLocaleString()} events/s for ${o.seconds} s …`);
  while (sent < total) {
    const byType = new Map<string, { key: string; value: unknown }[]>();
    for (let i = 0; i < perTick; i++) {
      const e = mix.next().value!;
      (byType.get(e.type) ?? byType.set(e.type, []).get(e.type)!).push({ key: e.key, value: e.value });
      if (e.type === 'hazard' && Number(e.value.measured) > Number(e.value.limit)) {
        sentAt.set(e.key, Date.now());
        expected++;
      }
    }
    await Promise.all([...byType].map(([t, list]) => producer.send(t as never, list)));
    sent += perTick;
    const due = started + (sent / o.rate) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  }
  const waitUntil = Date.now() + 60_000;
  while (latencies.length < expected && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 100));
  await producer.disconnect();
  await consumer.disconnect();
  await proc.stop();
  const sorted = [...latencies].sort((a, b) => a - b);
  if (sorted.length < expected) o.log(`  （${expected - sorted.length} 条预警 60 秒内未到达 / alerts not received within 60 s）`);
  return { rate: o.rate, seconds: o.seconds, alerts: sorted.length, p50ms: pct(sorted, 50), p99ms: pct(sorted, 99), maxms: sorted[sorted.length - 1] };
}
