import { Express, Request, Response } from 'express';
import { Knex } from 'knex';
import type { RegionConfig } from '../shared/regionConfig';
import { DEPARTMENTS, Department } from '../shared/contract';
import { HubError } from '../shared/errors';
import { recommendationFile, findRecommendation } from './documents';
import { GeneratedRiskList, generateRiskList, latestRiskList, riskListSummary, storedRiskList, storedRiskListXlsx } from './store';
import { parseIsoWeek } from '../shared/time';

/**
 * The reporter's part of the read API (CONTRACT.md section 3), mounted on the portal through
 * `startPortal({ extraRoutes: (app) => reporterRoutes(app, deps) })`; the portal has already
 * authenticated the caller (res.locals.department).
 */
export interface ReporterRouteDeps {
  db: Knex;
  region: RegionConfig;
  /** Builds (and publishes) a week's list; default: build and store without publishing. */
  generate?: (week: string, at: Date) => Promise<GeneratedRiskList>;
  now?: () => Date;
}

const API = '/api/v1';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const viewer = (res: Response): Department => res.locals.department as Department;

function forbidden(d: Department, what: string): HubError {
  return new HubError('FORBIDDEN', `${DEPARTMENTS[d] ?? d}（${d}）无权${what}（见契约第 3 节）`, { department: d });
}

/** Risk lists are 人社's (hrss reads everything; the list spans every department's employers). */
function requireHrss(res: Response, what: string): void {
  if (viewer(res) !== 'hrss') throw forbidden(viewer(res), what);
}

export function reporterRoutes(app: Express, deps: ReporterRouteDeps): void {
  const { db, region } = deps;
  const now = deps.now ?? (() => new Date());
  const generate = deps.generate ?? ((week: string, at: Date) => generateRiskList(db, region, week, at));

  app.get(`${API}/risk-lists/latest`, async (_req: Request, res: Response) => {
    requireHrss(res, '查看风险清单');
    const list = await latestRiskList(db);
    if (!list) throw new HubError('NOT_FOUND', '尚未生成任何风险清单');
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
      res.json(list);
    } else {
      const bytes = await storedRiskListXlsx(db, week);
      if (!bytes) throw new HubError('NOT_FOUND', `${week} 的风险清单尚未生成`, { week });
      res.type(XLSX_TYPE).attachment(`风险清单-${week}.xlsx`).send(bytes);
    }
  });

  app.post(`${API}/risk-lists`, async (req: Request, res: Response) => {
    requireHrss(res, '生成风险清单');
    const raw = req.query.week;
    if (typeof raw !== 'string' || !raw.trim()) throw new HubError('BAD_REQUEST', '缺少查询参数 week（ISO 周，如 2026-W47）', { parameter: 'week' });
    const week = parseIsoWeek(raw).week;
    const { list, built } = await generate(week, now());
    const counts = riskListSummary(list);
    res.status(built ? 201 : 200).json({
      week: list.week,
      built,
      asOf: list.asOf,
      generatedAt: list.generatedAt,
      employers: counts.employerCount,
      priority: counts.priorityCount,
      new: counts.newCount,
      removed: counts.removedCount,
      documents: { json: `${API}/risk-lists/${list.week}.json`, xlsx: `${API}/risk-lists/${list.week}.xlsx` },
    });
  });

  app.get(`${API}/recommendations/:file`, async (req: Request, res: Response) => {
    const m = /^(.+)\.(docx|pdf)$/.exec(String(req.params.file));
    if (!m) throw new HubError('NOT_FOUND', '整改建议书只提供 .docx 与 .pdf 两种格式');
    const d = viewer(res);
    // hrss reads every recommendation; union none; the others those addressed to them.
    const rec = await findRecommendation(db, m[1]);
    if (d !== 'hrss' && (d === 'union' || !rec.departments.includes(d))) throw forbidden(d, '查看该整改建议书');
    const { bytes } = await recommendationFile(db, region, m[1], m[2] as 'docx' | 'pdf');
    res
      .type(m[2] === 'docx' ? DOCX_TYPE : 'application/pdf')
      .attachment(`${m[1]}.${m[2]}`)
      .send(bytes);
  });
}
