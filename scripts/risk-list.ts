/**
 * Builds (or fetches, when an ended week is already stored) the weekly risk list.
 *
 *   npx tsx scripts/risk-list.ts [--week 2026-W47] [--out 风险清单.xlsx] [--publish]
 *
 * Without --week: the ISO week that has just ended (Asia/Shanghai). --publish also sends the
 * summary to whp.risklist.v1, as the Monday schedule does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../services/shared/config';
import { createDb, migrate } from '../services/shared/db';
import { createLogger } from '../services/shared/logger';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { startReporter } from '../services/reporter/reporter';
import { generateRiskList } from '../services/reporter/store';
import { storedRiskListXlsx } from '../services/shared/storedRiskLists';
import { parseIsoWeek, weekJustEnded } from '../services/shared/time';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (!v || v.startsWith('--')) throw new Error(`--${name} 需要一个值`);
  return v;
}

async function main() {
  const config = loadConfig();
  const region = loadRegionConfig();
  const now = new Date();
  const week = arg('week') ? parseIsoWeek(arg('week')!).week : weekJustEnded(now).week;
  const out = arg('out');
  const started = Date.now();
  let result;
  let db;
  let close = async () => {};
  if (process.argv.includes('--publish')) {
    const reporter = await startReporter({ config, region, logger: createLogger('risk-list', config.logLevel), schedule: '', opsPort: null });
    result = await reporter.generate(week, now);
    db = reporter.db;
    close = () => reporter.close();
  } else {
    db = createDb(config, 2);
    await migrate(db);
    result = await generateRiskList(db, region, week, now);
    const d = db;
    close = () => d.destroy();
  }
  try {
    const { list, built } = result;
    console.log(`${list.regionName} 风险清单 ${list.week}（${list.weekStart} 至 ${list.weekEnd}）${built ? '已生成' : '已存在（未重新生成）'}`);
    console.log(`  截至 ${list.asOf}，上榜单位 ${list.rows.length} 家，其中重点 ${list.rows.filter((r) => r.priority).length} 家，新上榜 ${list.rows.filter((r) => r.change === 'NEW').length} 家，移出 ${list.removed.length} 家（${Date.now() - started} ms）`);
    if (out) {
      const bytes = await storedRiskListXlsx(db, list.week);
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, bytes!);
      console.log(`  XLSX: ${path.resolve(out)}`);
    }
  } finally {
    await close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
