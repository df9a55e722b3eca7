import { Knex } from 'knex';
import { Department } from '../shared/contract';
import { HubError } from '../shared/errors';
import { RULE_LABELS, RuleId } from '../shared/catalog';
import { Scope, alertScope, forbidden, profileNeedsRoutedAlert, recommendationScope } from './access';
import { summarizeFact } from './timeline';

/**
 * The portal's read model over the correlator's tables. Every function takes the viewer's
 * scope (access.ts) and returns plain typed objects; the HTTP layer only parses and serialises.
 * Dates are read as text so a server time zone can never shift a calendar day.
 */
export interface EmployerRef {
  employerKey: string;
  uscc: string | null;
  name: string;
  regionCode: string;
}

/** Evidence event ids grouped by the department that published them. */
export type EvidenceByDepartment = Record<string, { eventType: string; eventId: string }[]>;

export type AlertStatusFilter = 'OPEN' | 'CLOSED' | 'ALL' | 'SUPERSEDED';
export const ALERT_STATUS_FILTERS: readonly AlertStatusFilter[] = ['OPEN', 'CLOSED', 'ALL', 'SUPERSEDED'];

export interface AlertView {
  alertId: string;
  rule: RuleId;
  ruleLabel: string;
  status: 'OPEN' | 'CLOSED';
  closeReason: string | null;
  severity: string;
  score: number;
  explanation: string;
  evidence: EvidenceByDepartment;
  routedTo: string[];
  openedAt: string;
  updatedAt: string;
  closedAt: string | null;
  version: number;
  employer: EmployerRef;
}

export interface AlertQuery {
  /** USCC, or any employer key (a name key `N:…` too). */
  uscc?: string;
  rule?: RuleId;
  status: AlertStatusFilter;
  limit: number;
  offset: number;
}

export type RecommendationStatusFilter = 'ACTIVE' | 'OPEN' | 'OVERDUE' | 'RECTIFIED' | 'WITHDRAWN' | 'ALL';
export const RECOMMENDATION_STATUS_FILTERS: readonly RecommendationStatusFilter[] = ['ACTIVE', 'OPEN', 'OVERDUE', 'RECTIFIED', 'WITHDRAWN', 'ALL'];

export interface RecommendationView {
  recommendationId: string;
  alertId: string;
  rule: RuleId;
  ruleLabel: string;
  kind: string;
  departments: string[];
  issuedAt: string;
  deadline: string | null;
  status: string;
  text: string;
  version: number;
  employer: EmployerRef;
}

export interface RecommendationQuery {
  uscc?: string;
  status: RecommendationStatusFilter;
  limit: number;
  offset: number;
}

export interface NoticeView {
  noticeId: string;
  kind: string;
  title: string;
  issuedAt: string;
  employers: EmployerRef[];
  evidence: EvidenceByDepartment;
  body: string;
  documents: { docx: string; pdf: string };
}

export interface TimelineEntry {
  eventType: string;
  department: string;
  eventId: string;
  eventTime: string;
  summary: string;
}

export interface EmployerAlias {
  rawKey: string;
  kind: 'USCC' | 'NAME';
  name: string | null;
  regionCode: string | null;
  confidence: number;
  method: string;
  linkedAt: string;
}

export interface EmployerProfile {
  employerKey: string;
  uscc: string | null;
  name: string;
  regionCode: string;
  industryCode: string | null;
  headcount: number | null;
  headcountAsOf: string | null;
  aliases: EmployerAlias[];
  timeline: TimelineEntry[];
  /** Facts of the employer in all; the timeline holds the latest `TIMELINE_MAX` of them. */
  timelineTotal: number;
  alerts: AlertView[];
  recommendations: RecommendationView[];
}

export interface IdentityReviewView {
  rawKey: string;
  name: string | null;
  regionCode: string | null;
  status: string;
  createdAt: string;
  /** Facts waiting under this name key until a person links it. */
  pendingFacts: number;
  candidates: { employerKey: string; uscc: string | null; name: string; confidence: number | null }[];
}

export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

/** A big employer's enrolment history runs to thousands of rows; the profile shows the latest. */
export const TIMELINE_MAX = 2000;

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());
const day = (col: string) => `to_char(${col}, 'YYYY-MM-DD')`;

/** `N:<region>:<normalised name>` → its parts; USCC keys have none. */
export function parseNameKey(key: string): { regionCode: string; name: string } | null {
  const m = /^N:(\d{6}):(.+)$/.exec(key);
  return m ? { regionCode: m[1], name: m[2] } : null;
}

export function groupEvidence(evidence: unknown): EvidenceByDepartment {
  const list = (typeof evidence === 'string' ? JSON.parse(evidence) : evidence) as { department: string; eventType: string; eventId: string }[];
  const out: EvidenceByDepartment = {};
  for (const e of list ?? []) (out[e.department] ??= []).push({ eventType: e.eventType, eventId: e.eventId });
  return out;
}

export function employerRef(key: string, row: { uscc?: string | null; name?: string | null; region_code?: string | null }): EmployerRef {
  const fromKey = parseNameKey(key);
  return {
    employerKey: key,
    uscc: row.uscc ?? (fromKey ? null : key),
    name: row.name ?? fromKey?.name ?? key,
    regionCode: row.region_code ?? fromKey?.regionCode ?? '',
  };
}

/** Restricts rows of `alias` (with a text[] column) to the viewer's scope. */
function applyScope(q: Knex.QueryBuilder, scope: Scope, column: string): Knex.QueryBuilder {
  if (scope.kind === 'ROUTED') return q.whereRaw(`? = any(${column})`, [scope.department]);
  if (scope.kind === 'NONE') return q.whereRaw('false');
  return q;
}

/** Rows of one employer, asked for by USCC, canonical key or any raw key linked to it. */
function applyEmployer(q: Knex.QueryBuilder, db: Knex, keyColumn: string, key: string): Knex.QueryBuilder {
  return q.where((w) =>
    w
      .where(keyColumn, key)
      .orWhereIn(keyColumn, db('employer_alias').select('canonical_key').where('raw_key', key))
      .orWhereIn(keyColumn, db('employer').select('employer_key').where('uscc', key)),
  );
}

function alertRowToView(r: Record<string, any>): AlertView { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    alertId: r.alert_id,
    rule: r.rule,
    ruleLabel: RULE_LABELS[r.rule as RuleId] ?? r.rule,
    status: r.status,
    closeReason: r.close_reason,
    severity: r.severity,
    score: Number(r.score),
    explanation: r.explanation,
    evidence: groupEvidence(r.evidence),
    routedTo: r.routed_to ?? [],
    openedAt: iso(r.opened_at)!,
    updatedAt: iso(r.updated_at)!,
    closedAt: iso(r.closed_at),
    version: Number(r.version),
    employer: employerRef(r.employer_key, r),
  };
}

export async function listAlerts(db: Knex, scope: Scope, q: AlertQuery): Promise<Page<AlertView>> {
  let base = db('alert as a').leftJoin('employer as e', 'e.employer_key', 'a.employer_key');
  base = applyScope(base, scope, 'a.routed_to');
  // SUPERSEDED alerts were replaced by a newer id for the same episode: noise unless asked for.
  if (q.status === 'OPEN') base = base.where('a.status', 'OPEN');
  else if (q.status === 'CLOSED') base = base.where('a.status', 'CLOSED').whereRaw(`a.close_reason is distinct from 'SUPERSEDED'`);
  else if (q.status === 'ALL') base = base.whereRaw(`a.close_reason is distinct from 'SUPERSEDED'`);
  else base = base.where('a.close_reason', 'SUPERSEDED');
  if (q.rule) base = base.where('a.rule', q.rule);
  if (q.uscc) base = applyEmployer(base, db, 'a.employer_key', q.uscc);

  const [{ n }] = await base.clone().count({ n: '*' });
  const rows = await base
    .select('a.*', 'e.uscc', 'e.name', 'e.region_code')
    .orderBy([{ column: 'a.score', order: 'desc' }, { column: 'a.updated_at', order: 'desc' }, { column: 'a.alert_id' }])
    .limit(q.limit)
    .offset(q.offset);
  return { total: Number(n), limit: q.limit, offset: q.offset, items: rows.map(alertRowToView) };
}

export async function listRecommendations(db: Knex, scope: Scope, q: RecommendationQuery): Promise<Page<RecommendationView>> {
  let base = db('recommendation as r').leftJoin('employer as e', 'e.employer_key', 'r.employer_key');
  base = applyScope(base, scope, 'r.departments');
  if (q.status === 'ACTIVE') base = base.whereIn('r.status', ['OPEN', 'OVERDUE']);
  else if (q.status !== 'ALL') base = base.where('r.status', q.status);
  if (q.uscc) base = applyEmployer(base, db, 'r.employer_key', q.uscc);

  const [{ n }] = await base.clone().count({ n: '*' });
  const rows = await base
    .select(
      'r.recommendation_id',
      'r.alert_id',
      'r.employer_key',
      'r.rule',
      'r.kind',
      'r.departments',
      db.raw(`${day('r.issued_at')} as issued_at`),
      db.raw(`${day('r.deadline')} as deadline`),
      'r.status',
      'r.text',
      'r.version',
      'e.uscc',
      'e.name',
      'e.region_code',
    )
    // Nearest deadline first: that is what a department works through.
    .orderByRaw('r.deadline asc nulls last, r.issued_at desc, r.recommendation_id')
    .limit(q.limit)
    .offset(q.offset);
  return {
    total: Number(n),
    limit: q.limit,
    offset: q.offset,
    items: rows.map((r) => ({
      recommendationId: r.recommendation_id,
      alertId: r.alert_id,
      rule: r.rule,
      ruleLabel: RULE_LABELS[r.rule as RuleId] ?? r.rule,
      kind: r.kind,
      departments: r.departments ?? [],
      issuedAt: r.issued_at,
      deadline: r.deadline,
      status: r.status,
      text: r.text,
      version: Number(r.version),
      employer: employerRef(r.employer_key, r),
    })),
  };
}

async function employerRefs(db: Knex, keys: string[]): Promise<Map<string, EmployerRef>> {
  const unique = [...new Set(keys)];
  const rows = unique.length ? await db('employer').whereRaw('employer_key = any(?::text[])', [unique]).select('employer_key', 'uscc', 'name', 'region_code') : [];
  const byKey = new Map(rows.map((r) => [r.employer_key as string, r]));
  return new Map(unique.map((k) => [k, employerRef(k, byKey.get(k) ?? {})]));
}

/** Notices are circulated to every department (access.ts noticeScope), so there is no scope here. */
export async function listNotices(db: Knex, basePath: string): Promise<NoticeView[]> {
  const rows = await db('notice')
    .select('notice_id', 'kind', 'title', db.raw(`${day('issued_at')} as issued_at`), 'employers', 'evidence', 'body')
    .orderBy([{ column: 'issued_at', order: 'desc' }, { column: 'notice_id' }]);
  const refs = await employerRefs(db, rows.flatMap((r) => r.employers ?? []));
  return rows.map((r) => ({
    noticeId: r.notice_id,
    kind: r.kind,
    title: r.title,
    issuedAt: r.issued_at,
    employers: (r.employers ?? []).map((k: string) => refs.get(k)!),
    evidence: groupEvidence(r.evidence),
    body: r.body,
    documents: { docx: `${basePath}/${r.notice_id}.docx`, pdf: `${basePath}/${r.notice_id}.pdf` },
  }));
}

export interface NoticeRow {
  noticeId: string;
  kind: string;
  title: string;
  issuedAt: string;
  employers: string[];
  body: string;
}

export async function findNotice(db: Knex, noticeId: string): Promise<NoticeRow> {
  const r = await db('notice').where('notice_id', noticeId).first('notice_id', 'kind', 'title', db.raw(`${day('issued_at')} as issued_at`), 'employers', 'body');
  if (!r) throw new HubError('NOT_FOUND', `未找到通报“${noticeId}”`, { noticeId });
  return { noticeId: r.notice_id, kind: r.kind, title: r.title, issuedAt: r.issued_at, employers: r.employers ?? [], body: r.body };
}

/** 1-based place of a notice among the notices of its year, in (issued_at, notice_id) order. */
export async function noticeSequence(db: Knex, notice: NoticeRow): Promise<number> {
  const [{ n }] = await db('notice')
    .whereRaw(`extract(year from issued_at) = ?`, [Number(notice.issuedAt.slice(0, 4))])
    .whereRaw(`(issued_at, notice_id) <= (?::date, ?)`, [notice.issuedAt, notice.noticeId])
    .count({ n: '*' });
  return Number(n);
}

/** The canonical key behind a USCC, a name key or any linked raw key; null when unknown. */
export async function resolveEmployerKey(db: Knex, key: string): Promise<string | null> {
  const alias = await db('employer_alias').where('raw_key', key).first('canonical_key');
  if (alias) return alias.canonical_key;
  const byUscc = await db('employer').where('uscc', key).orWhere('employer_key', key).first('employer_key');
  return byUscc?.employer_key ?? null;
}

export async function employerProfile(db: Knex, viewer: Department, key: string): Promise<EmployerProfile> {
  const canonical = await resolveEmployerKey(db, key);
  const emp = canonical
    ? await db('employer')
        .where('employer_key', canonical)
        .first('employer_key', 'uscc', 'name', 'region_code', 'industry_code', 'headcount', db.raw(`${day('headcount_as_of')} as headcount_as_of`))
    : undefined;
  if (!canonical || !emp) throw new HubError('NOT_FOUND', `未找到用人单位“${key}”`, { employer: key });

  if (profileNeedsRoutedAlert(viewer)) {
    const routed = await db('alert')
      .where('employer_key', canonical)
      .whereRaw('? = any(routed_to)', [viewer])
      .whereRaw(`close_reason is distinct from 'SUPERSEDED'`)
      .first('alert_id');
    if (!routed) throw forbidden(viewer, '查看该单位的档案：该单位没有推送给本部门的预警');
  }

  const [aliases, [{ n }], facts, alerts, recommendations] = await Promise.all([
    db('employer_alias').where('canonical_key', canonical).whereNot('raw_key', canonical).orderBy(['linked_at', 'raw_key']),
    db('fact as f').join('employer_alias as a', 'a.raw_key', 'f.raw_key').where('a.canonical_key', canonical).count({ n: '*' }),
    // Latest first to cap, then put back in time order below.
    db('fact as f')
      .join('employer_alias as a', 'a.raw_key', 'f.raw_key')
      .where('a.canonical_key', canonical)
      .select('f.department', 'f.event_type', 'f.event_id', 'f.event_time', 'f.payload')
      .orderBy([{ column: 'f.event_time', order: 'desc' }, { column: 'f.event_id', order: 'desc' }])
      .limit(TIMELINE_MAX),
    listAlerts(db, alertScope(viewer), { uscc: canonical, status: 'ALL', limit: 1000, offset: 0 }),
    listRecommendations(db, recommendationScope(viewer), { uscc: canonical, status: 'ALL', limit: 1000, offset: 0 }),
  ]);

  return {
    employerKey: emp.employer_key,
    uscc: emp.uscc,
    name: emp.name,
    regionCode: emp.region_code,
    industryCode: emp.industry_code,
    headcount: emp.headcount === null ? null : Number(emp.headcount),
    headcountAsOf: emp.headcount_as_of,
    aliases: aliases.map((a) => {
      const nk = parseNameKey(a.raw_key);
      return {
        rawKey: a.raw_key,
        kind: nk ? 'NAME' : 'USCC',
        name: nk?.name ?? null,
        regionCode: nk?.regionCode ?? null,
        confidence: Number(a.confidence),
        method: a.method,
        linkedAt: iso(a.linked_at)!,
      };
    }),
    timeline: facts.reverse().map((f) => ({
      eventType: f.event_type,
      department: f.department,
      eventId: f.event_id,
      eventTime: iso(f.event_time)!,
      summary: summarizeFact(f.event_type, typeof f.payload === 'string' ? JSON.parse(f.payload) : f.payload),
    })),
    timelineTotal: Number(n),
    alerts: alerts.items,
    recommendations: recommendations.items,
  };
}

export async function listIdentityReviews(db: Knex, status: string): Promise<IdentityReviewView[]> {
  const rows: { raw_key: string; candidates: unknown; status: string; created_at: Date; pending_facts: number }[] = await db('identity_review as r')
    .modify((q) => {
      if (status !== 'ALL') q.where('r.status', status);
    })
    .select('r.raw_key', 'r.candidates', 'r.status', 'r.created_at', db.raw('(select count(*) from fact f where f.raw_key = r.raw_key)::int as pending_facts'))
    .orderBy([{ column: 'r.created_at' }, { column: 'r.raw_key' }]);
  type Cand = { employerKey: string; name?: string; confidence?: number };
  const parsed = rows.map((r) => ({ ...r, candidates: (typeof r.candidates === 'string' ? JSON.parse(r.candidates) : r.candidates) as Cand[] }));
  const refs = await employerRefs(db, parsed.flatMap((r) => r.candidates.map((c) => c.employerKey)));
  return parsed.map((r) => {
    const nk = parseNameKey(r.raw_key);
    return {
      rawKey: r.raw_key,
      name: nk?.name ?? null,
      regionCode: nk?.regionCode ?? null,
      status: r.status,
      createdAt: iso(r.created_at)!,
      pendingFacts: Number(r.pending_facts),
      candidates: r.candidates.map((c) => {
        const ref = refs.get(c.employerKey)!;
        return { employerKey: c.employerKey, uscc: ref.uscc, name: c.name ?? ref.name, confidence: c.confidence ?? null };
      }),
    };
  });
}
