/**
 * The plan's other instruments from the command line (人社's staff, or a scheduled job):
 *
 *   npx tsx scripts/instruments.ts rates [--cycle 2023-2025] [--out 浮动费率.xlsx]
 *   npx tsx scripts/instruments.ts plan [--quarter 2026-Q1] [--out 检查计划.xlsx]
 *   npx tsx scripts/instruments.ts precision [--out 命中率.xlsx]
 *   npx tsx scripts/instruments.ts training [--out 培训覆盖率.xlsx]
 *
 * Builds and stores the report as the reporter does for the portal, prints its summary and
 * writes its XLSX. Without --cycle: the last three full years; without --quarter: this quarter.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../services/shared/config';
import { createDb, migrate } from '../services/shared/db';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { InstrumentKind, storedInstrument } from '../services/shared/storedInstruments';
import { quarterOf, shanghaiDay } from '../services/shared/time';
import { buildInstrument } from '../services/reporter/instruments';
import { instrumentSummary } from '../services/reporter/instruments/summary';
import { lastCycle } from '../services/reporter/instruments/rateAdjustment';

const KINDS: Record<string, InstrumentKind> = { rates: 'RATE_ADJUSTMENT', plan: 'INSPECTION_PLAN', precision: 'PRECISION', training: 'TRAINING_COVERAGE' };

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { cycle: { type: 'string' }, quarter: { type: 'string' }, out: { type: 'string' } } });
  const kind = KINDS[positionals[0] ?? ''];
  if (!kind) throw new Error(`用法：instruments.ts rates|plan|precision|training [--cycle 2023-2025] [--quarter 2026-Q1] [--out 文件.xlsx]`);
  const config = loadConfig();
  const region = loadRegionConfig();
  const db = createDb(config, 2);
  try {
    await migrate(db);
    const now = new Date();
    const today = shanghaiDay(now);
    const ref = kind === 'RATE_ADJUSTMENT' ? (values.cycle ?? lastCycle(today).cycle) : kind === 'INSPECTION_PLAN' ? (values.quarter ?? quarterOf(today)) : 'latest';
    const built = await buildInstrument(db, region, kind, ref, now);
    const stored = (await storedInstrument(db, kind, built.ref))!;
    console.log(instrumentSummary(kind, stored.content as never));
    if (values.out && stored.xlsx) {
      fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
      fs.writeFileSync(values.out, stored.xlsx);
      console.log(`已写入 ${values.out}`);
    }
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error('生成失败：', err instanceof Error ? err.message : err);
  process.exit(1);
});
