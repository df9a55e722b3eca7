import fs from 'node:fs/promises';
import path from 'node:path';
import cron from 'node-cron';
import { Express } from 'express';
import { Knex } from 'knex';
import type { RegionConfig } from '../shared/regionConfig';
import { HubConfig } from '../shared/config';
import { createDb, migrate } from '../shared/db';
import { AvroProducer, createKafka } from '../shared/kafka';
import { Logger } from '../shared/logger';
import { createRegistry, registerContract } from '../shared/registry';
import { reporterRoutes } from './routes';
import { GeneratedRiskList, generateRiskList, riskListSummary, storedRiskListXlsx } from './store';
import { weekJustEnded } from '../shared/time';

/**
 * The reporter: every Monday 08:00 Asia/Shanghai (configurable) it builds the risk list of the
 * ISO week just ended, stores it with its XLSX, and publishes a summary on whp.risklist.v1.
 */
export interface ReporterOptions {
  config: HubConfig;
  region: RegionConfig;
  logger: Logger;
  /** node-cron expression in Asia/Shanghai; '' = no schedule (on demand only). */
  schedule?: string;
  now?: () => Date;
  /** Also write each list's XLSX here as 风险清单-<week>.xlsx. */
  outputDir?: string;
}

export interface Reporter {
  /** The scheduled job, as run at `at`: the week just ended, built, stored, published. */
  runWeekly(at: Date): Promise<GeneratedRiskList>;
  /** Builds a week now (stored; published when built). */
  generate(week: string, at?: Date): Promise<GeneratedRiskList>;
  /** The read API routes, for startPortal({ extraRoutes: reporter.routes }). */
  routes(app: Express): void;
  db: Knex;
  close(): Promise<void>;
}

export async function startReporter(opts: ReporterOptions): Promise<Reporter> {
  const { config, region, logger } = opts;
  const schedule = opts.schedule ?? '0 8 * * 1';
  const now = opts.now ?? (() => new Date());
  const db = createDb(config, 4);
  await migrate(db);
  const kafka = createKafka(config, logger);
  const registry = createRegistry(config);
  const ids = await registerContract(registry);
  const producer = await AvroProducer.connect(kafka, registry, ids);

  const generate = async (week: string, at: Date = now()): Promise<GeneratedRiskList> => {
    const started = Date.now();
    const result = await generateRiskList(db, region, week, at);
    const { list } = result;
    if (opts.outputDir) {
      const xlsx = await storedRiskListXlsx(db, list.week);
      if (xlsx) {
        await fs.mkdir(opts.outputDir, { recursive: true });
        await fs.writeFile(path.join(opts.outputDir, `风险清单-${list.week}.xlsx`), xlsx);
      }
    }
    if (result.built) await producer.send('risklist', [{ key: list.week, value: riskListSummary(list) }]);
    logger.info(
      { week: list.week, built: result.built, employers: list.rows.length, removed: list.removed.length, ms: Date.now() - started },
      result.built ? '风险清单已生成 (risk list built)' : '风险清单已存在 (risk list already stored)',
    );
    return result;
  };

  const runWeekly = async (at: Date): Promise<GeneratedRiskList> => {
    const week = weekJustEnded(at).week;
    const result = await generate(week, at);
    // The scheduled run always announces the week's list, even when an earlier run stored it
    // (a crash between storing and publishing must not lose the summary); consumers key by week.
    if (!result.built) await producer.send('risklist', [{ key: result.list.week, value: riskListSummary(result.list) }]);
    return result;
  };

  let running: Promise<unknown> | null = null;
  const task = schedule
    ? cron.schedule(
        schedule,
        () => {
          if (running) return;
          running = runWeekly(now())
            .catch((err) => logger.error({ err }, '每周风险清单生成失败 (weekly risk list failed)'))
            .finally(() => (running = null));
        },
        { timezone: 'Asia/Shanghai' },
      )
    : null;

  return {
    runWeekly,
    generate,
    routes: (app: Express) => reporterRoutes(app, { db, region, generate, now }),
    db,
    async close() {
      await task?.stop();
      await running;
      await producer.disconnect();
      await db.destroy();
    },
  };
}
