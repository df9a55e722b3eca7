import { AddressInfo } from 'node:net';
import { Express, NextFunction, Request, Response } from 'express';
import { Knex } from 'knex';
import { prepareTokens } from '../shared/auth';
import { HubConfig, loadConfig } from '../shared/config';
import { createDb, migrate } from '../shared/db';
import { HubError } from '../shared/errors';
import { CONSOLE_CSP, closeServer, errorHandler, express, healthRoutes, isProduction, listen, securityHeaders } from '../shared/http';
import { openApiRoute } from '../shared/openapi';
import { portalOpenApi } from './openapi';
import { Logger, createLogger } from '../shared/logger';
import { RegionConfig, loadRegionConfig } from '../shared/regionConfig';
import { RULE_IDS, RuleId } from '../shared/catalog';
import { alertScope, forbidden, mayReadNotices, mayReviewIdentities, recommendationScope } from './access';
import {
  ALERT_STATUS_FILTERS,
  AlertStatusFilter,
  RECOMMENDATION_STATUS_FILTERS,
  RecommendationStatusFilter,
  employerProfile,
  listAlerts,
  listIdentityReviews,
  listNotices,
  listRecommendations,
} from './queries';
import { redactPersonalData } from '../shared/privacy';
import { API, enumParam, pageParams, param, viewerOf } from './params';
import { ReportWaiter } from './reportWaiter';
import { riskListRoutes } from './riskListRoutes';
import { instrumentRoutes } from './instrumentRoutes';
import { documentRoutes } from './documentRoutes';
import { feedIssueRoutes } from './feedIssues';
import { auditRoutes } from './auditRoutes';
import { logRead } from './readLog';
import { callerOfRequest, sessionRoutes } from './sessionRoutes';
import { consoleApiRoutes } from './consoleApi';
import { consoleRoutes } from './consoleStatic';

/**
 * The portal's read API (CONTRACT.md section 3), a process of its own. Every route under /api/v1
 * needs a department bearer token (the gateway's token table); res.locals.department holds the
 * caller. It reads what the correlator and the reporter stored, and asks the reporter (through
 * the database) for a risk list or a document that is not stored yet.
 */
export interface PortalOptions {
  config?: HubConfig;
  /** 0 = a random free port (tests, the demo). */
  port?: number;
  logger?: Logger;
  /** Region of the documents (issuing organs, 发文字号 prefix); default: WHP_REGION. */
  region?: RegionConfig;
  /** The portal's clock (the week a list is built as of); tests set it. */
  now?: () => Date;
  /** How long to wait for the reporter (default WHP_REPORT_WAIT_SECONDS). */
  waitMs?: number;
}

export interface Portal {
  url: string;
  /** The express app (tests enumerate its routes against the OpenAPI document). */
  app: Express;
  close(): Promise<void>;
}

const RULES = RULE_IDS as RuleId[];

export async function startPortal(opts: PortalOptions = {}): Promise<Portal> {
  const config = opts.config ?? loadConfig();
  const logger = opts.logger ?? createLogger('portal', config.logLevel);
  const region = opts.region ?? loadRegionConfig();
  const now = opts.now ?? (() => new Date());
  const waitMs = opts.waitMs ?? config.reportWaitSeconds * 1000;
  const db: Knex = createDb(config, 5);
  await migrate(db);
  const waiter = new ReportWaiter(db, config, logger);
  await waiter.start();
  // The portal may start before the gateway; dev tokens must work either way (idempotent).
  await prepareTokens(db, config.env);

  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 0);
  app.use(securityHeaders({ csp: CONSOLE_CSP, hsts: isProduction(config.env) }));

  healthRoutes(app, {
    database: async () => {
      await db.raw('select 1');
    },
  });

  openApiRoute(app, portalOpenApi());
  sessionRoutes(app, { db, config });
  app.use(API, async (req: Request, res: Response, next: NextFunction) => {
    const started = Date.now();
    const { caller, token } = await callerOfRequest(db, req);
    res.locals.caller = caller;
    res.locals.token = token;
    res.locals.department = caller.department;
    res.on('finish', () => {
      logger.info({ method: req.method, path: req.originalUrl.split('?')[0], department: res.locals.department, status: res.statusCode, ms: Date.now() - started }, 'read');
    });
    next();
  });

  /** Every body passes the personal-data filter on its way out. */
  const send = (res: Response, body: unknown) => res.json(redactPersonalData(body));

  app.get(`${API}/alerts`, async (req, res) => {
    const rule = param(req, 'rule')?.toUpperCase();
    if (rule !== undefined && !(RULES as string[]).includes(rule)) {
      throw new HubError('BAD_REQUEST', `未知的规则“${rule}”，应为 ${RULES.join('、')} 之一`, { parameter: 'rule' });
    }
    const page = await listAlerts(db, alertScope(viewerOf(res)), {
      uscc: param(req, 'uscc'),
      rule: rule as RuleId | undefined,
      status: enumParam<AlertStatusFilter>(req, 'status', ALERT_STATUS_FILTERS, 'OPEN'),
      ...pageParams(req),
    });
    send(res, { total: page.total, limit: page.limit, offset: page.offset, alerts: page.items });
  });

  app.get(`${API}/employers/:key`, async (req, res) => {
    const profile = await employerProfile(db, viewerOf(res), String(req.params.key), `${API}/recommendations`);
    await logRead(db, res, 'READ_EMPLOYER', profile.employerKey, { name: profile.name, uscc: profile.uscc });
    send(res, profile);
  });

  app.get(`${API}/recommendations`, async (req, res) => {
    const viewer = viewerOf(res);
    const scope = recommendationScope(viewer);
    if (scope.kind === 'NONE') throw forbidden(viewer, '查看整改建议');
    const page = await listRecommendations(db, scope, {
      basePath: `${API}/recommendations`,
      uscc: param(req, 'uscc'),
      status: enumParam<RecommendationStatusFilter>(req, 'status', RECOMMENDATION_STATUS_FILTERS, 'ACTIVE'),
      ...pageParams(req),
    });
    send(res, { total: page.total, limit: page.limit, offset: page.offset, recommendations: page.items });
  });

  app.get(`${API}/notices`, async (req, res) => {
    if (!mayReadNotices(viewerOf(res))) throw forbidden(viewerOf(res), '查看通报');
    const page = pageParams(req);
    send(res, { ...page, ...(await listNotices(db, `${API}/notices`, page)) });
  });

  app.get(`${API}/review/identities`, async (req, res) => {
    const viewer = viewerOf(res);
    if (!mayReviewIdentities(viewer)) throw forbidden(viewer, '查看单位身份待核清单');
    const status = enumParam(req, 'status', ['OPEN', 'RESOLVED', 'ALL'] as const, 'OPEN');
    send(res, { reviews: await listIdentityReviews(db, status) });
  });

  // Before the risk-list routes: /risk-lists/precision is not a week.
  instrumentRoutes(app, { db, waiter, now, waitMs });
  riskListRoutes(app, { db, waiter, now, waitMs });
  documentRoutes(app, { db, region, waiter, waitMs });
  feedIssueRoutes(app, db);
  auditRoutes(app, db);
  const consoleApi = consoleApiRoutes(app, { db, config, region, now });
  consoleRoutes(app);

  app.use((req: Request) => {
    throw new HubError('NOT_FOUND', `没有这个地址：${req.method} ${req.path}`);
  });
  app.use(errorHandler(logger));

  const server = await listen(app, opts.port ?? config.portalPort, config.host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  logger.info({ url }, '门户查询接口已启动 (portal read API listening)');
  return {
    url,
    app,
    async close() {
      await closeServer(server);
      await consoleApi.close();
      await waiter.close();
      await db.destroy();
    },
  };
}
