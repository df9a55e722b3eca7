import { Express, Request, Response } from 'express';
import { Knex } from 'knex';
import { FEED_ISSUE_KIND_LABELS, FeedIssueKind } from '../shared/catalog';
import { DEPARTMENTS, Department } from '../shared/contract';
import { redactPersonalData } from '../shared/privacy';
import { forbidden } from './access';
import { API, enumParam, pageParams, viewerOf } from './params';
import { EmployerRef, employerRef } from './queries';

/**
 * The quality of the feeds (CONTRACT.md section 4: late reports are never silently dropped):
 * late reports (迟报) and re-checks not taken, with the correlator's reason. 人社 reads every
 * department's; another department reads its own only.
 */
export interface FeedIssueView {
  department: string;
  departmentName: string;
  eventType: string;
  eventId: string;
  kind: FeedIssueKind;
  kindLabel: string;
  reason: string;
  employer: EmployerRef;
  detectedAt: string;
}

const KINDS = Object.keys(FEED_ISSUE_KIND_LABELS) as FeedIssueKind[];
const DEPARTMENT_CODES = Object.keys(DEPARTMENTS) as Department[];

export async function listFeedIssues(
  db: Knex,
  q: { department?: Department; kind?: FeedIssueKind; limit: number; offset: number },
): Promise<{ total: number; items: FeedIssueView[] }> {
  let base = db('feed_issue as i').leftJoin('employer as e', 'e.employer_key', 'i.employer_key');
  if (q.department) base = base.where('i.department', q.department);
  if (q.kind) base = base.where('i.kind', q.kind);
  const [{ n }] = await base.clone().count({ n: '*' });
  const rows = await base
    .select('i.*', 'e.uscc', 'e.name', 'e.region_code')
    .orderBy([{ column: 'i.detected_at', order: 'desc' }, { column: 'i.department' }, { column: 'i.event_type' }, { column: 'i.event_id' }, { column: 'i.kind' }])
    .limit(q.limit)
    .offset(q.offset);
  return {
    total: Number(n),
    items: rows.map((r) => ({
      department: r.department,
      departmentName: DEPARTMENTS[r.department as Department] ?? r.department,
      eventType: r.event_type,
      eventId: r.event_id,
      kind: r.kind,
      kindLabel: FEED_ISSUE_KIND_LABELS[r.kind as FeedIssueKind] ?? '数据质量问题',
      reason: r.reason,
      employer: employerRef(r.employer_key, r),
      detectedAt: new Date(r.detected_at).toISOString(),
    })),
  };
}

export function feedIssueRoutes(app: Express, db: Knex): void {
  app.get(`${API}/feed-issues`, async (req: Request, res: Response) => {
    const viewer = viewerOf(res);
    const asked = enumParam(req, 'department', DEPARTMENT_CODES, undefined);
    if (viewer !== 'hrss' && asked && asked !== viewer) throw forbidden(viewer, `查看${DEPARTMENTS[asked]}的数据质量问题`);
    const page = pageParams(req);
    const { total, items } = await listFeedIssues(db, {
      department: viewer === 'hrss' ? asked : viewer,
      kind: enumParam(req, 'kind', KINDS, undefined),
      ...page,
    });
    res.json(redactPersonalData({ total, limit: page.limit, offset: page.offset, issues: items }));
  });
}
