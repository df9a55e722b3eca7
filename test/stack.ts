import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { loadConfig } from '../services/shared/config';
import { createKafka, ensureTopics } from '../services/shared/kafka';
import { createRegistry, registerContract } from '../services/shared/registry';
import { createDb, migrate } from '../services/shared/db';

/**
 * Handles on the real stack for integration tests; each test file gets its own unique names.
 * With `freshDatabase`, the suite gets its own PostgreSQL database (created, migrated, and
 * dropped on close), so suites that count rows do not see each other's.
 */
export async function connectStack(opts: { freshDatabase?: boolean } = {}) {
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  let dropDatabase = async () => {};
  let config = base;
  if (opts.freshDatabase) {
    const fresh = await step('create a fresh database', createFreshDatabase(base.databaseUrl));
    config = Object.freeze({ ...base, databaseUrl: fresh.url });
    dropDatabase = fresh.drop;
  }
  const kafka = createKafka(config);
  const admin = kafka.admin();
  await step('Kafka admin connect', admin.connect());
  await step('ensure topics', ensureTopics(admin, config.topicPartitions));
  const registry = createRegistry(config);
  const ids = await step('register the contract schemas', registerContract(registry));
  const db = createDb(config);
  await step('database migrations', migrate(db));
  return {
    config,
    kafka,
    admin,
    registry,
    ids,
    db,
    unique: (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`,
    async close() {
      await admin.disconnect();
      await db.destroy();
      await dropDatabase();
    },
  };
}
/**
 * A set-up step that does not finish in time names itself, so that a failed hook says which part
 * of the stack did not answer (jest only says the hook timed out).
 */
export async function step<T>(name: string, work: Promise<T>, ms = 45_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const started = Date.now();
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`stack set-up step "${name}" did not finish in ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    const took = Date.now() - started;
    if (took > 5_000) console.warn(`stack set-up step "${name}" took ${took} ms`);
  }
}

/** A new, empty PostgreSQL database beside the given one; `drop` removes it. */
export async function createFreshDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `whp_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = createDb(baseUrl, 1);
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = createDb(baseUrl, 1);
      await a.raw(`drop database if exists ${name} with (force)`);
      await a.destroy();
    },
  };
}

export interface ScratchDatabase {
  db: Knex;
  url: string;
  /** Closes `db`'s pool and removes the database. */
  drop: () => Promise<void>;
}

/** A new database beside the given one, migrated, with a pool open on it. */
export async function createScratchDatabase(baseUrl: string, poolSize = 4): Promise<ScratchDatabase> {
  const fresh = await createFreshDatabase(baseUrl);
  const db = createDb(fresh.url, poolSize);
  const drop = async () => {
    await db.destroy();
    await fresh.drop();
  };
  try {
    await migrate(db);
  } catch (err) {
    await drop();
    throw err;
  }
  return { db, url: fresh.url, drop };
}

/**
 * A scratch database beside DATABASE_URL's for each test (`each`) or for the test file (`all`),
 * dropped after it. `use` receives it: tests keep it in their own `db`.
 */
export function scratchDatabase(scope: 'each' | 'all', use: (db: Knex) => void, poolSize = 4): void {
  let scratch: ScratchDatabase | undefined;
  (scope === 'each' ? beforeEach : beforeAll)(async () => {
    scratch = await createScratchDatabase(loadConfig({ ...process.env, LOG_LEVEL: 'silent' }).databaseUrl, poolSize);
    use(scratch.db);
  });
  (scope === 'each' ? afterEach : afterAll)(async () => {
    await scratch?.drop();
  });
}

export type Stack = Awaited<ReturnType<typeof connectStack>>;

/**
 * Reads what arrives on `types` from now on: notes each partition's end offset, joins a fresh
 * consumer group positioned there, runs `act`, and collects decoded messages until `done`.
 */
export async function readAfter(
  stack: Stack,
  types: import('../services/shared/contract').TopicType[],
  act: () => Promise<void>,
  done: (msgs: import('../services/shared/kafka').DecodedMessage[]) => boolean,
  timeoutMs = 30_000,
) {
  const { topicOf } = await import('../services/shared/contract');
  const topics = types.map((t) => topicOf(t));
  const starts = new Map<string, { partition: number; offset: string; high: string }[]>();
  for (const topic of topics) starts.set(topic, await stack.admin.fetchTopicOffsets(topic));
  const consumer = stack.kafka.consumer({ groupId: stack.unique('test-reader'), allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const msgs: import('../services/shared/kafka').DecodedMessage[] = [];
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      msgs.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? '',
        value: (await stack.registry.decode(message.value as Buffer)) as Record<string, unknown>,
        raw: message,
      });
    },
  });
  await joined;
  for (const [topic, parts] of starts) for (const p of parts) consumer.seek({ topic, partition: p.partition, offset: p.high });
  try {
    await act();
    const deadline = Date.now() + timeoutMs;
    while (!done(msgs)) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms with ${msgs.length} messages`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return msgs;
  } finally {
    await consumer.disconnect();
  }
}
