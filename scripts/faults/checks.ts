import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { loadConfig } from '../../services/shared/config';
import { EventType, topicOf } from '../../services/shared/contract';
import { createKafka, decodeBatch } from '../../services/shared/kafka';
import { createRegistry } from '../../services/shared/registry';
import { Ledger } from './ledger';
import { loadRegionConfig } from '../../services/shared/regionConfig';
import { sweep } from '../../services/correlator/sweep';

/**
 * The suite's verdicts, from the real parts: what Kafka holds (read from the beginning by a
 * consumer of the suite's own), and what the correlator stored.
 */
export interface KafkaCensus {
  /** eventId → copies of its first revision on the topic, per type. */
  copies: Map<EventType, Map<string, number>>;
  messages: number;
}

export async function kafkaCensus(env: Record<string, string>, types: EventType[]): Promise<KafkaCensus> {
  const config = loadConfig({ ...process.env, ...env, LOG_LEVEL: 'silent' });
  const kafka = createKafka(config);
  const registry = createRegistry(config);
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, bigint>(); // topic|partition → high watermark still to reach
  for (const t of types) {
    for (const p of await admin.fetchTopicOffsets(topicOf(t))) {
      if (BigInt(p.high) > BigInt(p.low)) remaining.set(`${topicOf(t)}|${p.partition}`, BigInt(p.high));
    }
  }
  await admin.disconnect();
  const copies = new Map<EventType, Map<string, number>>(types.map((t) => [t, new Map<string, number>()]));
  const typeOfTopic = new Map(types.map((t) => [topicOf(t), t]));
  let messages = 0;
  if (remaining.size === 0) return { copies, messages };
  const consumer = kafka.consumer({ groupId: `whp-faults-census-${randomUUID().slice(0, 8)}`, maxBytesPerPartition: 8 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: types.map(topicOf), fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Kafka census: ${remaining.size} partitions not read to their end within 300 s`)), 300_000);
    consumer
      .run({
        eachBatch: async (payload) => {
          const type = typeOfTopic.get(payload.batch.topic)!;
          const counts = copies.get(type)!;
          for (const m of await decodeBatch(registry, payload)) {
            messages++;
            if (Number(m.value.revision ?? 1) !== 1) continue;
            const id = String(m.value.eventId);
            counts.set(id, (counts.get(id) ?? 0) + 1);
          }
          const key = `${payload.batch.topic}|${payload.batch.partition}`;
          const high = remaining.get(key);
          if (high !== undefined && BigInt(payload.batch.lastOffset()) + 1n >= high) remaining.delete(key);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return { copies, messages };
}

export interface Verdict {
  recordsChecked: number;
  /** Taken by the gateway, not on the topic. */
  lostInKafka: number;
  /** Taken, more than one copy on the topic (sent again after an answer that never arrived). */
  repeatedInKafka: number;
  /** Taken, not in the correlator's facts. */
  lostInState: number;
  /** More than one fact for one event, or more than one open alert of one rule for one employer. */
  duplicatedInState: number;
  examples: string[];
}

export async function verify(ledger: Ledger, census: KafkaCensus, db: Knex): Promise<Verdict> {
  const v: Verdict = { recordsChecked: 0, lostInKafka: 0, repeatedInKafka: 0, lostInState: 0, duplicatedInState: 0, examples: [] };
  const facts = new Map<string, number>();
  for (const r of await db('fact').select('event_type', 'event_id', db.raw('count(*)::int as n')).groupBy('event_type', 'event_id')) {
    facts.set(`${r.event_type}|${r.event_id}`, r.n);
  }
  for (const [type, ids] of ledger.taken) {
    const copies = census.copies.get(type) ?? new Map<string, number>();
    for (const id of ids) {
      v.recordsChecked++;
      const c = copies.get(id) ?? 0;
      if (c === 0) {
        v.lostInKafka++;
        if (v.examples.length < 5) v.examples.push(`${type} ${id}: accepted, not in Kafka`);
      } else if (c > 1) v.repeatedInKafka++;
      const f = facts.get(`${type}|${id}`) ?? 0;
      if (f === 0) {
        v.lostInState++;
        if (v.examples.length < 5) v.examples.push(`${type} ${id}: accepted, not in the correlator's facts`);
      } else if (f > 1) {
        v.duplicatedInState++;
        if (v.examples.length < 5) v.examples.push(`${type} ${id}: ${f} facts`);
      }
    }
  }
  const twice = await db('alert').select('employer_key', 'rule').where('status', 'OPEN').groupBy('employer_key', 'rule').havingRaw('count(*) > 1');
  v.duplicatedInState += twice.length;
  for (const t of twice.slice(0, 3)) v.examples.push(`two open ${t.rule} alerts for ${t.employer_key}`);
  return v;
}

/** The correlator's outputs, comparable between two databases fed the same events. */
export async function outputSnapshot(db: Knex): Promise<{ alerts: string[]; recommendations: string[] }> {
  const alerts = await db('alert')
    .select('alert_id', 'employer_key', 'rule', 'status', 'close_reason', 'severity', 'score')
    .whereRaw(`close_reason is distinct from 'SUPERSEDED'`)
    .orderBy('alert_id');
  // Letters that stand (content_hash set): not the ones replaced once the rest of their day's data arrived.
  const recommendations = await db('recommendation').whereNotNull('content_hash').select('recommendation_id', 'alert_id', 'employer_key', 'rule', 'kind', 'status', 'deadline').orderBy('recommendation_id');
  return {
    alerts: alerts.map((a) => JSON.stringify([a.alert_id, a.employer_key, a.rule, a.status, a.close_reason, a.severity, Number(a.score)])),
    recommendations: recommendations.map((r) => JSON.stringify([r.recommendation_id, r.alert_id, r.employer_key, r.rule, r.kind, r.status, r.deadline])),
  };
}

/** How two snapshots differ: entries only in one, counted. */
export function snapshotDiff(a: string[], b: string[]): { onlyA: string[]; onlyB: string[] } {
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const ca = count(a);
  const cb = count(b);
  const onlyA: string[] = [];
  const onlyB: string[] = [];
  for (const [x, n] of ca) for (let i = cb.get(x) ?? 0; i < n; i++) onlyA.push(x);
  for (const [x, n] of cb) for (let i = ca.get(x) ?? 0; i < n; i++) onlyB.push(x);
  return { onlyA, onlyB };
}

/**
 * Sweeps each database at one and the same moment (the services' region), as the scheduled sweep
 * would: what depends on time and on other employers (section accident rates) is then current in
 * both, whatever order their events came in.
 */
export async function settleBySweep(dbs: Knex[], asOf = new Date()): Promise<void> {
  const region = loadRegionConfig();
  for (const db of dbs) await sweep(db, region, asOf);
}
