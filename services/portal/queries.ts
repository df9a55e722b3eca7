import { Knex } from 'knex';
import { DEPARTMENTS, Department } from '../shared/contract';
import { HubError } from '../shared/errors';
import {
  PROBLEM_LABELS,
  ProblemRule,
  ALERT_CLOSE_REASON_LABELS,
  ITEM_STATUS_LABELS,
  NOTICE_KIND_LABELS,
  RECOMMENDATION_KIND_LABELS,
  RECOMMENDATION_STATUS_LABELS,
  RULE_LABELS,
  RecommendationKind,
  RecommendationStatus,
  RuleId,
  SEVERITY_LABELS,
  Severity,
} from '../shared/catalog';
import { PROFILE_WINDOW_DAYS, Scope, alertScope, forbidden, recommendationScope, seesEveryFact } from './access';
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
  closeReasonLabel: string | null;
  severity: string;
  severityLabel: string;
  score: number;
  /** Rests on evidence reported after its rule's window (迟报). */
  late: boolean;
  /** The day the hub raised it (openedAt is when the condition began, in event time). */
  raisedOn: string | null;
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

export type RecommendationStatusFilter = 'ACTIVE' | 'OPEN' | 'OVERDUE' | 'RECTIFIED' | 'WITHDRAWN' | 'MERGED' | 'ALL';
export const RECOMMENDATION_STATUS_FILTERS: readonly RecommendationStatusFilter[] = ['ACTIVE', 'OPEN', 'OVERDUE', 'RECTIFIED', 'WITHDRAWN', 'MERGED', 'ALL'];

/** A problem of a recommendation, as the correlator keeps it, with Chinese labels. */
export interface RecommendationItemView {
  rule: string;
  ruleLabel: string;
  department: string;
  departmentName: string;
  issuedAt: string;
  deadline: string;
  status: string;
  statusLabel: string;
  resolvedAt: string | null;
  details: string[];
  evidence: EvidenceByDepartment;
}

export interface RecommendationView {
  recommendationId: string;
  /** 发文字号 given when it was issued (宿工预建〔2026〕3号); null for letters from before. */
  documentNumber: string | null;
  alertId: string;
  rule: RuleId;
  ruleLabel: string;
  kind: string;
  kindLabel: string;
  /** A PRIORITY joint letter of several departments. */
  joint: boolean;
  departments: string[];
  departmentNames: string[];
  issuedAt: string;
  deadline: string | null;
  status: string;
  statusLabel: string;
  closedOn: string | null;
  mergedInto: string | null;
  text: string;
  items: RecommendationItemView[];
  version: number;
  employer: EmployerRef;
  documents: { docx: string; pdf: string };
}

export interface RecommendationQuery {
  /** Where the documents are served (/api/v1/recommendations). */
  basePath: string;
  uscc?: string;
  status: RecommendationStatusFilter;
  limit: number;
  offset: number;
}

export interface NoticeView {
  noticeId: string;
  documentNumber: string | null;
  kind: string;
  kindLabel: string;
  title: string;
  issuedAt: string;
  employers: EmployerRef[];
  evidence: EvidenceByDepartment;
  /** Accidents recorded with the notice after it was issued (not circulated again). */
  joined: EvidenceByDepartment;
  late: boolean;
  version: number;
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

/** Restricts rows to the viewer's scope: `column` is the text[] of departments, `ruleColumn` the rule. */
function applyScope(q: Knex.QueryBuilder, scope: Scope, column: string, ruleColumn?: string): Knex.QueryBuilder {
  if (scope.kind === 'ROUTED') return q.whereRaw(`? = any(${column})`, [scope.department]);
  if (scope.kind === 'RULES') return ruleColumn ? q.whereIn(ruleColumn, [...scope.rules]) : q.whereRaw('false');
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

const departmentName = (d: string): string => DEPARTMENTS[d as Department] ?? d;

function itemViews(items: unknown): RecommendationItemView[] {
  type Item = { rule: string; department: string; issuedAt: string; deadline: string; status: string; resolvedAt: string | null; details?: string[]; evidence?: unknown };
  const list = ((typeof items === 'string' ? JSON.parse(items) : items) ?? []) as Item[];
  return list.map((i) => ({
    rule: i.rule,
    ruleLabel: PROBLEM_LABELS[i.rule as ProblemRule] ?? '其他问题',
    department: i.department,
    departmentName: departmentName(i.department),
    issuedAt: i.issuedAt,
    deadline: i.deadline,
    status: i.status,
    statusLabel: ITEM_STATUS_LABELS[i.status as keyof typeof ITEM_STATUS_LABELS] ?? i.status,
    resolvedAt: i.resolvedAt ?? null,
    details: i.details ?? [],
    evidence: groupEvidence(i.evidence ?? []),
  }));
}

function alertRowToView(r: Record<string, any>): AlertView { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    alertId: r.alert_id,
    rule: r.rule,
    ruleLabel: RULE_LABELS[r.rule as RuleId] ?? r.rule,
    status: r.status,
    closeReason: r.close_reason,
    closeReasonLabel: r.close_reason ? (ALERT_CLOSE_REASON_LABELS[r.close_reason as keyof typeof ALERT_CLOSE_REASON_LABELS] ?? null) : null,
    severity: r.severity,
    severityLabel: SEVERITY_LABELS[r.severity as Severity] ?? r.severity,
    score: Number(r.score),
    late: !!r.late,
    raisedOn: r.raised_on_day ?? null,
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
  base = applyScope(base, scope, 'a.routed_to', 'a.rule');
  // SUPERSEDED alerts were replaced by a newer id for the same episode: noise unless asked for.
  if (q.status === 'OPEN') base = base.where('a.status', 'OPEN');
  else if (q.status === 'CLOSED') base = base.where('a.status', 'CLOSED').whereRaw(`a.close_reason is distinct from 'SUPERSEDED'`);
  else if (q.status === 'ALL') base = base.whereRaw(`a.close_reason is distinct from 'SUPERSEDED'`);
  else base = base.where('a.close_reason', 'SUPERSEDED');
  if (q.rule) base = base.where('a.rule', q.rule);
  if (q.uscc) base = applyEmployer(base, db, 'a.employer_key', q.uscc);

  const [{ n }] = await base.clone().count({ n: '*' });
  const rows = await base
    .select('a.*', db.raw(`${day('a.raised_on')} as raised_on_day`), 'e.uscc', 'e.name', 'e.region_code')
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
      db.raw(`${day('r.closed_on')} as closed_on`),
      'r.status',
      'r.text',
      'r.version',
      'r.document_number',
      'r.joint',
      'r.items',
      'r.merged_into',
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
      documentNumber: r.document_number ?? null,
      alertId: r.alert_id,
      rule: r.rule,
      ruleLabel: RULE_LABELS[r.rule as RuleId] ?? '其他问题',
      kind: r.kind,
      kindLabel: RECOMMENDATION_KIND_LABELS[r.kind as RecommendationKind] ?? '整改建议',
      joint: !!r.joint,
      departments: r.departments ?? [],
      departmentNames: (r.departments ?? []).map(departmentName),
      issuedAt: r.issued_at,
      deadline: r.deadline,
      status: r.status,
      statusLabel: RECOMMENDATION_STATUS_LABELS[r.status as RecommendationStatus] ?? r.status,
      closedOn: r.closed_on ?? null,
      mergedInto: r.merged_into ?? null,
      text: r.text,
      items: itemViews(r.items),
      version: Number(r.version),
      employer: employerRef(r.employer_key, r),
      documents: { docx: `${q.basePath}/${r.recommendation_id}.docx`, pdf: `${q.basePath}/${r.recommendation_id}.pdf` },
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
/** Notices, newest first, a page at a time (a province circulates more every week). */
export async function listNotices(db: Knex, basePath: string, page: { limit: number; offset: number }): Promise<{ total: number; notices: NoticeView[] }> {
  const [{ n }] = await db('notice').count<{ n: string }[]>('* as n');
  const rows = await db('notice')
    .select('notice_id', 'document_number', 'kind', 'title', db.raw(`${day('issued_at')} as issued_at`), 'employers', 'evidence', 'joined', 'late', 'version', 'body')
    .orderBy([{ column: 'issued_at', order: 'desc' }, { column: 'notice_id' }])
    .limit(page.limit)
    .offset(page.offset);
  const refs = await employerRefs(db, rows.flatMap((r) => r.employers ?? []));
  const notices = rows.map((r) => ({
    noticeId: r.notice_id,
    documentNumber: r.document_number ?? null,
    kind: r.kind,
    kindLabel: NOTICE_KIND_LABELS[r.kind as keyof typeof NOTICE_KIND_LABELS] ?? '通报',
    title: r.title,
    issuedAt: r.issued_at,
    employers: (r.employers ?? []).map((k: string) => refs.get(k)!),
    evidence: groupEvidence(r.evidence),
    joined: groupEvidence(r.joined ?? []),
    late: !!r.late,
    version: Number(r.version),
    body: r.body,
    documents: { docx: `${basePath}/${r.notice_id}.docx`, pdf: `${basePath}/${r.notice_id}.pdf` },
  }));
  return { total: Number(n), notices };
}

/** The canonical key behind a USCC, a name key or any linked raw key; null when unknown. */
export async function resolveEmployerKey(db: Knex, key: string): Promise<string | null> {
  const alias = await db('employer_alias').where('raw_key', key).first('canonical_key');
  if (alias) return alias.canonical_key;
  const byUscc = await db('employer').where('uscc', key).orWhere('employer_key', key).first('employer_key');
  return byUscc?.employer_key ?? null;
}

/**
 * Does the department work on this employer: an alert (not superseded) or a recommendation of
 * it routed to the department, open or closed within the profile window?
 */
export async function hasRoutedWork(db: Knex, canonical: string, viewer: Department): Promise<boolean> {
  const { rows } = await db.raw(
    `select exists (
       select 1 from alert a
       where a.employer_key = ? and ? = any(a.routed_to) and a.close_reason is distinct from 'SUPERSEDED'
         and (a.status = 'OPEN' or a.closed_at > now() - make_interval(days => ?))
     ) or exists (
       select 1 from recommendation r
       where r.employer_key = ? and ? = any(r.departments)
         and (r.status in ('OPEN', 'OVERDUE') or coalesce(r.closed_on, r.deadline, r.issued_at) > current_date - ?::int)
     ) as routed`,
    [canonical, viewer, PROFILE_WINDOW_DAYS, canonical, viewer, PROFILE_WINDOW_DAYS],
  );
  return !!rows[0]?.routed;
}

export async function employerProfile(db: Knex, viewer: Department, key: string, basePath: string): Promise<EmployerProfile> {
  const canonical = await resolveEmployerKey(db, key);
  // Authorisation before existence: a department without routed work gets 403 whether or not
  // the employer is known, so a 404 tells it nothing a 403 hides.
  const every = seesEveryFact(viewer);
  if (!every && !(canonical && (await hasRoutedWork(db, canonical, viewer)))) {
    throw forbidden(viewer, '查看该单位的档案：该单位没有推送给本部门的预警或整改建议（或已关闭超过 365 日）');
  }
  const emp = canonical
    ? await db('employer')
        .where('employer_key', canonical)
        .first('employer_key', 'uscc', 'name', 'region_code', 'industry_code', 'headcount', db.raw(`${day('headcount_as_of')} as headcount_as_of`))
    : undefined;
  if (!canonical || !emp) throw new HubError('NOT_FOUND', `未找到用人单位“${key}”`, { employer: key });
  // Another department sees its own facts only (never another department's diseases, injuries, enrolments).
  const factsOf = () => {
    const q = db('fact as f').join('employer_alias as a', 'a.raw_key', 'f.raw_key').where('a.canonical_key', canonical);
    return every ? q : q.where('f.department', viewer);
  };

  const [aliases, [{ n }], facts, alerts, recommendations] = await Promise.all([
    db('employer_alias').where('canonical_key', canonical).whereNot('raw_key', canonical).orderBy(['linked_at', 'raw_key']),
    factsOf().count({ n: '*' }),
    // Latest first to cap, then put back in time order below.
    factsOf()
      .select('f.department', 'f.event_type', 'f.event_id', 'f.event_time', 'f.payload')
      .orderBy([{ column: 'f.event_time', order: 'desc' }, { column: 'f.event_id', order: 'desc' }])
      .limit(TIMELINE_MAX),
    listAlerts(db, alertScope(viewer), { uscc: canonical, status: 'ALL', limit: 1000, offset: 0 }),
    listRecommendations(db, recommendationScope(viewer), { basePath, uscc: canonical, status: 'ALL', limit: 1000, offset: 0 }),
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
    // The alerts and letters routed to another department rest on every department's evidence;
    // it sees the explanations and its own evidence only (CONTRACT section 3).
    alerts: every ? alerts.items : alerts.items.map((a) => ({ ...a, evidence: ownEvidence(a.evidence, viewer) })),
    recommendations: every
      ? recommendations.items
      : recommendations.items.map((r) => ({ ...r, items: r.items.map((i) => ({ ...i, evidence: ownEvidence(i.evidence, viewer) })) })),
  };
}

/** Only the viewer's own department's part of the evidence. */
export function ownEvidence(evidence: EvidenceByDepartment, viewer: Department): EvidenceByDepartment {
  return evidence[viewer] ? { [viewer]: evidence[viewer] } : {};
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
