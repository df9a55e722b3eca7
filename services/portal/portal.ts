import { AddressInfo } from 'node:net';
import { Express, NextFunction, Request, Response } from 'express';
import { Knex } from 'knex';
import { departmentOf, prepareTokens } from '../shared/auth';
import { HubConfig, loadConfig } from '../shared/config';
import { Department } from '../shared/contract';
import { createDb, migrate } from '../shared/db';
import { HubError } from '../shared/errors';
import { closeServer, errorHandler, express, healthRoutes, listen } from '../shared/http';
import { Logger, createLogger } from '../shared/logger';
import { RegionConfig, loadRegionConfig } from '../shared/regionConfig';
import { RULE_LABELS, RuleId } from '../reporter/model';
import { alertScope, forbidden, mayReadNotices, mayReviewIdentities, recommendationScope } from './access';
import {
  ALERT_STATUS_FILTERS,
  AlertStatusFilter,
  RECOMMENDATION_STATUS_FILTERS,
  RecommendationStatusFilter,
  employerProfile,
  findNotice,
  listAlerts,
  listIdentityReviews,
  listNotices,
  listRecommendations,
  noticeSequence,
} from './queries';
import { toNoticeDocument } from './noticeDocument';
import { redactPersonalData } from '../shared/privacy';

/**
 * The portal's read API (CONTRACT.md section 3). Every route under /api/v1 needs a department
 * bearer token (the gateway's token table); res.locals.department holds the caller, also for
 * routes added through `extraRoutes` (e.g. the reporter's risk lists).
 */
export interface PortalOptions {
  config?: HubConfig;
  /** 0 = a random free port (tests, the demo). */
  port?: number;
  logger?: Logger;
  /** Region of the documents (issuing organs, 发文字号 prefix); default: WHP_REGION. */
  region?: RegionConfig;
  /** More routes (mounted after the portal's own, before the 404 and error handlers). */
  extraRoutes?: (app: Express) => void;
}

export interface Portal {
  url: string;
  close(): Promise<void>;
}

export const API = '/api/v1';
const MAX_LIMIT = 1000;

/** The authenticated department of a request under /api/v1. */
export function viewerOf(res: Response): Department {
  return res.locals.department as Department;
}

function param(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new HubError('BAD_REQUEST', `查询参数 ${name} 只能出现一次`, { parameter: name });
  return v.trim();
}

function intParam(req: Request, name: string, fallback: number, min: number, max: number): number {
  const raw = param(req, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HubError('BAD_REQUEST', `查询参数 ${name} 应为 ${min}–${max} 之间的整数，实际为“${raw}”`, { parameter: name });
  }
  return n;
}

function enumParam<T extends string>(req: Request, name: string, allowed: readonly T[], fallback: T): T {
  const raw = param(req, name)?.toUpperCase();
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new HubError('BAD_REQUEST', `查询参数 ${name} 应为 ${allowed.join('、')} 之一，实际为“${raw}”`, { parameter: name });
  }
  return raw as T;
}

const RULES = Object.keys(RULE_LABELS) as RuleId[];

export async function startPortal(opts: PortalOptions = {}): Promise<Portal> {
  const config = opts.config ?? loadConfig();
  const logger = opts.logger ?? createLogger('portal', config.logLevel);
  const region = opts.region ?? loadRegionConfig();
  const db: Knex = createDb(config, 5);
  await migrate(db);
  // The portal may start before the gateway; dev tokens must work either way (idempotent).
  await prepareTokens(db, config.env);

  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 0);

  healthRoutes(app, {
    database: async () => {
      await db.raw('select 1');
    },
  });

  app.use(API, async (req: Request, res: Response, next: NextFunction) => {
    const started = Date.now();
    res.locals.department = await departmentOf(db, req.headers.authorization);
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
      limit: intParam(req, 'limit', 100, 1, MAX_LIMIT),
      offset: intParam(req, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    });
    send(res, { total: page.total, limit: page.limit, offset: page.offset, alerts: page.items });
  });

  app.get(`${API}/employers/:key`, async (req, res) => {
    send(res, await employerProfile(db, viewerOf(res), String(req.params.key)));
  });

  app.get(`${API}/recommendations`, async (req, res) => {
    const viewer = viewerOf(res);
    const scope = recommendationScope(viewer);
    if (scope.kind === 'NONE') throw forbidden(viewer, '整改建议');
    const page = await listRecommendations(db, scope, {
      uscc: param(req, 'uscc'),
      status: enumParam<RecommendationStatusFilter>(req, 'status', RECOMMENDATION_STATUS_FILTERS, 'ACTIVE'),
      limit: intParam(req, 'limit', 100, 1, MAX_LIMIT),
      offset: intParam(req, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
    });
    send(res, { total: page.total, limit: page.limit, offset: page.offset, recommendations: page.items });
  });

  app.get(`${API}/notices`, async (_req, res) => {
    if (!mayReadNotices(viewerOf(res))) throw forbidden(viewerOf(res), '通报');
    send(res, { notices: await listNotices(db, `${API}/notices`) });
  });

  app.get(`${API}/notices/:file`, async (req, res) => {
    const m = /^(.+)\.(docx|pdf)$/.exec(String(req.params.file));
    if (!m) throw new HubError('NOT_FOUND', '通报文书只提供 .docx 与 .pdf 两种格式');
    if (!mayReadNotices(viewerOf(res))) throw forbidden(viewerOf(res), '通报');
    const notice = await findNotice(db, m[1]);
    const doc = toNoticeDocument(notice, region, await noticeSequence(db, notice));
    // Loaded on first use: the DOCX library is only needed when someone opens a document.
    const render = await import('../reporter/render/officialDocument');
    const bytes = m[2] === 'docx' ? await render.renderNoticeDocx(doc) : await render.renderNoticePdf(doc);
    res
      .type(m[2] === 'docx' ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : 'application/pdf')
      .attachment(`${notice.noticeId}.${m[2]}`)
      .send(bytes);
  });

  app.get(`${API}/review/identities`, async (req, res) => {
    const viewer = viewerOf(res);
    if (!mayReviewIdentities(viewer)) throw forbidden(viewer, '单位身份待核清单');
    const status = enumParam(req, 'status', ['OPEN', 'RESOLVED', 'ALL'] as const, 'OPEN');
    send(res, { reviews: await listIdentityReviews(db, status) });
  });

  opts.extraRoutes?.(app);

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
    async close() {
      await closeServer(server);
      await db.destroy();
    },
  };
}
