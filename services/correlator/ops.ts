import { AddressInfo } from 'node:net';
import http from 'node:http';
import { Admin } from 'kafkajs';
import { Knex } from 'knex';
import client from 'prom-client';
import { EVENT_TYPES, topicOf } from '../shared/contract';
import { closeServer, express, healthRoutes, listen } from '../shared/http';

/**
 * The correlator's operations endpoints: /healthz (process up), /readyz (database reachable and
 * the consumer in its group and not stalled), /metrics (events, batches, lag, outbox backlog,
 * sweeps) — so that an operator and Kubernetes can tell whether it is consuming.
 */
export interface ConsumerState {
  /** When the consumer last joined its group (null: not in the group). */
  joinedAt: number | null;
  /** When a batch last committed. */
  lastBatchAt: number | null;
  /** Why it stopped, if kafkajs gave up. */
  crashed: string | null;
}

export function createCorrelatorMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'whp_correlator_' });
  return {
    registry,
    events: new client.Counter({ name: 'whp_correlator_events_total', help: '已处理的输入事件数', labelNames: ['type'] as const, registers: [registry] }),
    batchSeconds: new client.Histogram({ name: 'whp_correlator_batch_duration_seconds', help: '每个事务（批）的处理时间（秒）', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry] }),
    sweepSeconds: new client.Histogram({ name: 'whp_correlator_sweep_duration_seconds', help: '定期复核耗时（秒）', buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900], registers: [registry] }),
    lag: new client.Gauge({ name: 'whp_correlator_consumer_lag', help: '尚未处理的输入事件数（各分区末端位移减已提交位移）', registers: [registry] }),
    outboxBacklog: new client.Gauge({ name: 'whp_correlator_outbox_backlog', help: '尚未发布到 Kafka 的输出消息数', registers: [registry] }),
  };
}
export type CorrelatorMetrics = ReturnType<typeof createCorrelatorMetrics>;

/** Input events not yet taken: the topics' ends minus the offsets committed with the state. */
export async function consumerLag(db: Knex, admin: Admin, groupId: string): Promise<number> {
  const committed = new Map<string, bigint>((await db('consumer_offset').where('group_id', groupId)).map((r: { topic: string; partition: number; next_offset: string }) => [`${r.topic}|${r.partition}`, BigInt(r.next_offset)]));
  let lag = 0n;
  for (const t of EVENT_TYPES) {
    for (const p of await admin.fetchTopicOffsets(topicOf(t))) {
      const end = BigInt(p.high);
      const at = committed.get(`${topicOf(t)}|${p.partition}`) ?? BigInt(p.low);
      if (end > at) lag += end - at;
    }
  }
  return Number(lag);
}

export async function startOps(o: {
  db: Knex;
  admin: Admin;
  groupId: string;
  metrics: CorrelatorMetrics;
  state: ConsumerState;
  host: string;
  port: number;
  /** A consumer with work waiting that has committed nothing for this long is stalled. */
  stallMs?: number;
}): Promise<{ url: string; server: http.Server; close(): Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  const stallMs = o.stallMs ?? 120_000;
  healthRoutes(app, {
    database: async () => {
      await o.db.raw('select 1');
    },
    consuming: async () => {
      if (o.state.crashed) throw new Error(`消费者已停止：${o.state.crashed}`);
      if (o.state.joinedAt === null) throw new Error('消费者尚未加入消费组');
      const lag = await consumerLag(o.db, o.admin, o.groupId);
      const since = o.state.lastBatchAt ?? o.state.joinedAt;
      if (lag > 0 && Date.now() - since > stallMs) throw new Error(`有 ${lag} 条事件待处理，已 ${Math.round((Date.now() - since) / 1000)} 秒未提交`);
    },
  });
  app.get('/metrics', async (_req, res) => {
    try {
      o.metrics.lag.set(await consumerLag(o.db, o.admin, o.groupId));
      const [{ n }] = await o.db('outbox').whereNull('published_at').count<{ n: string }[]>('* as n');
      o.metrics.outboxBacklog.set(Number(n));
    } catch {
      // The gauges keep their last values; /readyz says what is wrong.
    }
    res.type(o.metrics.registry.contentType).send(await o.metrics.registry.metrics());
  });
  const server = await listen(app, o.port, o.host);
  const { port } = server.address() as AddressInfo;
  return { url: `http://${o.host}:${port}`, server, close: () => closeServer(server) };
}
