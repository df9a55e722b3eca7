import fs from 'node:fs/promises';
import path from 'node:path';
import cron from 'node-cron';
import { Knex } from 'knex';
import type { RegionConfig } from '../shared/regionConfig';
import { HubConfig } from '../shared/config';
import { createDb, migrate } from '../shared/db';
import { StoredDocumentKind } from '../shared/documents';
import { HubError } from '../shared/errors';
import { AvroProducer, createKafka } from '../shared/kafka';
import { Logger } from '../shared/logger';
import { createRegistry, registerContract } from '../shared/registry';
import { ReportRequest } from '../shared/reportRequests';
import { DocumentFormat } from '../shared/storedDocuments';
import { weekJustEnded } from '../shared/time';
import { RenderedDocument, renderAndStore } from './documentStore';
import { GeneratedRiskList, generateRiskList, riskListSummary } from './store';
import { storedRiskListXlsx } from '../shared/storedRiskLists';
import { RequestWorker } from './worker';
import { buildInstrument } from './instruments';
import { InstrumentKind } from '../shared/storedInstruments';
import { createReporterMetrics, startReporterOps } from './ops';

/**
 * The reporter: every Monday 08:00 Asia/Shanghai (configurable) it builds the risk list of the
 * ISO week just ended, stores it with its XLSX, and publishes a summary on whp.risklist.v1; and
 * it takes the portal's requests (a list now, a document rendered) from the database.
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
  /** How often the request table is polled besides LISTEN (ms). */
  pollMs?: number;
  /** Port of /healthz, /readyz, /metrics (default REPORTER_PORT; 0 = a free one; null = none). */
  opsPort?: number | null;
}

export interface Reporter {
  /** The scheduled job, as run at `at`: the week just ended, built, stored, published. */
  runWeekly(at: Date): Promise<GeneratedRiskList>;
  /** Builds a week now (stored; published when built). */
  generate(week: string, at?: Date): Promise<GeneratedRiskList>;
  /** Renders a document from its source's current content and stores it. */
  renderDocument(kind: StoredDocumentKind, ref: string, format: DocumentFormat): Promise<RenderedDocument>;
  /** Where /healthz, /readyz and /metrics answer (null when not served). */
  opsUrl: string | null;
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

  const renderDocument = (kind: StoredDocumentKind, ref: string, format: DocumentFormat) => renderAndStore(db, region, kind, ref, format);

  /** A request of the portal: what was built goes back in the request's result. */
  const handle = async (r: ReportRequest): Promise<Record<string, unknown>> => {
    if (r.kind === 'RISK_LIST') {
      const at = typeof r.params.at === 'string' ? new Date(r.params.at) : now();
      const { list, built } = await generate(r.ref, at);
      return { week: list.week, built };
    }
    if (r.kind === 'INSTRUMENT') {
      return buildInstrument(db, region, r.params.instrument as InstrumentKind, r.ref, now());
    }
    const m = /^(RECOMMENDATION|NOTICE):(.+)$/.exec(r.ref);
    if (!m) throw new HubError('BAD_REQUEST', `无法识别的文书请求“${r.ref}”`);
    const format: DocumentFormat = r.params.format === 'pdf' ? 'pdf' : 'docx';
    const doc = await renderDocument(m[1] as StoredDocumentKind, m[2], format);
    return { documentNumber: doc.documentNumber, format };
  };
  const metrics = createReporterMetrics();
  const worker = new RequestWorker({
    db,
    database: config,
    logger,
    handle,
    pollMs: opts.pollMs,
    onFinished: (kind, status, ms) => {
      metrics.requests.inc({ kind, status });
      metrics.requestSeconds.observe({ kind }, ms / 1000);
    },
  });
  await worker.start();
  const ops = opts.opsPort === null ? null : await startReporterOps({ db, listening: () => worker.listening, metrics, host: config.host, port: opts.opsPort ?? config.reporterPort });

  let running: Promise<unknown> | null = null;
  const task = schedule
    ? cron.schedule(
        schedule,
        () => {
          if (running) return;
          running = runWeekly(now())
            .then(() => metrics.weeklyListSuccess.setToCurrentTime())
            .catch((err) => logger.error({ err }, '每周风险清单生成失败 (weekly risk list failed)'))
            .finally(() => (running = null));
        },
        { timezone: 'Asia/Shanghai' },
      )
    : null;

  return {
    runWeekly,
    generate,
    renderDocument,
    opsUrl: ops?.url ?? null,
    db,
    async close() {
      await ops?.close();
      await task?.stop();
      await running;
      await worker.close();
      await producer.disconnect();
      await db.destroy();
    },
  };
}
