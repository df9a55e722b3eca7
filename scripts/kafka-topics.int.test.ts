import { randomUUID } from 'node:crypto';
import { Admin } from 'kafkajs';
import { loadConfig } from '../services/shared/config';
import { createKafka } from '../services/shared/kafka';
import { PlannedTopic, createMissingTopics, diffTopicPlan, loadTopicPlan } from './kafka-topics';

/** The plan against the real Kafka (no database needed): creating what is missing, and reporting what differs. */
const stack = { admin: undefined as unknown as Admin, unique: (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}` };
const created: string[] = [];
beforeAll(async () => {
  stack.admin = createKafka(loadConfig({ ...process.env, LOG_LEVEL: 'silent' })).admin();
  await stack.admin.connect();
});
afterAll(async () => {
  if (created.length) await stack.admin.deleteTopics({ topics: created }).catch(() => {});
  await stack.admin?.disconnect();
});

test('a missing topic is reported, created with its partitions and configuration, and then matches the plan', async () => {
  const name = stack.unique('whp-test-plan');
  const plan: PlannedTopic[] = [
    { name, role: 'input', partitions: 3, replicationFactor: 1, config: { 'min.insync.replicas': '1', 'retention.ms': '-1', 'cleanup.policy': 'delete' } },
  ];
  expect(await diffTopicPlan(stack.admin, plan)).toEqual([{ topic: name, what: 'missing', planned: '3 partitions × RF 1', actual: '—' }]);
  expect(await createMissingTopics(stack.admin, plan)).toEqual([name]);
  created.push(name);
  expect(await diffTopicPlan(stack.admin, plan)).toEqual([]);
  expect(await createMissingTopics(stack.admin, plan)).toEqual([]); // idempotent
  // The cluster is read, not assumed: another retention is a difference.
  const other = [{ ...plan[0], partitions: 4, config: { ...plan[0].config, 'retention.ms': '7776000000' } }];
  expect(await diffTopicPlan(stack.admin, other)).toEqual([
    { topic: name, what: 'partitions', planned: '4', actual: '3' },
    { topic: name, what: 'config', name: 'retention.ms', planned: '7776000000', actual: '-1' },
  ]);
});

test('the production plan against the single-broker local stack: replication 3 and min ISR 2 are reported as differences, nothing is missing', async () => {
  const diff = await diffTopicPlan(stack.admin, loadTopicPlan());
  expect(diff.filter((d) => d.what === 'missing')).toEqual([]);
  expect(diff).toContainEqual({ topic: 'whp.alert.v1', what: 'replicationFactor', planned: '3', actual: '1' });
  expect(diff).toContainEqual({ topic: 'whp.employer.v1', what: 'config', name: 'min.insync.replicas', planned: '2', actual: '1' });
});
