import { Knex } from 'knex';

/**
 * Requests from the portal to the reporter, through the database: the portal writes a row and
 * NOTIFYs `whp_report_request`; a reporter takes the oldest pending row (SKIP LOCKED, so several
 * reporters share the work), builds, stores, marks it DONE or FAILED and NOTIFYs
 * `whp_report_done` with the row's id. Both sides also poll, since a notification can be missed.
 */
export type ReportRequestKind = 'RISK_LIST' | 'DOCUMENT' | 'INSTRUMENT';
export type ReportRequestStatus = 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED';

export const REQUEST_CHANNEL = 'whp_report_request';
export const DONE_CHANNEL = 'whp_report_done';

export interface ReportRequest {
  id: string;
  kind: ReportRequestKind;
  ref: string;
  params: Record<string, unknown>;
  requestedBy: string;
  status: ReportRequestStatus;
  /** DONE: what was built; FAILED: { code, message } (message in Chinese). */
  result: Record<string, unknown> | null;
  attempts: number;
}

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const fromRow = (r: Row): ReportRequest => ({
  id: String(r.request_id),
  kind: r.kind,
  ref: r.ref,
  params: r.params ?? {},
  requestedBy: r.requested_by,
  status: r.status,
  result: r.result ?? null,
  attempts: Number(r.attempts),
});

/**
 * Asks for something to be built. A request for the same thing with the same parameters that
 * is still pending or running is joined instead of repeated.
 */
export async function requestReport(
  db: Knex,
  r: { kind: ReportRequestKind; ref: string; params?: Record<string, unknown>; requestedBy: string },
): Promise<string> {
  const params = JSON.stringify(r.params ?? {});
  const same = await db('report_request')
    .where({ kind: r.kind, ref: r.ref })
    .whereIn('status', ['PENDING', 'RUNNING'])
    .whereRaw('params = ?::jsonb', [params])
    .orderBy('request_id')
    .first('request_id');
  if (same) return String(same.request_id);
  const { rows } = await db.raw(
    `with r as (insert into report_request (kind, ref, params, requested_by) values (?, ?, ?::jsonb, ?) returning request_id)
     select r.request_id, pg_notify(?, r.request_id::text) from r`,
    [r.kind, r.ref, params, r.requestedBy, REQUEST_CHANNEL],
  );
  return String(rows[0].request_id);
}

export async function findReport(db: Knex, id: string): Promise<ReportRequest | null> {
  const row = await db('report_request').where('request_id', id).first();
  return row ? fromRow(row) : null;
}

/**
 * The oldest pending request, marked RUNNING; also one left RUNNING longer than `staleMs` by a
 * reporter that died, until it has been tried `maxAttempts` times.
 */
export async function claimReport(db: Knex, staleMs: number, maxAttempts = 3): Promise<ReportRequest | null> {
  const { rows } = await db.raw(
    `update report_request set status = 'RUNNING', started_at = now(), attempts = attempts + 1
     where request_id = (
       select request_id from report_request
       where (status = 'PENDING' or (status = 'RUNNING' and started_at < now() - make_interval(secs => ?)))
         and attempts < ?
       order by request_id
       for update skip locked
       limit 1)
     returning *`,
    [staleMs / 1000, maxAttempts],
  );
  return rows.length ? fromRow(rows[0]) : null;
}

export async function finishReport(db: Knex, id: string, status: 'DONE' | 'FAILED', result: Record<string, unknown>): Promise<void> {
  await db.raw(
    `with r as (update report_request set status = ?, result = ?::jsonb, finished_at = now() where request_id = ? returning request_id)
     select pg_notify(?, r.request_id::text) from r`,
    [status, JSON.stringify(result), id, DONE_CHANNEL],
  );
}

/** Requests given up on (tried too often) are failed, so that nobody waits for them. */
export async function failAbandonedReports(db: Knex, staleMs: number, maxAttempts = 3): Promise<void> {
  await db('report_request')
    .where('status', 'RUNNING')
    .where('attempts', '>=', maxAttempts)
    .whereRaw('started_at < now() - make_interval(secs => ?)', [staleMs / 1000])
    .update({
      status: 'FAILED',
      finished_at: db.fn.now(),
      result: JSON.stringify({ code: 'INTERNAL', message: '报告服务多次处理该请求未能完成，请联系运维人员' }),
    });
}

/** Finished requests are kept a week for whoever looks into a complaint, then dropped. */
export async function pruneReports(db: Knex, keepDays = 7): Promise<void> {
  await db('report_request').whereIn('status', ['DONE', 'FAILED']).whereRaw('finished_at < now() - make_interval(days => ?)', [keepDays]).delete();
}
