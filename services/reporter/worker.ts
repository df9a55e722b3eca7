import { Knex } from 'knex';
import { HubError } from '../shared/errors';
import { Logger } from '../shared/logger';
import { PgListener } from '../shared/pgListen';
import { DbTarget } from '../shared/db';
import { REQUEST_CHANNEL, ReportRequest, claimReport, failAbandonedReports, finishReport, pruneReports } from '../shared/reportRequests';

/**
 * Takes the portal's requests (services/shared/reportRequests.ts) one at a time: woken by
 * NOTIFY on its own connection, and polling every few seconds in case a notification was missed
 * (the connection dropped, or the reporter started after the request was written).
 */
export interface WorkerOptions {
  db: Knex;
  database: DbTarget;
  logger: Logger;
  handle: (request: ReportRequest) => Promise<Record<string, unknown>>;
  pollMs?: number;
  /** A request RUNNING longer than this was left by a reporter that died; it is taken again. */
  staleMs?: number;
  /** Told of every request finished (for metrics). */
  onFinished?: (kind: string, status: 'DONE' | 'FAILED', ms: number) => void;
}

export class RequestWorker {
  private readonly listener: PgListener;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private lastPrune = 0;

  constructor(private readonly o: WorkerOptions) {
    this.listener = new PgListener(o.database, { [REQUEST_CHANNEL]: () => this.wake() }, o.logger);
  }

  async start(): Promise<void> {
    await this.listener.start();
    this.timer = setInterval(() => this.wake(), this.o.pollMs ?? 3_000);
    this.timer.unref();
    this.wake();
  }

  /** Runs the pending requests; a wake-up while running makes it look again afterwards. */
  wake(): void {
    if (this.closed) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.again && !this.closed) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    const staleMs = this.o.staleMs ?? 10 * 60_000;
    try {
      if (Date.now() - this.lastPrune > 3_600_000) {
        this.lastPrune = Date.now();
        await failAbandonedReports(this.o.db, staleMs);
        await pruneReports(this.o.db);
      }
      // Nothing is claimed once closing: a claimed request would wait for the stale timeout.
      while (!this.closed) {
        const r = await claimReport(this.o.db, staleMs);
        if (!r) break;
        await this.run(r);
      }
    } catch (err) {
      this.o.logger.error({ err }, '读取报告请求失败 (could not take report requests)');
    }
  }

  private async run(r: ReportRequest): Promise<void> {
    const started = Date.now();
    try {
      const result = await this.o.handle(r);
      await finishReport(this.o.db, r.id, 'DONE', result);
      this.o.onFinished?.(r.kind, 'DONE', Date.now() - started);
      this.o.logger.info({ request: r.id, kind: r.kind, ref: r.ref, ms: Date.now() - started }, '报告请求已完成 (report request done)');
    } catch (err) {
      const e = err instanceof HubError ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: '报告服务处理该请求时出错，请稍后再试或联系运维人员' };
      if (!(err instanceof HubError) || err.httpStatus >= 500) this.o.logger.error({ err, request: r.id, kind: r.kind, ref: r.ref }, '报告请求失败 (report request failed)');
      await finishReport(this.o.db, r.id, 'FAILED', e);
      this.o.onFinished?.(r.kind, 'FAILED', Date.now() - started);
    }
  }

  get listening(): boolean {
    return this.listener.listening;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.draining;
    await this.listener.close();
  }
}
