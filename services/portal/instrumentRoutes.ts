import { Express, Request, Response } from 'express';
import { Knex } from 'knex';
import { HubError } from '../shared/errors';
import { InstrumentKind, storedInstrument } from '../shared/storedInstruments';
import { quarterOf, shanghaiDay } from '../shared/time';
import { forbidden } from './access';
import { API, enumParam, intParam, param, viewerOf } from './params';
import { ReportWaiter, reporterError } from './reportWaiter';

/**
 * The plan's other instruments (CONTRACT section 3): 浮动费率 suggestions per cycle (人社), the
 * quarter's 双随机 sample and 回头看 list (each inspecting department its own part, 人社 all),
 * the risk list's precision against random inspections, and training coverage (人社). The
 * reporter builds them on request; what was built today is served as it is.
 */
export interface InstrumentDeps {
  db: Knex;
  waiter: ReportWaiter;
  now: () => Date;
  waitMs: number;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const INSPECTING = ['emergency', 'health', 'housing', 'transport'];
/** The most rows of 浮动费率建议 one paged answer gives (`limit`). */
const MAX_RATE_ROWS = 200;

export function instrumentRoutes(app: Express, deps: InstrumentDeps): void {
  const { db, waiter, now, waitMs } = deps;
  const retryAfter = Math.max(5, Math.min(60, Math.round(waitMs / 2000)));

  /** The stored report of today (or, for a plan, ever), else built by the reporter now. */
  async function report(res: Response, kind: InstrumentKind, ref: string, storedRef: string, fresh: (builtAt: Date) => boolean) {
    let stored = await storedInstrument(db, kind, storedRef);
    if (!stored || !fresh(stored.builtAt)) {
      const r = await waiter.ask({ kind: 'INSTRUMENT', ref, params: { instrument: kind }, requestedBy: viewerOf(res) }, waitMs);
      if (!r) {
        res.status(202).set('Retry-After', String(retryAfter)).json({ status: 'PENDING', message: `报表正在生成，请约 ${retryAfter} 秒后再次请求` });
        return null;
      }
      if (r.status === 'FAILED') throw reporterError(r.result);
      stored = await storedInstrument(db, kind, storedRef);
      if (!stored) throw new HubError('INTERNAL', '报告服务已完成，但未找到存储的报表');
    }
    return stored;
  }
  const today = (builtAt: Date) => shanghaiDay(builtAt) === shanghaiDay(now());
  const send = (req: Request, res: Response, stored: { content: unknown; xlsx: Buffer | null }, file: string) => {
    if (req.path.endsWith('.xlsx') || param(req, 'format') === 'xlsx') res.type(XLSX_TYPE).attachment(`${file}.xlsx`).send(stored.xlsx);
    else res.json(stored.content);
  };

  app.get([`${API}/rate-adjustments`, `${API}/rate-adjustments.xlsx`], async (req: Request, res: Response) => {
    if (viewerOf(res) !== 'hrss') throw forbidden(viewerOf(res), '浮动费率调整建议');
    const cycle = param(req, 'cycle');
    if (!cycle) throw new HubError('BAD_REQUEST', '缺少查询参数 cycle（连续三个整年，如 2024-2026）', { parameter: 'cycle' });
    const m = /^(\d{4})\s*[-–—~至]\s*(\d{4})$/.exec(cycle);
    const ref = m ? `${m[1]}-${m[2]}` : cycle;
    // Paged for the console when `limit` is given (JSON only; the XLSX is always the whole table).
    const paged = !req.path.endsWith('.xlsx') && param(req, 'format') !== 'xlsx' && param(req, 'limit') !== undefined;
    const page = paged
      ? {
          limit: intParam(req, 'limit', 50, 1, MAX_RATE_ROWS),
          offset: intParam(req, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
          direction: enumParam(req, 'direction', ['UP', 'DOWN', 'KEEP'] as const, undefined),
          q: param(req, 'q'),
        }
      : null;
    const stored = await report(res, 'RATE_ADJUSTMENT', ref, ref, today);
    if (!stored) return;
    if (!page) return send(req, res, stored, `浮动费率调整建议-${ref}`);
    const content = stored.content as { rows: { direction: string; employerName: string; uscc: string | null }[] };
    const rows = content.rows.filter((r) => (!page.direction || r.direction === page.direction) && (!page.q || r.employerName.includes(page.q) || (r.uscc ?? '').includes(page.q.toUpperCase())));
    res.json({ ...content, total: rows.length, limit: page.limit, offset: page.offset, rows: rows.slice(page.offset, page.offset + page.limit) });
  });

  app.get([`${API}/inspections/plan`, `${API}/inspections/plan.xlsx`], async (req: Request, res: Response) => {
    const viewer = viewerOf(res);
    if (viewer !== 'hrss' && !INSPECTING.includes(viewer)) throw forbidden(viewer, '双随机检查计划');
    const raw = param(req, 'quarter') ?? quarterOf(shanghaiDay(now()));
    const m = /^(\d{4})-?Q([1-4])$/i.exec(raw);
    if (!m) throw new HubError('BAD_REQUEST', `查询参数 quarter 应为 2026-Q1 的形式，实际为“${raw}”`, { parameter: 'quarter' });
    const quarter = `${m[1]}-Q${m[2]}`;
    const stored = await report(res, 'INSPECTION_PLAN', quarter, viewer === 'hrss' ? quarter : `${quarter}:${viewer}`, () => true);
    if (stored) send(req, res, stored, `双随机检查计划-${quarter}`);
  });

  app.get([`${API}/risk-lists/precision`, `${API}/risk-lists/precision.xlsx`], async (req: Request, res: Response) => {
    const stored = await report(res, 'PRECISION', 'latest', 'latest', today);
    if (stored) send(req, res, stored, '风险清单命中率');
  });

  app.get([`${API}/training-coverage`, `${API}/training-coverage.xlsx`], async (req: Request, res: Response) => {
    if (viewerOf(res) !== 'hrss') throw forbidden(viewerOf(res), '培训覆盖率');
    const stored = await report(res, 'TRAINING_COVERAGE', 'latest', 'latest', today);
    if (stored) send(req, res, stored, '重点岗位培训覆盖率');
  });
}
