/**
 * The retention policy, applied (run daily, e.g. by a Kubernetes CronJob):
 *
 *   npx tsx scripts/retention.ts [--dry-run] [--quiet-years 5] [--outbox-days 30] [--ingest-years 5]
 *
 * Forgets employers with nothing happened or received for the quiet period and nothing open,
 * published outbox rows after some days, and the gateway's record of accepted eventIds after
 * some years (see services/correlator/retention.ts and services/ingest-gateway/retention.ts).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../services/shared/config';
import { createDb, migrate } from '../services/shared/db';
import { applyRetention } from '../services/correlator/retention';
import { applyIngestRetention } from '../services/ingest-gateway/retention';

async function main() {
  const { values } = parseArgs({
    options: {
      'dry-run': { type: 'boolean', default: false },
      'quiet-years': { type: 'string', default: '5' },
      'outbox-days': { type: 'string', default: '30' },
      'ingest-years': { type: 'string', default: '5' },
    },
  });
  const num = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} 应为正数，实际为“${v}”`);
    return n;
  };
  const config = loadConfig();
  const db = createDb(config.databaseUrl, 2);
  try {
    await migrate(db);
    const now = new Date();
    const dry = values['dry-run']!;
    const r = await applyRetention(db, now, { quietYears: num('quiet-years', values['quiet-years']), outboxDays: num('outbox-days', values['outbox-days']) }, dry);
    const ingest = await applyIngestRetention(db, now, num('ingest-years', values['ingest-years']), dry);
    console.log(
      `${dry ? '（试运行，未删除）' : ''}清理：长期无业务往来的单位 ${r.employers} 家（事实 ${r.facts} 条、预警 ${r.alerts} 条、整改建议 ${r.recommendations} 件），` +
        `已发布的输出消息 ${r.outbox} 条，网关去重记录 ${ingest} 条。`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error('数据保留清理失败 (retention failed):', err instanceof Error ? err.message : err);
  process.exit(1);
});
