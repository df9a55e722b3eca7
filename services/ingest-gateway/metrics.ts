import client from 'prom-client';

/** Prometheus metrics of one gateway instance (own registry: tests start several in one process). */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'whp_gateway_' });
  const labelNames = ['department', 'type'] as const;
  return {
    registry,
    accepted: new client.Counter({ name: 'whp_ingest_accepted_total', help: '已接收记录数（已写入 Kafka）', labelNames, registers: [registry] }),
    corrected: new client.Counter({ name: 'whp_ingest_corrected_total', help: '已接收记录中的更正数（同一 eventId 内容不同，修订号加 1）', labelNames, registers: [registry] }),
    duplicates: new client.Counter({ name: 'whp_ingest_duplicates_total', help: '重复提交的记录数', labelNames, registers: [registry] }),
    rejected: new client.Counter({ name: 'whp_ingest_rejected_total', help: '拒收记录数（已写入死信主题）', labelNames, registers: [registry] }),
    latency: new client.Histogram({
      name: 'whp_gateway_request_duration_seconds',
      help: '请求处理时间（秒）',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
  };
}
export type GatewayMetrics = ReturnType<typeof createMetrics>;
