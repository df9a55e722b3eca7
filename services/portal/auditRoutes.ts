import { Express, Request, Response } from 'express';
import { Knex } from 'knex';
import { AUDIT_ACTIONS, AuditActor, listAudit, verifyAudit } from '../shared/audit';
import { DEPARTMENTS } from '../shared/contract';
import { HubError } from '../shared/errors';
import { addDays, startOfDay } from '../shared/time';
import { forbidden } from './access';
import { API, enumParam, pageParams, param, viewerOf } from './params';
import { logRead } from './readLog';

/** 审计日志 for 人社: who published what and who read what (newest first), and whether the chain holds. */
const ACTORS = [...Object.keys(DEPARTMENTS), 'operator'] as AuditActor[];

function dayParam(req: Request, name: string): string | undefined {
  const raw = param(req, name);
  if (raw === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new HubError('BAD_REQUEST', `查询参数 ${name} 应为日期（如 2026-11-25），实际为“${raw}”`, { parameter: name });
  }
  return raw;
}

export function auditRoutes(app: Express, db: Knex): void {
  app.get(`${API}/audit`, async (req: Request, res: Response) => {
    const viewer = viewerOf(res);
    if (viewer !== 'hrss') throw forbidden(viewer, '查看审计日志');
    const from = dayParam(req, 'from');
    const to = dayParam(req, 'to');
    const page = pageParams(req);
    const actor = enumParam(req, 'actor', ACTORS, undefined);
    const action = enumParam(req, 'action', AUDIT_ACTIONS, undefined);
    const { total, entries } = await listAudit(db, {
      actor,
      action,
      // Days are Beijing days: to=2026-11-25 includes that whole day.
      from: from ? new Date(startOfDay(from)) : undefined,
      to: to ? new Date(Date.parse(startOfDay(addDays(to, 1))) - 1) : undefined,
      ...page,
    });
    await logRead(db, res, 'READ_AUDIT', 'audit_log', { filter: { actor, action, from, to } });
    res.json({ total, limit: page.limit, offset: page.offset, entries });
  });

  app.get(`${API}/audit/verify`, async (_req: Request, res: Response) => {
    const viewer = viewerOf(res);
    if (viewer !== 'hrss') throw forbidden(viewer, '核验审计日志');
    const v = await verifyAudit(db);
    res.json({ intact: v.problems.length === 0, checked: v.checked, head: v.head, problems: v.problems });
  });
}
