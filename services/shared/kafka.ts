import fs from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Kafka, KafkaConfig, logLevel, Producer, Consumer, Admin, CompressionTypes, EachBatchPayload, KafkaMessage, SASLOptions } from 'kafkajs';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { HubConfig } from './config';
import { EVENT_TYPES, OUTPUT_TYPES, TopicType, topicOf } from './contract';
import { SchemaIds, createRegistry, registerContract } from './registry';
import { Logger } from './logger';
import { HubError } from './errors';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

/** TLS and SASL as kafkajs takes them, from the validated configuration (files read here). */
export function kafkaSecurityOptions(config: Pick<HubConfig, 'kafkaTls' | 'kafkaSasl'>): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (config.kafkaTls) {
    const { caFile, certFile, keyFile } = config.kafkaTls;
    const tls: ConnectionOptions = { rejectUnauthorized: true };
    if (caFile) tls.ca = [fs.readFileSync(caFile, 'utf8')];
    if (certFile && keyFile) {
      tls.cert = fs.readFileSync(certFile, 'utf8');
      tls.key = fs.readFileSync(keyFile, 'utf8');
    }
    out.ssl = tls;
  }
  if (config.kafkaSasl) {
    const { mechanism, username, password } = config.kafkaSasl;
    out.sasl = { mechanism, username, password } as SASLOptions;
  }
  return out;
}

export function createKafka(config: Pick<HubConfig, 'kafkaBrokers' | 'kafkaClientId' | 'kafkaTls' | 'kafkaSasl'>, logger?: Logger): Kafka {
  return new Kafka({
    clientId: config.kafkaClientId,
    brokers: config.kafkaBrokers,
    ...kafkaSecurityOptions(config),
    connectionTimeout: 5000,
    // Reconnects at most two seconds apart: a service resumes within seconds of the broker's
    // return instead of waiting out kafkajs's default back-off (up to 30 s between attempts).
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 2_000 },
    logLevel: logLevel.WARN,
    logCreator: () => ({ level, log }) => {
      if (!logger) return;
      const { message, ...extra } = log;
      logger[kafkaLogLevel(level, String(message), String(extra.error ?? ''))]({ kafka: extra }, String(message));
    },
  });
}

/**
 * Two kafkajs messages are expected and not worth an operator's attention:
 * - "coordinator is loading" right after the broker starts: kafkajs retries it;
 * - "Limiting retries for the idempotent producer": we bound retries on purpose so that a send
 *   that cannot succeed fails the caller (an HTTP 503 the department resubmits, deduplicated by
 *   eventId) instead of hanging it forever.
 */
export function kafkaLogLevel(level: logLevel, message: string, error: string): 'debug' | 'warn' | 'error' {
  if (/coordinator is (loading|not available)/i.test(`${message} ${error}`)) return 'debug';
  if (/Limiting retries for the idempotent producer/.test(message)) return 'debug';
  return level === logLevel.ERROR ? 'error' : 'warn';
}

/**
 * Creates every contract topic that is missing. Input topics are partitioned by employer key;
 * outputs use the same count so that consumers can scale the same way. This is for development
 * and tests (one broker: replication 1). In production topics come from the plan
 * (deploy/kafka/topics.yaml, applied by scripts/kafka-topics.ts with replication 3 and
 * min.insync.replicas 2): with `create: false` a missing topic stops the service, naming it,
 * instead of being created with a development topic's settings.
 */
export async function ensureTopics(admin: Admin, partitions: number, o: { create?: boolean } = {}): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = [...EVENT_TYPES, ...OUTPUT_TYPES].map((t) => topicOf(t)).filter((t) => !existing.has(t));
  if (wanted.length === 0) return;
  if (o.create === false) {
    throw new HubError(
      'DEPENDENCY_UNAVAILABLE',
      `Kafka 中缺少主题 ${wanted.join('、')}：生产环境不自动创建主题，请先按规划创建（npx tsx scripts/kafka-topics.ts --apply，规划见 deploy/kafka/topics.yaml）`,
      { topics: wanted },
    );
  }
  await admin.createTopics({
    waitForLeaders: true,
    topics: wanted.map((topic) => ({
      topic,
      numPartitions: partitions,
      replicationFactor: 1,
      configEntries: [{ name: 'min.insync.replicas', value: '1' }],
    })),
  });
}

export interface KeyedValue {
  key: string;
  value: unknown;
  headers?: Record<string, string>;
}

/** Bytes of keys and values one send carries at most (below the broker's 1 MiB record-batch limit). */
export const SEND_BATCH_BYTES = 768 * 1024;

/** Consecutive runs of messages whose keys and values add up to at most `limit` bytes (a bigger one alone). */
export function byteBounded<T extends { key?: string | Buffer | null; value: Buffer | string | null }>(messages: T[], limit: number): T[][] {
  const parts: T[][] = [];
  let part: T[] = [];
  let size = 0;
  for (const m of messages) {
    const n = (m.value ? Buffer.byteLength(m.value) : 0) + (m.key ? Buffer.byteLength(m.key) : 0) + 64;
    if (part.length > 0 && size + n > limit) {
      parts.push(part);
      part = [];
      size = 0;
    }
    part.push(m);
    size += n;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/**
 * Idempotent producer, acks=all, values Avro-encoded through the registry (Confluent wire format).
 * `send` resolves only when Kafka has durably written every message.
 */
export class AvroProducer {
  private constructor(
    private readonly producer: Producer,
    private readonly registry: SchemaRegistry,
    private readonly ids: SchemaIds,
  ) {}

  static async connect(kafka: Kafka, registry: SchemaRegistry, ids: SchemaIds): Promise<AvroProducer> {
    // Bounded retries: a send fails loudly rather than hanging (kafkajs logs a warning about
    // idempotence with limited retries; ordering is still kept by maxInFlightRequests = 1).
    // A broker that is down fails a send within seconds (three quick retries), so that the gateway
    // answers 503 with Retry-After instead of holding the department's request for minutes.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 } });
    await producer.connect();
    return new AvroProducer(producer, registry, ids);
  }

  async encode(type: TopicType, value: unknown): Promise<Buffer> {
    return this.registry.encode(this.ids[type], value);
  }

  async send(type: TopicType, records: KeyedValue[]): Promise<void> {
    if (records.length === 0) return;
    const messages = await Promise.all(
      records.map(async (r) => ({ key: r.key, value: await this.encode(type, r.value), headers: r.headers })),
    );
    // kafkajs puts a partition's messages of one send into one record batch, and the broker
    // refuses a batch beyond its message.max.bytes (1 MiB by default) — 2000 records of long
    // text, or their dead letters, would be. Sends of at most SEND_BATCH_BYTES, in order.
    for (const part of byteBounded(messages, SEND_BATCH_BYTES)) {
      await this.producer.send({ topic: topicOf(type), acks: -1, compression: CompressionTypes.None, messages: part, timeout: 10_000 });
    }
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}

export interface DecodedMessage<T = Record<string, unknown>> {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: T;
  raw: KafkaMessage;
}

/** Decodes a batch's values through the registry (writer schemas are cached by id). */
export async function decodeBatch(registry: SchemaRegistry, payload: EachBatchPayload): Promise<DecodedMessage[]> {
  const { batch } = payload;
  return Promise.all(
    batch.messages.map(async (m) => ({
      topic: batch.topic,
      partition: batch.partition,
      offset: m.offset,
      key: m.key?.toString('utf8') ?? '',
      value: (await registry.decode(m.value as Buffer)) as Record<string, unknown>,
      raw: m,
    })),
  );
}

export type { Kafka, Consumer, Producer, Admin, EachBatchPayload };

/** Kafka and the registry, ready for the contract: every topic exists, every schema is registered. */
export async function connectContract(config: HubConfig, logger?: Logger): Promise<{ kafka: Kafka; registry: SchemaRegistry; ids: SchemaIds }> {
  const kafka = createKafka(config, logger);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, config.topicPartitions, { create: config.env !== 'production' });
  } finally {
    await admin.disconnect();
  }
  const registry = createRegistry(config);
  return { kafka, registry, ids: await registerContract(registry) };
}
