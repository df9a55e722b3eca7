import { Knex } from 'knex';
import { DEPARTMENTS, Department } from '../shared/contract';
import { PROBLEM_LABELS, PROBLEM_RULES, PROBLEM_WORDING, ProblemRule, RULE_LABELS, RuleId } from '../shared/catalog';
import { HubError } from '../shared/errors';
import { redactText } from '../shared/privacy';
import type { RegionConfig } from '../shared/regionConfig';
import { cnDate, dayOf } from '../shared/time';
import { ProblemFinding, ProblemSection, RecommendationDocument } from './model';

/**
 * A recommendation as the correlator stored it → the 限期整改建议书 to render. Every problem
 * (item) is listed with the finding in specifics as the correlator wrote it, grouped by problem
 * rule; a problem added after the letter was issued says so and gives its own deadline; a
 * resolved one is marked 已整改 / 已消除 with its date; evidence reported late says so (迟报).
 * The 发文字号 is the one the correlator gave the letter when it was issued.
 */
export interface StoredItem {
  rule: string;
  department: string;
  key: string;
  issuedAt: string;
  deadline: string;
  status: 'OPEN' | 'RECTIFIED' | 'ENDED';
  resolvedAt: string | null;
  details: string[];
  evidence: { department: string; eventType: string; eventId: string }[];
}

/** Evidence the correlator found reported after its rule's window (feed_issue LATE_REPORT). */
export interface LateEvidence {
  eventType: string;
  department: string;
  day: string; // when it happened
  reportedDay: string; // when the hub first received it
}

export interface RecommendationSource {
  recommendationId: string;
  documentNumber: string | null;
  rule: string;
  departments: Department[];
  issuedAt: string;
  deadline: string | null;
  text: string;
  items: StoredItem[];
  employer: { name: string; uscc: string | null };
  /** Letters from before items were kept: the explanation of the alert they were issued on. */
  alertExplanation: string | null;
  late: Map<string, LateEvidence>;
}

/** Shown in place of a number the letter never got (issued before the correlator numbered letters). */
export const NO_NUMBER = '（文号待定）';

const PROBLEM_ORDER = PROBLEM_RULES;
const evidenceKey = (e: { department: string; eventType: string; eventId: string }) => `${e.department}|${e.eventType}|${e.eventId}`;

const LATE_WHAT: Record<string, string> = { accident: '事故', injury: '工伤', disease: '职业病诊断' };

function lateNote(late: LateEvidence[]): string | null {
  if (!late.length) return null;
  const parts = late
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
    .map((l) => `${DEPARTMENTS[l.department as Department] ?? l.department}报送的${cnDate(l.day)}${LATE_WHAT[l.eventType] ?? '事项'}于${cnDate(l.reportedDay)}方才报送`);
  return `迟报：${[...new Set(parts)].join('，')}，超过规定报送时限，仍予列入`;
}

function finding(item: StoredItem, source: RecommendationSource): ProblemFinding {
  const notes: string[] = [];
  if (item.issuedAt !== source.issuedAt || (source.deadline && item.deadline !== source.deadline)) {
    notes.push(item.issuedAt !== source.issuedAt ? `${cnDate(item.issuedAt)}补充列入，整改期限为${cnDate(item.deadline)}` : `整改期限为${cnDate(item.deadline)}`);
  }
  const late = lateNote(item.evidence.map((e) => source.late.get(evidenceKey(e))).filter((l): l is LateEvidence => !!l));
  if (late) notes.push(late);
  if (item.status === 'RECTIFIED') notes.push(`已整改，${cnDate(item.resolvedAt ?? source.issuedAt)}`);
  if (item.status === 'ENDED') notes.push(`已消除，${cnDate(item.resolvedAt ?? source.issuedAt)}`);
  return { details: item.details.map((d) => redactText(d)), notes, resolved: item.status !== 'OPEN' };
}

function sections(source: RecommendationSource): ProblemSection[] {
  if (!source.items.length) {
    // A letter from before problems were itemised: its alert's explanation is the finding.
    const rule = source.rule in PROBLEM_WORDING ? (source.rule as ProblemRule) : null;
    const text = source.alertExplanation ?? source.text;
    return [
      {
        rule,
        label: RULE_LABELS[source.rule as RuleId] ?? '有关问题',
        department: source.departments.map((d) => DEPARTMENTS[d]).join('、'),
        findings: [{ details: text.split(/\n+/).map((t) => redactText(t.trim())).filter(Boolean), notes: [], resolved: false }],
        requirements: rule ? PROBLEM_WORDING[rule].requirements : source.text.split('；').map((t) => t.trim()).filter(Boolean),
        legalBasis: rule ? PROBLEM_WORDING[rule].legalBasis : [],
      },
    ];
  }
  const out: ProblemSection[] = [];
  for (const rule of PROBLEM_ORDER) {
    const items = source.items.filter((i) => i.rule === rule);
    // A rule whose problems two departments act on (projects of 住建 and 交通) gets one section each.
    for (const dept of [...new Set(items.map((i) => i.department))]) {
      const mine = items.filter((i) => i.department === dept);
      out.push({
        rule,
        label: PROBLEM_LABELS[rule],
        department: DEPARTMENTS[dept as Department] ?? dept,
        findings: mine.map((i) => finding(i, source)),
        requirements: PROBLEM_WORDING[rule].requirements,
        legalBasis: PROBLEM_WORDING[rule].legalBasis,
      });
    }
  }
  return out;
}

/** 职业病危害因素超标 / A和B / A、B等: the problems a title names. */
function subjects(problems: ProblemSection[]): string {
  const names = [...new Set(problems.map((p) => (p.rule ? PROBLEM_WORDING[p.rule].subject : p.label)))];
  if (names.length <= 1) return names[0] ?? '有关';
  if (names.length === 2) return `${names[0]}和${names[1]}`;
  return `${names[0]}、${names[1]}等`;
}

export function toRecommendationDocument(source: RecommendationSource, region: RegionConfig): RecommendationDocument {
  const departments = source.departments.length ? source.departments : (['hrss'] as Department[]);
  const problems = sections(source);
  const name = redactText(source.employer.name);
  return {
    recommendationId: source.recommendationId,
    documentNumber: source.documentNumber ?? NO_NUMBER,
    issuingOrgans: departments.map((d) => region.organs[d]),
    recipient: name,
    uscc: source.employer.uscc,
    title: `关于${name}限期整改${subjects(problems)}问题的建议书`,
    problems,
    deadline: source.deadline,
    laterDeadlines: source.items.some((i) => i.status === 'OPEN' && !!source.deadline && i.deadline !== source.deadline),
    issuedAt: source.issuedAt,
    // 人社 keeps the weekly list and the insurance side of every case: it is copied when it does not sign.
    copyTo: departments.includes('hrss') ? [] : [region.organs.hrss],
  };
}

const day = (col: string) => `to_char(${col}, 'YYYY-MM-DD')`;

/** Reads a recommendation with its employer, the number it was given and its late evidence. */
export async function loadRecommendation(db: Knex, id: string): Promise<RecommendationSource> {
  const r = await db('recommendation as r')
    .leftJoin('employer as e', 'e.employer_key', 'r.employer_key')
    .leftJoin('alert as a', 'a.alert_id', 'r.alert_id')
    // Letters numbered by the reporter before the correlator numbered them keep that number.
    .leftJoin('document as d', 'd.document_id', db.raw(`'RECOMMENDATION:' || r.recommendation_id`))
    .where('r.recommendation_id', id)
    .first(
      'r.recommendation_id',
      'r.rule',
      'r.departments',
      db.raw(`${day('r.issued_at')} as issued_at`),
      db.raw(`${day('r.deadline')} as deadline`),
      'r.text',
      'r.items',
      'r.employer_key',
      db.raw('coalesce(r.document_number, d.document_number) as document_number'),
      'a.explanation',
      'e.uscc',
      'e.name',
    );
  if (!r) throw new HubError('NOT_FOUND', `未找到该整改建议`, { recommendationId: id });
  const items: StoredItem[] = (typeof r.items === 'string' ? JSON.parse(r.items) : r.items) ?? [];
  const refs = items.flatMap((i) => i.evidence ?? []);
  const late = new Map<string, LateEvidence>();
  if (refs.length) {
    const { rows } = await db.raw(
      `select i.department, i.event_type, i.event_id, f.event_time, coalesce(f.payload->>'firstIngestedAt', f.payload->>'ingestedAt') as reported
       from feed_issue i
       join fact f on f.department = i.department and f.event_type = i.event_type and f.event_id = i.event_id
       where i.kind = 'LATE_REPORT' and (i.department || '|' || i.event_type || '|' || i.event_id) = any(?::text[])`,
      [refs.map(evidenceKey)],
    );
    for (const l of rows) {
      const happened = dayOf(new Date(l.event_time).toISOString());
      late.set(evidenceKey({ department: l.department, eventType: l.event_type, eventId: l.event_id }), {
        department: l.department,
        eventType: l.event_type,
        day: happened,
        reportedDay: l.reported ? dayOf(String(l.reported)) : happened,
      });
    }
  }
  return {
    recommendationId: r.recommendation_id,
    documentNumber: r.document_number ?? null,
    rule: r.rule,
    departments: r.departments ?? [],
    issuedAt: r.issued_at,
    deadline: r.deadline,
    text: r.text,
    items,
    employer: { name: r.name ?? r.employer_key, uscc: r.uscc ?? null },
    alertExplanation: r.explanation ?? null,
    late,
  };
}
