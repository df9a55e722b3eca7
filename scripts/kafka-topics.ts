/**
 * The Kafka topic plan (deploy/kafka/topics.yaml) against a cluster, with the kafkajs admin and
 * the hub's own Kafka configuration (KAFKA_BROKERS, KAFKA_SSL…, KAFKA_SASL_…):
 *
 *   npx tsx scripts/kafka-topics.ts [--plan FILE]            report: missing topics and differences
 *   npx tsx scripts/kafka-topics.ts --apply [--plan FILE]    create the missing topics, then report
 *
 * Existing topics are never changed: partitions, replication and configuration that differ are
 * reported for the operator to decide (adding partitions moves employers' later events to
 * other partitions; `kafka-configs.sh --alter` changes a setting).
 * Exit status: 0 the cluster matches the plan · 1 differences remain · 2 usage or plan error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Admin, ConfigResourceTypes } from 'kafkajs';
import YAML from 'yaml';
import { loadConfig } from '../services/shared/config';
import { HubError } from '../services/shared/errors';
import { createKafka } from '../services/shared/kafka';

export const DEFAULT_PLAN = path.join(__dirname, '..', 'deploy', 'kafka', 'topics.yaml');

export type TopicRole = 'input' | 'output' | 'deadletter';

export interface PlannedTopic {
  name: string;
  role: TopicRole;
  partitions: number;
  replicationFactor: number;
  /** Kafka topic configuration (strings, as Kafka takes them). */
  config: Record<string, string>;
}

function planError(message: string): HubError {
  return new HubError('CONFIG_INVALID', `主题规划有误 (topic plan): ${message}`);
}

function positiveInt(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw planError(`${where} 应为正整数，实际为 ${JSON.stringify(v)}`);
  return v;
}

function configOf(v: unknown, where: string): Record<string, string> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw planError(`${where}.config 应为键值表`);
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => {
      if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') throw planError(`${where}.config.${k} 应为字符串或数字`);
      return [k, String(x)];
    }),
  );
}

/** Reads and checks a plan: every topic with its partitions, replication and configuration resolved. */
export function parseTopicPlan(text: string): PlannedTopic[] {
  const doc = YAML.parse(text) as { defaults?: Record<string, unknown>; topics?: unknown[] } | null;
  if (!doc || !Array.isArray(doc.topics)) throw planError('缺少 topics 列表');
  const d = doc.defaults ?? {};
  const defaults = {
    partitions: d.partitions === undefined ? undefined : positiveInt(d.partitions, 'defaults.partitions'),
    replicationFactor: d.replicationFactor === undefined ? undefined : positiveInt(d.replicationFactor, 'defaults.replicationFactor'),
    config: configOf(d.config, 'defaults'),
  };
  const seen = new Set<string>();
  return doc.topics.map((raw, i) => {
    const t = raw as Record<string, unknown>;
    const where = `topics[${i}]`;
    if (typeof t?.name !== 'string' || !/^[A-Za-z0-9._-]{1,249}$/.test(t.name)) throw planError(`${where}.name 不是有效的主题名`);
    if (seen.has(t.name)) throw planError(`主题 ${t.name} 出现了两次`);
    seen.add(t.name);
    if (!['input', 'output', 'deadletter'].includes(String(t.role))) throw planError(`${t.name}: role 应为 input|output|deadletter`);
    const partitions = positiveInt(t.partitions ?? defaults.partitions, `${t.name}.partitions`);
    const replicationFactor = positiveInt(t.replicationFactor ?? defaults.replicationFactor, `${t.name}.replicationFactor`);
    return { name: t.name, role: t.role as TopicRole, partitions, replicationFactor, config: { ...defaults.config, ...configOf(t.config, t.name) } };
  });
}

export function loadTopicPlan(file = DEFAULT_PLAN): PlannedTopic[] {
  return parseTopicPlan(fs.readFileSync(file, 'utf8'));
}

export interface TopicDifference {
  topic: string;
  what: 'missing' | 'partitions' | 'replicationFactor' | 'config';
  /** For config: the setting. */
  name?: string;
  planned: string;
  actual: string;
}

/** What differs between the plan and the cluster (read only). */
export async function diffTopicPlan(admin: Admin, plan: PlannedTopic[]): Promise<TopicDifference[]> {
  const existing = new Set(await admin.listTopics());
  const present = plan.filter((t) => existing.has(t.name));
  const out: TopicDifference[] = plan.filter((t) => !existing.has(t.name)).map((t) => ({ topic: t.name, what: 'missing', planned: `${t.partitions} partitions × RF ${t.replicationFactor}`, actual: '—' }));
  if (present.length === 0) return out;
  const { topics } = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name, configNames: Object.keys(t.config) })),
  });
  for (const t of present) {
    const meta = topics.find((m) => m.name === t.name)!;
    if (meta.partitions.length !== t.partitions) out.push({ topic: t.name, what: 'partitions', planned: String(t.partitions), actual: String(meta.partitions.length) });
    const rf = Math.min(...meta.partitions.map((p) => p.replicas.length));
    if (rf !== t.replicationFactor) out.push({ topic: t.name, what: 'replicationFactor', planned: String(t.replicationFactor), actual: String(rf) });
    const entries = described.resources.find((r) => r.resourceName === t.name)?.configEntries ?? [];
    for (const [name, planned] of Object.entries(t.config)) {
      const actual = entries.find((e) => e.configName === name)?.configValue ?? '—';
      if (actual !== planned) out.push({ topic: t.name, what: 'config', name, planned, actual });
    }
  }
  return out;
}

/** Creates the plan's missing topics with their partitions, replication and configuration; returns their names. */
export async function createMissingTopics(admin: Admin, plan: PlannedTopic[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = plan.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      replicationFactor: t.replicationFactor,
      configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
    })),
  });
  return missing.map((t) => t.name);
}

export function describeDifference(d: TopicDifference): string {
  switch (d.what) {
    case 'missing':
      return `${d.topic}: 不存在（规划 ${d.planned}）`;
    case 'partitions':
      return `${d.topic}: 分区数 ${d.actual}，规划 ${d.planned}${Number(d.actual) < Number(d.planned) ? '（可用 kafka-topics.sh --alter --partitions 增加）' : '（分区不能减少）'}`;
    case 'replicationFactor':
      return `${d.topic}: 副本数 ${d.actual}，规划 ${d.planned}（用 kafka-reassign-partitions.sh 调整）`;
    case 'config':
      return `${d.topic}: ${d.name} = ${d.actual}，规划 ${d.planned}`;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { plan: { type: 'string' }, apply: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write('用法: npx tsx scripts/kafka-topics.ts [--plan deploy/kafka/topics.yaml] [--apply]\n');
    return 0;
  }
  let plan: PlannedTopic[];
  try {
    plan = loadTopicPlan(values.plan ? path.resolve(process.env.WHP_CWD ?? process.cwd(), values.plan) : DEFAULT_PLAN);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const config = loadConfig();
  const admin = createKafka(config).admin();
  await admin.connect();
  try {
    if (values.apply) {
      const created = await createMissingTopics(admin, plan);
      process.stdout.write(created.length ? `已创建 ${created.length} 个主题：${created.join('、')}\n` : '没有缺少的主题。\n');
    }
    const diff = await diffTopicPlan(admin, plan);
    if (diff.length === 0) {
      process.stdout.write(`集群与规划一致（${plan.length} 个主题）。\n`);
      return 0;
    }
    process.stdout.write(`与规划不一致之处（${diff.length}）：\n${diff.map((d) => `  - ${describeDifference(d)}`).join('\n')}\n`);
    if (!values.apply && diff.some((d) => d.what === 'missing')) process.stdout.write('用 --apply 创建缺少的主题；已有主题的差异需由运维人员决定是否调整。\n');
    return 1;
  } finally {
    await admin.disconnect();
  }
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`出错了：${(err as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
