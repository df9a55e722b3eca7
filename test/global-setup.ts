import { execFileSync } from 'node:child_process';
import path from 'node:path';
import net from 'node:net';
import { HubConfig, loadConfig } from '../services/shared/config';
import { createKafka, ensureTopics } from '../services/shared/kafka';
import { createRegistry, registerContract } from '../services/shared/registry';
import { createDb } from '../services/shared/db';
import { step } from './stack';

/**
 * Integration tests talk to the real stack: make sure it is up (idempotent, fast when it is),
 * then that each part answers a real request, so that the first test's set-up does not pay for a
 * broker or registry still warming up, and a part that never answers is named here.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.WHP_SKIP_STACK !== '1') {
    execFileSync('bash', [path.join(__dirname, '..', 'scripts', 'stack.sh'), 'up'], { stdio: 'inherit' });
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  if (process.env.WHP_SKIP_STACK === '1' && !(await listening(config.kafkaBrokers[0]))) {
    // Someone running only unit tests without the stack: the integration tests will say so.
    console.warn(`[test] Kafka is not running at ${config.kafkaBrokers[0]}; integration tests will fail (npm test starts the stack)`);
    return;
  }
  await waitUntilServing(config, 180_000);
}

function listening(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    socket.setTimeout(2_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

async function waitUntilServing(config: HubConfig, totalMs: number): Promise<void> {
  const deadline = Date.now() + totalMs;
  const started = Date.now();
  let lastError = '';
  for (let attempt = 1; Date.now() < deadline; attempt++) {
    try {
      await step('PostgreSQL answers', (async () => {
        const db = createDb(config, 1);
        try {
          await db.raw('select 1');
        } finally {
          await db.destroy();
        }
      })(), 20_000);
      await step('Kafka answers', (async () => {
        const admin = createKafka(config).admin();
        await admin.connect();
        try {
          await admin.describeCluster();
          await ensureTopics(admin, config.topicPartitions);
        } finally {
          await admin.disconnect();
        }
      })(), 40_000);
      await step('the schema registry answers', registerContract(createRegistry(config)), 40_000);
      const took = Date.now() - started;
      if (took > 5_000) console.warn(`[test] stack answering after ${took} ms (${attempt} attempts)`);
      return;
    } catch (err) {
      lastError = (err as Error).message;
      console.warn(`[test] stack not answering yet (attempt ${attempt}): ${lastError}`);
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
  throw new Error(`the stack did not answer within ${totalMs} ms: ${lastError} (scripts/stack.sh logs shows its logs)`);
}
