import crypto from 'node:crypto';
import { Knex } from 'knex';
import stringify from 'safe-stable-stringify';
import { PROBLEM_WORDING, ProblemRule, recommendationKindOf } from '../shared/catalog';
import { RegionConfig } from '../shared/regionConfig';
import { shanghaiDay } from '../shared/time';
import { EmployerFacts, Fact } from './facts';
import { AlertRecord, History } from './history';
import { RecState } from './recommendations';
import { takeDocumentNumbers } from './numbers';

/**
 * An employer's history → the alert and recommendation tables, with an outbox row for each one
 * that opened, changed or closed. "Changed" means its content (evidence, severity, explanation,
 * status …, never the employer's name as another department spells it) differs from what was
 * last published, compared as a hash of the canonical message; a re-evaluation that changes
 * nothing writes nothing and publishes nothing.
 */
type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const evidenceRef = (f: Fact) => ({ department: f.department, eventType: f.eventType, eventId: f.eventId });
function evidenceList(facts: Fact[]) {
  const refs = new Map(facts.map((f) => [`${f.department}|${f.eventType}|${f.eventId}`, evidenceRef(f)]));
  return [...refs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
}
const hashOf = (content: unknown) => crypto.createHash('sha256').update(stringify(content) ?? '').digest('hex');

interface EmployerHeader {
  employerKey: string;
  uscc: string | null;
  employerName: string;
  regionCode: string;
}
const headerOf = (emp: Omit<EmployerFacts, 'facts'>): EmployerHeader => ({ employerKey: emp.employerKey, uscc: emp.uscc, employerName: emp.name, regionCode: emp.regionCode });

/** What whp.alert.v1 carries, without the version and the employer's header. */
function alertContent(a: AlertRecord) {
  const f = a.finding;
  const latest = f.evidence.reduce((m, e) => (e.eventTime > m ? e.eventTime : m), a.openedAt);
  return {
    alertId: a.alertId,
    rule: a.rule,
    status: a.status,
    severity: f.severity,
    score: f.score,
    explanation: f.explanation,
    evidence: evidenceList(f.evidence),
    routedTo: f.routedTo,
    openedAt: a.openedAt,
    updatedAt: new Date(latest).toISOString(),
    closedAt: a.closedAt,
    late: f.late,
    closeReason: a.closeReason,
  };
}

/** What a recommendation asks, in the words of the catalogue, for the rules it lists. */
export function recommendationText(rec: RecState): string {
  const rules = [...new Set(rec.items.map((i) => i.rule))] as ProblemRule[];
  return rules.flatMap((r) => PROBLEM_WORDING[r].requirements).join('；') + '。整改完成后请向主送部门申请复查。';
}

function recommendationContent(rec: RecState) {
  const primary = rec.joint ? 'PRIORITY' : rec.items[0]?.rule ?? 'PRIORITY';
  return {
    recommendationId: rec.id,
    alertId: rec.alertId ?? '',
    rule: primary,
    kind: recommendationKindOf(rec.departments),
    departments: rec.departments,
    issuedAt: rec.issuedOn,
    deadline: rec.deadline,
    status: rec.status,
    text: recommendationText(rec),
    joint: rec.joint,
    items: rec.items.map((i) => ({
      rule: i.rule,
      department: i.department,
      key: i.key,
      issuedAt: i.issuedOn,
      deadline: i.deadline,
      status: i.status,
      resolvedAt: i.resolvedOn,
      details: i.details,
      evidence: evidenceList(i.evidence),
    })),
    rechecks: rec.rechecks.map((r) => ({ eventId: r.eventId, department: r.department, result: r.result, verifiedAt: r.verifiedAt })),
    closedAt: rec.closedOn,
    mergedInto: rec.mergedInto,
  };
}

export interface PersistResult {
  changed: number;
}

/** Writes the histories of several employers (already locked by the caller) in a few statements. */
export async function persistHistories(
  trx: Knex.Transaction,
  region: RegionConfig,
  histories: { employer: Omit<EmployerFacts, 'facts'>; history: History }[],
  now: Date,
): Promise<PersistResult> {
  const keys = histories.map((h) => h.employer.employerKey);
  if (!keys.length) return { changed: 0 };
  // One connection per transaction: its queries run one after another.
  const storedAlerts = await trx('alert').whereRaw('employer_key = any(?::text[])', [keys]);
  const storedRecs = await trx('recommendation').whereRaw('employer_key = any(?::text[])', [keys]);
  const alertById = new Map<string, Row>(storedAlerts.map((r: Row) => [r.alert_id, r]));
  const recById = new Map<string, Row>(storedRecs.map((r: Row) => [r.recommendation_id, r]));
  const alertRows: Row[] = [];
  const recRows: Row[] = [];
  const outbox: Row[] = [];
  const fresh: { rec: RecState; row: Row; header: EmployerHeader; content: ReturnType<typeof recommendationContent> }[] = [];
  const seenAlerts = new Set<string>();
  const seenRecs = new Set<string>();
  const nowIso = now.toISOString();

  for (const { employer, history } of histories) {
    const header = headerOf(employer);
    for (const a of history.alerts) {
      seenAlerts.add(a.alertId);
      const content = alertContent(a);
      const hash = hashOf(content);
      const prev = alertById.get(a.alertId);
      if (prev?.content_hash === hash) continue;
      const version = prev ? Number(prev.version) + 1 : 1;
      alertRows.push({
        alert_id: a.alertId,
        employer_key: employer.employerKey,
        rule: a.rule,
        status: a.status,
        close_reason: a.closeReason,
        severity: content.severity,
        score: content.score,
        explanation: content.explanation,
        evidence: JSON.stringify(content.evidence),
        routed_to: content.routedTo,
        opened_at: content.openedAt,
        updated_at: content.updatedAt,
        closed_at: content.closedAt,
        version,
        raised_on: a.raisedOn,
        late: content.late,
        content_hash: hash,
      });
      outbox.push({ topic_type: 'alert', message_key: employer.employerKey, value: JSON.stringify({ ...content, version, ...header }) });
    }
    for (const rec of history.recommendations) {
      seenRecs.add(rec.id);
      const content = recommendationContent(rec);
      const hash = hashOf(content);
      const prev = recById.get(rec.id);
      if (prev?.content_hash === hash) continue;
      const row = {
        recommendation_id: rec.id,
        alert_id: content.alertId,
        employer_key: employer.employerKey,
        rule: content.rule,
        kind: content.kind,
        departments: content.departments,
        issued_at: content.issuedAt,
        deadline: content.deadline,
        status: content.status,
        text: content.text,
        version: prev ? Number(prev.version) + 1 : 1,
        document_number: prev?.document_number ?? null,
        items: JSON.stringify(content.items),
        rechecks: JSON.stringify(content.rechecks),
        joint: content.joint,
        closed_on: content.closedAt,
        merged_into: content.mergedInto,
        content_hash: hash,
      };
      if (!row.document_number) fresh.push({ rec, row, header, content });
      else outbox.push({ topic_type: 'recommendation', message_key: employer.employerKey, value: JSON.stringify(recommendationMessage(row, content, header)) });
      recRows.push(row);
    }
  }

  // Whatever the history no longer holds (identity merged away, data corrected, or an alert a
  // partial view of the past had raised and closed before an older report arrived) is superseded.
  for (const prev of storedAlerts as Row[]) {
    if (seenAlerts.has(prev.alert_id) || prev.close_reason === 'SUPERSEDED') continue;
    const emp = histories.find((h) => h.employer.employerKey === prev.employer_key)!.employer;
    const version = Number(prev.version) + 1;
    const closedAt = prev.closed_at ? new Date(prev.closed_at).toISOString() : nowIso;
    const closed = { ...prev, evidence: JSON.stringify(prev.evidence), status: 'CLOSED', close_reason: 'SUPERSEDED', closed_at: closedAt, version, content_hash: null };
    alertRows.push(closed);
    outbox.push({
      topic_type: 'alert',
      message_key: prev.employer_key,
      value: JSON.stringify({
        alertId: prev.alert_id,
        rule: prev.rule,
        status: 'CLOSED',
        severity: prev.severity,
        score: Number(prev.score),
        explanation: prev.explanation,
        evidence: prev.evidence,
        routedTo: prev.routed_to,
        openedAt: new Date(prev.opened_at).toISOString(),
        updatedAt: new Date(prev.updated_at).toISOString(),
        closedAt,
        late: !!prev.late,
        closeReason: 'SUPERSEDED',
        version,
        ...headerOf(emp),
      }),
    });
  }
  for (const prev of storedRecs as Row[]) {
    if (seenRecs.has(prev.recommendation_id) || prev.content_hash === null) continue;
    if (!['OPEN', 'OVERDUE'].includes(prev.status)) {
      // Closed, and no longer part of the history: kept as it was published, marked as not current.
      recRows.push({ ...prev, items: JSON.stringify(prev.items ?? []), rechecks: JSON.stringify(prev.rechecks ?? []), content_hash: null });
      continue;
    }
    const { employer: emp, history } = histories.find((h) => h.employer.employerKey === prev.employer_key)!;
    // Issued from part of a day's data, then replaced once the rest of that day's data arrived:
    // typically a letter of 人社 that the day's PRIORITY joint letter takes in.
    const successor = history.recommendations.find((r) => (r.status === 'OPEN' || r.status === 'OVERDUE') && (prev.departments as string[]).some((d) => r.departments.includes(d as never)));
    const row = {
      ...prev,
      items: JSON.stringify(prev.items ?? []),
      rechecks: JSON.stringify(prev.rechecks ?? []),
      status: successor ? 'MERGED' : 'WITHDRAWN',
      merged_into: successor?.id ?? null,
      closed_on: shanghaiDay(now),
      version: Number(prev.version) + 1,
      content_hash: null,
    };
    recRows.push(row);
    outbox.push({ topic_type: 'recommendation', message_key: prev.employer_key, value: JSON.stringify(recommendationMessage(row, null, headerOf(emp))) });
  }

  // Newly issued letters get their 发文字号, in the order they were issued.
  fresh.sort((a, b) => (a.rec.issuedOn === b.rec.issuedOn ? (a.rec.id < b.rec.id ? -1 : 1) : a.rec.issuedOn < b.rec.issuedOn ? -1 : 1));
  const byYear = new Map<number, typeof fresh>();
  for (const f of fresh) byYear.set(Number(f.rec.issuedOn.slice(0, 4)), [...(byYear.get(Number(f.rec.issuedOn.slice(0, 4))) ?? []), f]);
  for (const [year, list] of [...byYear.entries()].sort(([a], [b]) => a - b)) {
    const numbers = await takeDocumentNumbers(trx, region.documentPrefix, 'RECOMMENDATION', year, list.length);
    list.forEach((f, i) => {
      f.row.document_number = numbers[i];
      outbox.push({ topic_type: 'recommendation', message_key: f.header.employerKey, value: JSON.stringify(recommendationMessage(f.row, f.content, f.header)) });
    });
  }

  // Closing rows first: one open alert per employer and rule is a unique index, checked row by row.
  alertRows.sort((a, b) => (a.status === b.status ? 0 : a.status === 'CLOSED' ? -1 : 1));
  for (let i = 0; i < alertRows.length; i += 500) {
    await trx('alert').insert(alertRows.slice(i, i + 500)).onConflict(['employer_key', 'alert_id']).merge();
  }
  for (let i = 0; i < recRows.length; i += 500) {
    await trx('recommendation').insert(recRows.slice(i, i + 500)).onConflict(['employer_key', 'recommendation_id']).merge();
  }
  for (let i = 0; i < outbox.length; i += 1000) await trx('outbox').insert(outbox.slice(i, i + 1000));

  // When time alone will next change each history: the sweep looks at no one before that day.
  await trx.raw(
    `update employer e set next_review = v.next_review
       from unnest(?::text[], ?::date[]) as v(employer_key, next_review)
      where e.employer_key = v.employer_key and e.next_review is distinct from v.next_review`,
    [histories.map((h) => h.employer.employerKey), histories.map((h) => h.history.nextChange) as string[]],
  );

  // Feed issues are recomputed with the history: what is listed is what holds now.
  await trx('feed_issue').whereRaw('employer_key = any(?::text[])', [keys]).delete();
  const issues = histories.flatMap(({ employer, history }) =>
    history.feedIssues.map((i) => ({ department: i.department, event_type: i.eventType, event_id: i.eventId, kind: i.kind, employer_key: employer.employerKey, reason: i.reason })),
  );
  for (let i = 0; i < issues.length; i += 1000) {
    await trx('feed_issue').insert(issues.slice(i, i + 1000)).onConflict(['employer_key', 'department', 'event_type', 'event_id', 'kind']).merge();
  }
  return { changed: alertRows.length + recRows.length };
}

/** whp.recommendation.v1, from a stored row (and the content it was computed from, if any). */
function recommendationMessage(row: Row, content: ReturnType<typeof recommendationContent> | null, header: EmployerHeader) {
  const items = content?.items ?? (typeof row.items === 'string' ? JSON.parse(row.items) : row.items ?? []);
  const day = (v: unknown) => (v ? String(v).slice(0, 10) : null);
  return {
    recommendationId: row.recommendation_id,
    alertId: row.alert_id,
    rule: row.rule,
    kind: row.kind,
    departments: row.departments,
    issuedAt: day(row.issued_at),
    deadline: day(row.deadline),
    status: row.status,
    text: row.text,
    documentNumber: row.document_number ?? '',
    joint: !!row.joint,
    items,
    closedAt: day(row.closed_on),
    mergedInto: row.merged_into ?? null,
    version: Number(row.version),
    ...header,
  };
}
