import { Express, Request, Response } from 'express';
import { Knex } from 'knex';
import { RULE_IDS } from '../shared/catalog';
import { HubConfig } from '../shared/config';
import { DEPARTMENTS, Department, mayPublish } from '../shared/contract';
import { HubError } from '../shared/errors';
import { express } from '../shared/http';
import { redactPersonalData } from '../shared/privacy';
import { RegionConfig } from '../shared/regionConfig';
import { latestRiskList, storedRiskList } from '../shared/storedRiskLists';
import { parseIsoWeek, shanghaiDay } from '../shared/time';
import { forbidden } from './access';
import { employerFacts } from './employerFacts';
import { feedHealth, listDeadLetters } from './feedHealth';
import { API, enumParam, pageParams, param, viewerOf } from './params';
import { planIndicatorsCache } from './planTargets';
import { logRead } from './readLog';
import { forwardToGateway, parseRecheck, recheckEvent } from './recheck';
import { LIST_CHANGE_FILTERS, filterRiskList } from './riskListView';

/**
 * The read routes the console needs beyond the contract's API (under /api/v1/console), each
 * paged or aggregated, and the re-check form's way to the gateway. Same authentication and
 * department rules as the rest of the API.
 */
export interface ConsoleApiDeps {
  db: Knex;
  config: HubConfig;
  region: RegionConfig;
  now: () => Date;
}

const C = `${API}/console`;
const DEPARTMENT_CODES = Object.keys(DEPARTMENTS) as Department[];

export function consoleApiRoutes(app: Express, deps: ConsoleApiDeps): { close(): Promise<void> } {
  const { db, config, region, now } = deps;
  // 五年目标 at province scale takes seconds to compute: kept with the version of its data (planTargets.ts).
  const indicators = planIndicatorsCache(db, region, now);
  indicators.get().catch(() => undefined);

  app.get(`${C}/risk-list`, async (req: Request, res: Response) => {
    if (viewerOf(res) !== 'hrss') throw forbidden(viewerOf(res), '查看风险清单');
    const w = param(req, 'week');
    const list = w ? await storedRiskList(db, parseIsoWeek(w).week) : await latestRiskList(db);
    if (!list) throw new HubError('NOT_FOUND', w ? `${w} 的风险清单尚未生成` : '尚未生成任何风险清单');
    const rule = param(req, 'rule')?.toUpperCase();
    if (rule && !(RULE_IDS as readonly string[]).includes(rule)) throw new HubError('BAD_REQUEST', '未知的规则', { parameter: 'rule' });
    const page = pageParams(req);
    const { total, rows } = filterRiskList(
      list,
      { district: param(req, 'district'), industry: param(req, 'industry')?.toUpperCase(), rule, change: enumParam(req, 'change', LIST_CHANGE_FILTERS, undefined), q: param(req, 'q'), ...page },
      region.districts,
    );
    const weeks = await db('risk_list').select('week').orderBy('week', 'desc').limit(52);
    await logRead(db, res, 'READ_RISK_LIST', list.week, { format: 'console' });
    res.json(
      redactPersonalData({
        week: list.week, weekStart: list.weekStart, weekEnd: list.weekEnd, asOf: list.asOf, comparison: list.comparison,
        employers: list.rows.length, priority: list.rows.filter((r) => r.priority).length, removedCount: list.removed.length,
        districts: Object.entries(region.districts).map(([code, name]) => ({ code, name })),
        sections: list.byIndustry.map((s) => ({ code: s.section, name: s.sectionName })),
        weeks: weeks.map((x) => x.week),
        total, limit: page.limit, offset: page.offset, rows,
        xlsx: `${API}/risk-lists/${list.week}.xlsx`,
      }),
    );
  });

  app.get(`${C}/employers/:key/facts`, async (req: Request, res: Response) => {
    const facts = await employerFacts(db, viewerOf(res), String(req.params.key), shanghaiDay(now()));
    res.json(redactPersonalData(facts));
  });

  app.get(`${C}/feeds`, async (req: Request, res: Response) => {
    const viewer = viewerOf(res);
    res.json(await feedHealth(db, now(), viewer === 'hrss' ? undefined : viewer));
  });

  app.get(`${C}/dead-letters`, async (req: Request, res: Response) => {
    const viewer = viewerOf(res);
    const asked = enumParam(req, 'department', DEPARTMENT_CODES, undefined);
    if (viewer !== 'hrss' && asked && asked !== viewer) throw forbidden(viewer, `查看${DEPARTMENTS[asked]}的拒收记录`);
    const page = pageParams(req);
    const { total, items } = await listDeadLetters(db, { department: viewer === 'hrss' ? asked : viewer, ...page });
    res.json(redactPersonalData({ total, limit: page.limit, offset: page.offset, deadLetters: items }));
  });

  app.get(`${C}/plan-targets`, async (_req: Request, res: Response) => {
    res.json(await indicators.get());
  });

  app.post(`${C}/rechecks`, express.json({ limit: '16kb' }), async (req: Request, res: Response) => {
    const viewer = viewerOf(res);
    // Contract section 1: re-checks (rectification) are 应急管理's and 卫健's to send.
    if (!mayPublish(viewer, 'rectification')) throw forbidden(viewer, '登记整改复查结果');
    const event = await recheckEvent(db, viewer, parseRecheck(req.body));
    const answer = await forwardToGateway(config.gatewayUrl, String(res.locals.token ?? ''), event);
    res.status(answer.status).json(answer.body);
  });
  return { close: () => indicators.close() };
}
