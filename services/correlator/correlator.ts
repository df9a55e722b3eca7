import { Knex } from 'knex';
import cron from 'node-cron';
import { HubConfig } from '../shared/config';
import { EVENT_TYPES, topicOf } from '../shared/contract';
import { AvroProducer, connectContract } from '../shared/kafka';
import { createDb, migrate } from '../shared/db';
import { Logger } from '../shared/logger';
import { RegionConfig } from '../shared/regionConfig';
import { MAX_EVENTS_PER_TRANSACTION, processBatch, slices } from './batch';
import { outboxRelay } from './outbox';
import { Gatherer } from './gather';
import { Lanes } from './lanes';
import { SweepResult, sweep as sweepOnce } from './sweep';
import { ConsumerState, createCorrelatorMetrics, startOps } from './ops';

export interface CorrelatorOptions {
  config: HubConfig;
  region: RegionConfig;
  logger: Logger;
  groupId?: string;
  /** Event-time "now" for windows and deadlines; injectable for tests. */
  now?: () => Date;
  /** node-cron expression of the scheduled sweep (OVERDUE, rates, clusters); '' = none. */
  sweepSchedule?: string;
  /**
   * Where the group starts: 'earliest' (default: a new deployment reads the whole history, a
   * restart resumes where it committed), 'latest' (a group with no stored offsets starts at the
   * topics' current end; used by tests), or 'now' (every start skips what is already on the
   * topics; used by the demo, which correlates only the city it publishes itself).
   */
  startAt?: 'earliest' | 'latest' | 'now';
  /** Kafka group session timeout: how long a crashed member holds its partitions. */
  sessionTimeoutMs?: number;
  /** Partitions whose batches are taken at once and gathered into one transaction. */
  partitionsConsumedConcurrently?: number;
  /** The most events one transaction takes (default 4,000; WHP_CORRELATOR_TX_EVENTS). */
  maxEventsPerTransaction?: number;
  /** Transactions run at once, each over its own partitions (default WHP_CORRELATOR_LANES). */
  lanes?: number;
  /** Port of /healthz, /readyz, /metrics (default CORRELATOR_PORT; 0 = a free one; null = none). */
  opsPort?: number | null;
}

export interface Correlator {
  sweep(): Promise<SweepResult>;
  /** Partitions this instance was last assigned, by topic. */
  assignment(): Record<string, number[]>;
  publishOutbox(): Promise<number>;
  /** Where /healthz, /readyz and /metrics answer (null when not served). */
  opsUrl: string | null;
  db: Knex;
  close(): Promise<void>;
}

export type { SweepResult };

/**
 * The correlation service: one consumer group over every input topic, state in PostgreSQL,
 * outputs through a transactional outbox.
 */
export async function startCorrelator(opts: CorrelatorOptions): Promise<Correlator> {
  const { config, region, logger } = opts;
  const now = opts.now ?? (() => new Date());
  const groupId = opts.groupId ?? 'whp-correlator';
  const laneCount = opts.lanes ?? config.correlatorLanes;
  // A connection per lane's transaction, beside the outbox relay, the sweep and the health checks.
  const db = createDb(config, Math.max(8, laneCount + 4));
  await migrate(db);
  const { kafka, registry, ids } = await connectContract(config, logger);
  const producer = await AvroProducer.connect(kafka, registry, ids);

  const publishOutbox = outboxRelay(db, producer);

  const topics = EVENT_TYPES.map((t) => topicOf(t));
  if (opts.startAt === 'latest' || opts.startAt === 'now') {
    const admin = kafka.admin();
    await admin.connect();
    const rows = [];
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) rows.push({ group_id: groupId, topic, partition: p.partition, next_offset: p.high });
    }
    const insert = db('consumer_offset').insert(rows).onConflict(['group_id', 'topic', 'partition']);
    await (opts.startAt === 'now' ? insert.merge({ next_offset: db.raw('greatest(consumer_offset.next_offset, excluded.next_offset)') }) : insert.ignore());
    await admin.disconnect();
  }

  // After a broker restart kafkajs rejoins as a new member, and the group waits for the old one's
  // session to expire before it hands out partitions: the session timeout bounds how soon the
  // correlator resumes. 8 s, with heartbeats every 2.7 s and between transactions (each well under that).
  const sessionTimeout = opts.sessionTimeoutMs ?? opts.config.kafkaSessionTimeoutMs;
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxBytesPerPartition: 4 << 20,
    sessionTimeout,
    heartbeatInterval: Math.min(3000, Math.floor(sessionTimeout / 3)),
    // When the broker or the database goes away the consumer keeps trying, every few seconds at
    // most, and restarts itself after any failure: it resumes soon after they come back.
    retry: { initialRetryTime: 300, maxRetryTime: 3_000, retries: Number.MAX_SAFE_INTEGER, restartOnFailure: async () => true },
  });
  let assignment: Record<string, number[]> = {};
  const metrics = createCorrelatorMetrics();
  const state: ConsumerState = { joinedAt: null, lastBatchAt: null, crashed: null };
  consumer.on(consumer.events.CRASH, (e) => {
    state.crashed = e.payload.restart ? null : String(e.payload.error?.message ?? e.payload.error);
    if (!e.payload.restart) logger.error({ err: e.payload.error }, '消费者已停止 (consumer stopped)');
    else logger.warn({ err: String(e.payload.error?.message ?? e.payload.error) }, '消费者出错，即将重启 (consumer crashed, restarting)');
  });
  consumer.on(consumer.events.STOP, () => (state.joinedAt = null));
  // The database, not Kafka, is the source of truth for offsets: on every assignment, position
  // each partition where the last committed transaction left it.
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    assignment = e.payload.memberAssignment;
    state.joinedAt = Date.now();
    state.crashed = null;
    logger.info({ assignment }, '分区分配 (partitions assigned)');
    void db('consumer_offset')
      .where('group_id', groupId)
      .then((rows) => {
        for (const r of rows) {
          if (assignment[r.topic]?.includes(r.partition)) consumer.seek({ topic: r.topic, partition: r.partition, offset: String(r.next_offset) });
        }
      })
      .catch((err) => logger.error({ err }, 'could not read stored offsets'));
  });
  const maxEvents = opts.maxEventsPerTransaction ?? MAX_EVENTS_PER_TRANSACTION;
  // Transactions of several lanes (disjoint partitions) run at once: see lanes.ts.
  const lanes = new Lanes(laneCount, () =>
    new Gatherer(
      async (events) => {
        const endTimer = metrics.batchSeconds.startTimer();
        try {
          return await processBatch(db, groupId, events, region, now, maxEvents);
        } finally {
          endTimer();
        }
      },
      25,
      maxEvents,
    ),
  );
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    // Several partitions' batches at once, gathered into one transaction (gather.ts).
    partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 16,
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      // A large fetch goes through in slices, each its own transaction, with a heartbeat between
      // them so that the group does not think this member has died.
      for (const messages of slices(batch.messages, maxEvents)) {
        if (!isRunning() || isStale()) return;
        const events = await Promise.all(
          messages.map(async (m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            value: (await registry.decode(m.value as Buffer)) as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
          })),
        );
        const result = await lanes.add(batch.partition, events);
        metrics.events.inc({ type: batch.topic.split('.')[1] }, messages.length);
        state.lastBatchAt = Date.now();
        logger.debug({ topic: batch.topic, partition: batch.partition, ...result }, 'batch processed');
        resolveOffset(messages[messages.length - 1].offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
        if (result.alertsChanged) void publishOutbox().catch((err) => logger.error({ err }, 'outbox relay failed'));
      }
    },
  });
  // Whatever a previous run committed but did not publish goes out now.
  await publishOutbox();
  const relayTimer = setInterval(() => void publishOutbox().catch((err) => logger.error({ err }, 'outbox relay failed')), 2000);
  relayTimer.unref();

  const opsAdmin = kafka.admin();
  await opsAdmin.connect();
  const ops = opts.opsPort === null ? null : await startOps({ db, admin: opsAdmin, groupId, metrics, state, host: config.host, port: opts.opsPort ?? config.correlatorPort });

  const sweep = async (): Promise<SweepResult> => {
    const endTimer = metrics.sweepSeconds.startTimer();
    const result = await sweepOnce(db, region, now());
    endTimer();
    await publishOutbox();
    logger.info(result, '定期复核完成 (sweep done)');
    return result;
  };
  const task = opts.sweepSchedule ? cron.schedule(opts.sweepSchedule, () => void sweep().catch((err) => logger.error({ err }, 'sweep failed')), { timezone: 'Asia/Shanghai' }) : null;

  return {
    sweep,
    assignment: () => assignment,
    opsUrl: ops?.url ?? null,
    publishOutbox,
    db,
    async close() {
      task?.stop();
      clearInterval(relayTimer);
      await ops?.close();
      await opsAdmin.disconnect();
      await consumer.disconnect();
      await publishOutbox().catch(() => 0);
      await producer.disconnect();
      await db.destroy();
    },
  };
}
