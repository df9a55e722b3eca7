import { EVENT_TYPES, OUTPUT_TYPES, topicOf } from '../services/shared/contract';
import { loadTopicPlan, parseTopicPlan } from './kafka-topics';

/** The production topic plan (deploy/kafka/topics.yaml) against the contract in code. */
const plan = loadTopicPlan();
const byName = new Map(plan.map((t) => [t.name, t]));
const DAY_MS = 86_400_000;

test('the plan lists exactly the contract topics: every input and output of services/shared/contract.ts, nothing else', () => {
  const contract = [...EVENT_TYPES, ...OUTPUT_TYPES].map((t) => topicOf(t)).sort();
  expect(plan.map((t) => t.name).sort()).toEqual(contract);
  for (const t of EVENT_TYPES) expect(byName.get(topicOf(t))!.role).toBe('input');
  expect(byName.get(topicOf('deadletter'))!.role).toBe('deadletter');
});

test('every topic has replication factor 3 and min.insync.replicas 2, and no unclean leader election', () => {
  for (const t of plan) {
    expect({ topic: t.name, rf: t.replicationFactor, minIsr: t.config['min.insync.replicas'], unclean: t.config['unclean.leader.election.enable'] }).toEqual({
      topic: t.name,
      rf: 3,
      minIsr: '2',
      unclean: 'false',
    });
  }
});

test('inputs are kept for ever and never compacted (keyed by employer: compaction would keep one event per employer), with partitions for a province', () => {
  for (const type of EVENT_TYPES) {
    const t = byName.get(topicOf(type))!;
    expect([t.name, t.config['retention.ms'], t.config['cleanup.policy']]).toEqual([t.name, '-1', 'delete']);
    expect(t.partitions).toBeGreaterThanOrEqual(24);
  }
});

test('the dead letter keeps 90 days; outputs keyed by employer are deleted by age, not compacted; every topic says its retention', () => {
  expect(Number(byName.get('whp.deadletter.v1')!.config['retention.ms'])).toBe(90 * DAY_MS);
  for (const type of ['alert', 'recommendation', 'notice'] as const) {
    const t = byName.get(topicOf(type))!;
    expect(t.config['cleanup.policy']).toBe('delete');
    expect(Number(t.config['retention.ms'])).toBeGreaterThanOrEqual(365 * DAY_MS);
  }
  for (const t of plan) expect(t.config['retention.ms']).toMatch(/^-1$|^\d+$/);
});

test('a malformed plan is refused naming what is wrong', () => {
  expect(() => parseTopicPlan('topics:\n  - { name: a, role: input, partitions: 0, replicationFactor: 3 }\n')).toThrow(/a\.partitions 应为正整数/);
  expect(() => parseTopicPlan('topics:\n  - { name: a, role: sink, partitions: 1, replicationFactor: 3 }\n')).toThrow(/role 应为/);
  expect(() => parseTopicPlan('defaults: { partitions: 1, replicationFactor: 1 }\ntopics:\n  - { name: a, role: input }\n  - { name: a, role: input }\n')).toThrow(/出现了两次/);
});
