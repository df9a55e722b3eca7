import { Knex } from 'knex';
import { ErrorCode, HubError } from '../shared/errors';
import { Logger } from '../shared/logger';
import { PgListener } from '../shared/pgListen';
import { DbTarget } from '../shared/db';
import { DONE_CHANNEL, ReportRequest, ReportRequestKind, findReport, requestReport } from '../shared/reportRequests';

/**
 * The portal's side of a request to the reporter: write it, then wait, bounded, for the reporter
 * to finish it. Woken by the reporter's NOTIFY on a connection of its own, and looking at the
 * row every second anyway; null when the time is up (the request stays and is still served).
 */
export class ReportWaiter {
  private readonly listener: PgListener;
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(
    private readonly db: Knex,
    database: DbTarget,
    logger: Logger,
    private readonly pollMs = 1_000,
  ) {
    this.listener = new PgListener(database, { [DONE_CHANNEL]: (id) => this.waiting.get(id)?.forEach((wake) => wake()) }, logger);
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  async ask(r: { kind: ReportRequestKind; ref: string; params?: Record<string, unknown>; requestedBy: string }, timeoutMs: number): Promise<ReportRequest | null> {
    const id = await requestReport(this.db, r);
    return this.wait(id, timeoutMs);
  }

  async wait(id: string, timeoutMs: number): Promise<ReportRequest | null> {
    const deadline = Date.now() + timeoutMs;
    const wakers = this.waiting.get(id) ?? new Set();
    this.waiting.set(id, wakers);
    let wake: () => void = () => undefined;
    try {
      for (;;) {
        // Registered before looking, so a notification between the look and the sleep is not lost.
        const woken = new Promise<void>((resolve) => {
          wake = resolve;
          wakers.add(resolve);
        });
        const r = await findReport(this.db, id);
        if (!r || r.status === 'DONE' || r.status === 'FAILED') return r;
        const left = deadline - Date.now();
        if (left <= 0) return null;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.min(left, this.pollMs))))]);
        clearTimeout(timer);
        wakers.delete(wake);
      }
    } finally {
      wakers.delete(wake);
      if (!wakers.size) this.waiting.delete(id);
    }
  }

  close(): Promise<void> {
    return this.listener.close();
  }
}

/** A request the reporter failed: its error as the reporter said it (Chinese message, typed code). */
export function reporterError(result: Record<string, unknown> | null): HubError {
  const code = String(result?.code ?? 'INTERNAL');
  const known: ErrorCode[] = ['BAD_REQUEST', 'NOT_FOUND', 'DEPENDENCY_UNAVAILABLE', 'INTERNAL'];
  return new HubError(known.includes(code as ErrorCode) ? (code as ErrorCode) : 'INTERNAL', String(result?.message ?? '报告服务处理失败'));
}
