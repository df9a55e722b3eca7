import { AddressInfo } from 'node:net';
import { Knex } from 'knex';
import client from 'prom-client';
import { closeServer, express, healthRoutes, listen } from '../shared/http';

/**
 * The reporter's operations endpoints: /healthz, /readyz (database reachable and listening for
 * the portal's requests), /metrics (requests by kind and outcome, their duration, the weekly
 * list's last success).
 */
export function createReporterMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'whp_reporter_' });
  return {
    registry,
    requests: new client.Counter({ name: 'whp_reporter_requests_total', help: '处理的报告请求数（按类别、结果）', labelNames: ['kind', 'status'] as const, registers: [registry] }),
    requestSeconds: new client.Histogram({ name: 'whp_reporter_request_duration_seconds', help: '报告请求处理时间（秒）', labelNames: ['kind'] as const, buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300], registers: [registry] }),
    weeklyListSuccess: new client.Gauge({ name: 'whp_reporter_weekly_list_last_success_timestamp_seconds', help: '最近一次每周风险清单成功生成的时间（Unix 秒）', registers: [registry] }),
  };
}
export type ReporterMetrics = ReturnType<typeof createReporterMetrics>;

export async function startReporterOps(o: { db: Knex; listening: () => boolean; metrics: ReporterMetrics; host: string; port: number }) {
  const app = express();
  app.disable('x-powered-by');
  healthRoutes(app, {
    database: async () => {
      await o.db.raw('select 1');
    },
    requests: async () => {
      if (!o.listening()) throw new Error('未在监听门户的报告请求（数据库通知连接中断，重连中）');
    },
  });
  app.get('/metrics', async (_req, res) => {
    res.type(o.metrics.registry.contentType).send(await o.metrics.registry.metrics());
  });
  const server = await listen(app, o.port, o.host);
  const { port } = server.address() as AddressInfo;
  return { url: `http://${o.host}:${port}`, close: () => closeServer(server) };
}
