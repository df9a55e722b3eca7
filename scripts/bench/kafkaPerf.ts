import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Admin } from 'kafkajs';

/**
 * Kafka's own ProducerPerformance (from the kafka-tools jar the stack already fetched from Maven
 * Central) on the same broker, acks=all: the ceiling the gateway is compared with.
 */
const run = promisify(execFile);
export const PERF_TOPIC = 'whp.bench.producer-perf';

export function kafkaLibs(): string {
  const home = process.env.WHP_STACK_HOME || path.join(os.homedir(), '.cache', 'whp-hub');
  return path.join(home, 'kafka-4.4.0', 'libs');
}

export async function producerPerformance(admin: Admin, brokers: string, records: number, recordSize: number, partitions: number): Promise<number> {
  if (!(await admin.listTopics()).includes(PERF_TOPIC)) {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: PERF_TOPIC, numPartitions: partitions, replicationFactor: 1 }] });
  }
  const { stdout } = await run(
    'java',
    [
      '-Xmx512m',
      '-cp',
      `${kafkaLibs()}/*`,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic', PERF_TOPIC,
      '--num-records', String(records),
      '--record-size', String(recordSize),
      '--throughput', '-1',
      '--producer-props', `bootstrap.servers=${brokers}`, 'acks=all',
    ],
    { maxBuffer: 16 << 20 },
  );
  // "100000 records sent, 83333.3 records/sec (15.89 MB/sec), …" — the last such line is the total.
  const lines = stdout.trim().split('\n').filter((l) => /records sent/.test(l));
  const m = /([\d.]+) records\/sec/.exec(lines[lines.length - 1] ?? '');
  if (!m) throw new Error(`ProducerPerformance printed no total: ${stdout.slice(-500)}`);
  return Number(m[1]);
}
