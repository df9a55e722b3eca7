import { Express, Request, Response } from 'express';
import { Knex } from 'knex';
import { riskListCounts, RiskList } from '../shared/documents';
import { HubError } from '../shared/errors';
import { latestRiskList, storedRiskList, storedRiskListXlsx } from '../shared/storedRiskLists';
import { parseIsoWeek } from '../shared/time';
import { forbidden } from './access';
import { API, viewerOf } from './params';
import { ReportWaiter, reporterError } from './reportWaiter';
import { logRead } from './readLog';

/**
 * Risk lists (风险清单) are 人社's: it reads the stored lists, and asks for one to be built now.
 * Building is the reporter's: the portal writes the request and waits for it, bounded; what is
 * not done in time is answered 202 and keeps being built.
 */
export interface RiskListDeps {
  db: Knex;
  waiter: ReportWaiter;
  now: () => Date;
  waitMs: number;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function requireHrss(res: Response, what: string): void {
  if (viewerOf(res) !== 'hrss') throw forbidden(viewerOf(res), what);
}

function answer(list: RiskList, built: boolean) {
  const counts = riskListCounts(list);
  return {
    week: list.week,
    built,
    asOf: list.asOf,
    generatedAt: list.generatedAt,
    previousWeek: list.previousWeek,
    comparison: list.comparison,
    employers: counts.employers,
    priority: counts.priority,
    new: counts.new,
    removed: counts.removed,
    documents: { json: `${API}/risk-lists/${list.week}.json`, xlsx: `${API}/risk-lists/${list.week}.xlsx` },
  };
}

export function riskListRoutes(app: Express, deps: RiskListDeps): void {
  const { db, waiter, now, waitMs } = deps;
  const retryAfter = Math.max(5, Math.min(60, Math.round(waitMs / 2000)));

  app.get(`${API}/risk-lists/latest`, async (_req: Request, res: Response) => {
    requireHrss(res, '查看风险清单');
    const list = await latestRiskList(db);
    if (!list) throw new HubError('NOT_FOUND', '尚未生成任何风险清单');
    await logRead(db, res, 'READ_RISK_LIST', list.week, { format: 'json' });
    res.json(list);
  });

  app.get(`${API}/risk-lists/:file`, async (req: Request, res: Response) => {
    const m = /^(.+)\.(json|xlsx)$/.exec(String(req.params.file));
    if (!m) throw new HubError('NOT_FOUND', '风险清单只提供 .json 与 .xlsx 两种格式，如 /api/v1/risk-lists/2026-W47.xlsx');
    requireHrss(res, '查看风险清单');
    const week = parseIsoWeek(m[1]).week;
    if (m[2] === 'json') {
      const list = await storedRiskList(db, week);
      if (!list) throw new HubError('NOT_FOUND', `${week} 的风险清单尚未生成`, { week });
      await logRead(db, res, 'READ_RISK_LIST', week, { format: 'json' });
      res.json(list);
    } else {
      const bytes = await storedRiskListXlsx(db, week);
      if (!bytes) throw new HubError('NOT_FOUND', `${week} 的风险清单尚未生成`, { week });
      await logRead(db, res, 'READ_RISK_LIST', week, { format: 'xlsx' });
      res.type(XLSX_TYPE).attachment(`风险清单-${week}.xlsx`).send(bytes);
    }
  });

  app.post(`${API}/risk-lists`, async (req: Request, res: Response) => {
    requireHrss(res, '生成风险清单');
    const raw = req.query.week;
    if (typeof raw !== 'string' || !raw.trim()) throw new HubError('BAD_REQUEST', '缺少查询参数 week（ISO 周，如 2026-W47）', { parameter: 'week' });
    const w = parseIsoWeek(raw);
    const at = now();
    if (at < w.startsAt) throw new HubError('BAD_REQUEST', `${w.week}（${w.start} 至 ${w.end}）尚未开始，不能生成风险清单`, { week: w.week });
    // An ended week is built once: when it is stored, it is the answer, whether or not a reporter runs.
    if (at >= w.endsAt) {
      const stored = await storedRiskList(db, w.week);
      if (stored && Date.parse(stored.asOf) >= w.endsAt.getTime()) {
        res.status(200).json(answer(stored, false));
        return;
      }
    }
    const r = await waiter.ask({ kind: 'RISK_LIST', ref: w.week, params: { at: at.toISOString() }, requestedBy: viewerOf(res) }, waitMs);
    if (!r) {
      res
        .status(202)
        .set('Retry-After', String(retryAfter))
        .json({
          week: w.week,
          status: 'PENDING',
          message: `风险清单 ${w.week} 正在生成，请约 ${retryAfter} 秒后在 ${API}/risk-lists/${w.week}.json 查看，或再次提交本请求`,
        });
      return;
    }
    if (r.status === 'FAILED') throw reporterError(r.result);
    const list = await storedRiskList(db, w.week);
    if (!list) throw new HubError('INTERNAL', `报告服务已完成 ${w.week}，但未找到存储的风险清单`, { week: w.week });
    res.status(r.result?.built ? 201 : 200).json(answer(list, !!r.result?.built));
  });
}
