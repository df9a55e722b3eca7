import { Knex } from 'knex';
import { EventType } from '../shared/contract';
import { employerKey as keyOf, normalizeEmployerName } from '../shared/identifiers';
import { matchByName, Candidate } from './identity';
import { EmployerFacts, EvaluationContext, Fact, RuleHit, SectionRates, evaluateEmployer } from './rules';
import { RegionConfig, industrySection } from '../shared/regionConfig';

/**
 * One slice of a Kafka batch → one PostgreSQL transaction: facts, identity, re-evaluated alerts
 * and recommendations, outbox rows and the consumer offset all commit together, so a crash at any
 * moment either keeps all of a slice or none of it, and redelivery changes nothing.
 */
export interface InputEvent {
  topic: string;
  partition: number;
  offset: string;
  value: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface ProcessResult {
  newFacts: number;
  skipped: number;
  employersEvaluated: number;
  alertsChanged: number;
}

const EVENT_TIME_FIELD: Record<EventType, string> = {
  employer: 'asOf',
  enrollment: 'effectiveDate',
  accident: 'occurredAt',
  hazard: 'sampledAt',
  disease: 'diagnosedAt',
  injury: 'injuryDate',
  project: 'startDate',
  rectification: 'verifiedAt',
};

const typeOfTopic = (topic: string) => topic.split('.')[1] as EventType;

export function eventTimeOf(type: EventType, value: Record<string, unknown>): string {
  const v = String(value[EVENT_TIME_FIELD[type]]);
  return v.length === 10 ? `${v}T00:00:00+08:00` : v;
}

/**
 * The most events one transaction takes. A Kafka fetch of small events (4 MiB per partition) can
 * hold tens of thousands of them, and PostgreSQL refuses a statement with more than 65,535 bind
 * parameters: the multi-row fact insert has 6 per event, the employer upsert 8 per employer.
 */
export const MAX_EVENTS_PER_TRANSACTION = 4_000;

/** Consecutive slices of at most `size` items, in order. */
export function slices<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function processBatch(
  db: Knex,
  groupId: string,
  events: InputEvent[],
  region: RegionConfig,
  now: () => Date = () => new Date(),
): Promise<ProcessResult> {
  const total: ProcessResult = { newFacts: 0, skipped: 0, employersEvaluated: 0, alertsChanged: 0 };
  for (const slice of slices(events, MAX_EVENTS_PER_TRANSACTION)) {
    const r = await processSlice(db, groupId, slice, region, now);
    total.newFacts += r.newFacts;
    total.skipped += r.skipped;
    total.employersEvaluated += r.employersEvaluated;
    total.alertsChanged += r.alertsChanged;
  }
  return total;
}

async function processSlice(
  db: Knex,
  groupId: string,
  events: InputEvent[],
  region: RegionConfig,
  now: () => Date,
): Promise<ProcessResult> {
  return db.transaction(async (trx) => {
    // Skip what an earlier, committed transaction already covered (redelivery after a crash).
    const positions = new Map<string, bigint>();
    for (const e of events) positions.set(`${e.topic}|${e.partition}`, -1n);
    const stored = await trx('consumer_offset')
      .where('group_id', groupId)
      .whereIn(['topic', 'partition'], [...positions.keys()].map((k) => k.split('|')) as never);
    const committed = new Map(stored.map((r) => [`${r.topic}|${r.partition}`, BigInt(r.next_offset)]));
    const fresh = events.filter((e) => BigInt(e.offset) >= (committed.get(`${e.topic}|${e.partition}`) ?? 0n));
    const skipped = events.length - fresh.length;

    let inserted: { raw_key: string }[] = [];
    if (fresh.length) {
      const rows = fresh.map((e) => {
        const type = typeOfTopic(e.topic);
        return {
          department: e.value.department,
          event_type: type,
          event_id: e.value.eventId,
          raw_key: e.value.employerKey,
          event_time: eventTimeOf(type, e.value),
          payload: JSON.stringify(e.value),
        };
      });
      // Within a batch the same event can appear twice (a resubmitted pending record).
      const unique = [...new Map(rows.map((r) => [`${r.department}|${r.event_type}|${r.event_id}`, r])).values()];
      inserted = await trx('fact').insert(unique).onConflict(['department', 'event_type', 'event_id']).ignore().returning(['raw_key']);
    }

    let evaluated = 0;
    let changed = 0;
    if (inserted.length) {
      const insertedKeys = new Set(inserted.map((r) => r.raw_key));
      const headers = fresh.filter((e) => insertedKeys.has(e.value.employerKey)).map((e) => e.value);
      // Profiles of USCC employers first, so that name-only records in the same batch find them.
      await upsertProfiles(trx, headers.filter((h) => h.uscc), true);
      const affected = await resolveIdentities(trx, headers);
      await upsertProfiles(trx, headers);
      const rates = await readSectionRates(trx);
      const r = await reevaluate(trx, [...affected], { region, asOf: now().toISOString(), sectionRates: rates });
      evaluated = r.evaluated;
      changed = r.changed;
    }

    // The offset commits with the state it produced.
    const next = new Map<string, bigint>();
    for (const e of events) {
      const k = `${e.topic}|${e.partition}`;
      const o = BigInt(e.offset) + 1n;
      if (!next.has(k) || next.get(k)! < o) next.set(k, o);
    }
    const offsetRows = [...next.entries()].map(([k, o]) => {
      const [topic, partition] = k.split('|');
      return { group_id: groupId, topic, partition: Number(partition), next_offset: o.toString() };
    });
    await trx('consumer_offset')
      .insert(offsetRows)
      .onConflict(['group_id', 'topic', 'partition'])
      .merge({ next_offset: trx.raw('greatest(consumer_offset.next_offset, excluded.next_offset)') });
    return { newFacts: inserted.length, skipped, employersEvaluated: evaluated, alertsChanged: changed };
  });
}

/**
 * Links every raw key to a canonical employer; returns the canonical keys whose facts changed
 * (including the former owner of a name-only key that now links to a USCC). Works on the
 * batch's distinct employers with a handful of set-based queries; only the rare repairs (a
 * name-only employer joining a USCC) touch rows one by one.
 */
async function resolveIdentities(trx: Knex.Transaction, headers: Record<string, any>[]): Promise<Set<string>> {
  const affected = new Set<string>();
  const distinct = [...new Map(headers.map((h) => [`${h.employerKey}|${h.employerName ?? ''}|${h.regionCode}`, h])).values()];
  const withUscc = distinct.filter((h) => h.uscc);
  const nameOnly = distinct.filter((h) => !h.uscc);
  const at = (h: Record<string, any>) => h.ingestedAt ?? new Date().toISOString();

  // USCC records: the USCC is its own canonical key, and its name links the name-only key.
  const usccs = [...new Set(withUscc.map((h) => h.uscc as string))];
  if (usccs.length) {
    await trx('employer_alias')
      .insert(usccs.map((u) => ({ raw_key: u, canonical_key: u, confidence: 1, method: 'SELF' })))
      .onConflict('raw_key')
      .ignore();
    usccs.forEach((u) => affected.add(u));
  }
  const named = withUscc.filter((h) => h.employerName).map((h) => ({ h, nameKey: keyOf(null, h.employerName, h.regionCode) }));
  const nameRows = new Map<string, Record<string, any>>(
    named.length ? (await trx('employer_alias').whereIn('raw_key', [...new Set(named.map((n) => n.nameKey))])).map((r) => [r.raw_key, r]) : [],
  );
  const fresh = named.filter((n) => !nameRows.has(n.nameKey));
  if (fresh.length) {
    await trx('employer_alias')
      .insert([...new Map(fresh.map((n) => [n.nameKey, { raw_key: n.nameKey, canonical_key: n.h.uscc, confidence: 1, method: 'USCC_NAME' }])).values()])
      .onConflict('raw_key')
      .ignore();
  }
  for (const { h, nameKey } of named) {
    const row = nameRows.get(nameKey);
    if (!row || row.canonical_key === h.uscc) continue;
    if (row.method !== 'USCC_NAME') {
      // A later event repairs earlier ones: the name-only facts now belong to the USCC.
      affected.add(row.canonical_key);
      await supersedeAlertsOf(trx, row.canonical_key, at(h));
      await trx('employer_alias').where('raw_key', nameKey).update({ canonical_key: h.uscc, confidence: 1, method: 'USCC_NAME', linked_at: trx.fn.now() });
      await trx('employer_alias').where('canonical_key', nameKey).update({ canonical_key: h.uscc });
      await trx('employer').where('employer_key', nameKey).delete();
      await trx('identity_review').where('raw_key', nameKey).update({ status: 'RESOLVED' });
      nameRows.set(nameKey, { ...row, canonical_key: h.uscc, method: 'USCC_NAME' });
    } else {
      // Two USCCs under one name in one region: a person decides.
      await trx('identity_review')
        .insert({ raw_key: nameKey, candidates: JSON.stringify([{ employerKey: row.canonical_key }, { employerKey: h.uscc }]) })
        .onConflict('raw_key')
        .ignore();
    }
  }

  // Name-only employers seen before a USCC whose names match it now join it (one query per region).
  const regions = [...new Set(withUscc.filter((h) => h.employerName).map((h) => h.regionCode as string))];
  const orphans = regions.length
    ? await trx('employer as e')
        .join('employer_alias as a', 'a.raw_key', 'e.employer_key')
        .whereIn('e.region_code', regions)
        .andWhere('a.method', 'SELF')
        .whereNull('e.uscc')
        .select('e.employer_key', 'e.name', 'e.region_code')
    : [];
  for (const o of orphans) {
    const mine = withUscc.filter((h) => h.employerName && h.regionCode === o.region_code);
    const m = matchByName(o.name, mine.map((h) => ({ employerKey: h.uscc, name: h.employerName, normalizedName: normalizeEmployerName(h.employerName) })));
    if (m.kind !== 'linked') continue;
    affected.add(o.employer_key);
    affected.add(m.employerKey);
    await supersedeAlertsOf(trx, o.employer_key, new Date().toISOString());
    await trx('employer_alias').where('canonical_key', o.employer_key).update({ canonical_key: m.employerKey, confidence: m.confidence, method: m.method, linked_at: trx.fn.now() });
    await trx('employer').where('employer_key', o.employer_key).delete();
  }

  // Name-only records: link to a USCC employer of the region when the name says so.
  const known = new Map<string, string>(
    nameOnly.length ? (await trx('employer_alias').whereIn('raw_key', nameOnly.map((h) => h.employerKey))).map((r) => [r.raw_key, r.canonical_key]) : [],
  );
  const unknown = nameOnly.filter((h) => !known.has(h.employerKey));
  nameOnly.filter((h) => known.has(h.employerKey)).forEach((h) => affected.add(known.get(h.employerKey)!));
  const candidatesByRegion = new Map<string, Candidate[]>();
  for (const region of new Set(unknown.map((h) => h.regionCode as string))) {
    candidatesByRegion.set(
      region,
      (await trx('employer').select('employer_key', 'name', 'normalized_name').where('region_code', region).whereNotNull('uscc')).map((r) => ({
        employerKey: r.employer_key,
        name: r.name,
        normalizedName: r.normalized_name,
      })),
    );
  }
  const links: Record<string, unknown>[] = [];
  const reviews: Record<string, unknown>[] = [];
  for (const h of [...new Map(unknown.map((x) => [x.employerKey, x])).values()]) {
    const m = matchByName(h.employerName ?? '', candidatesByRegion.get(h.regionCode) ?? []);
    if (m.kind === 'linked') {
      links.push({ raw_key: h.employerKey, canonical_key: m.employerKey, confidence: m.confidence, method: m.method });
      affected.add(m.employerKey);
    } else {
      if (m.kind === 'review') reviews.push({ raw_key: h.employerKey, candidates: JSON.stringify(m.candidates) });
      links.push({ raw_key: h.employerKey, canonical_key: h.employerKey, confidence: 1, method: 'SELF' });
      affected.add(h.employerKey);
    }
  }
  if (reviews.length) await trx('identity_review').insert(reviews).onConflict('raw_key').ignore();
  if (links.length) {
    // Another instance may have linked the same key meanwhile: theirs stands, and counts as affected.
    await trx('employer_alias').insert(links).onConflict('raw_key').ignore();
    const now = await trx('employer_alias').whereIn('raw_key', links.map((l) => l.raw_key as string));
    now.forEach((r) => affected.add(r.canonical_key));
  }
  return affected;
}

/** The name-only employer merged into a USCC one: its alerts live on under the USCC. */
async function supersedeAlertsOf(trx: Knex.Transaction, employerKey: string, at: string): Promise<void> {
  for (const a of await trx('alert').where({ employer_key: employerKey, status: 'OPEN' })) await closeAlert(trx, a, 'SUPERSEDED', at);
}

/** Latest profile per canonical employer: name and region from any event, industry from employer events. */
async function upsertProfiles(trx: Knex.Transaction, headers: Record<string, any>[], selfKeyed = false): Promise<void> {
  const canon = new Map<string, string>(
    selfKeyed
      ? headers.map((h) => [h.employerKey, h.employerKey])
      : (await trx('employer_alias').whereIn('raw_key', [...new Set(headers.map((h) => h.employerKey))])).map((r) => [r.raw_key, r.canonical_key]),
  );
  const rows = new Map<string, Record<string, unknown>>();
  for (const h of headers) {
    const key = canon.get(h.employerKey) ?? h.employerKey;
    const prev = rows.get(key);
    const isEmployer = h.industryCode !== undefined && h.headcount !== undefined;
    rows.set(key, {
      employer_key: key,
      uscc: key.startsWith('N:') ? null : key,
      name: h.employerName ?? prev?.name ?? key,
      normalized_name: normalizeEmployerName(h.employerName ?? String(prev?.name ?? key)),
      region_code: h.regionCode,
      industry_code: isEmployer ? h.industryCode : (prev?.industry_code ?? null),
      headcount: isEmployer ? h.headcount : (prev?.headcount ?? null),
      headcount_as_of: isEmployer ? h.asOf : (prev?.headcount_as_of ?? null),
    });
  }
  if (!rows.size) return;
  await trx('employer')
    .insert([...rows.values()])
    .onConflict('employer_key')
    .merge({
      name: trx.raw('excluded.name'),
      normalized_name: trx.raw('excluded.normalized_name'),
      region_code: trx.raw('excluded.region_code'),
      // Keep the newest headcount by its own date, whatever the arrival order.
      industry_code: trx.raw('case when excluded.headcount_as_of is not null and (employer.headcount_as_of is null or excluded.headcount_as_of >= employer.headcount_as_of) then excluded.industry_code else employer.industry_code end'),
      headcount: trx.raw('case when excluded.headcount_as_of is not null and (employer.headcount_as_of is null or excluded.headcount_as_of >= employer.headcount_as_of) then excluded.headcount else employer.headcount end'),
      headcount_as_of: trx.raw('greatest(employer.headcount_as_of, excluded.headcount_as_of)'),
      updated_at: trx.fn.now(),
    });
}

/** Section rates as last computed by the sweep (empty until the first sweep). */
async function readSectionRates(trx: Knex.Transaction): Promise<SectionRates> {
  const rows = await trx('section_rate');
  return Object.fromEntries(rows.map((r) => [r.section, { accidents: Number(r.accidents), insuredWorkers: Number(r.insured_workers) }]));
}

/** Loads the facts of canonical employers in one query. */
export async function loadEmployerFacts(trx: Knex | Knex.Transaction, keys: string[]): Promise<EmployerFacts[]> {
  if (!keys.length) return [];
  const [profiles, facts] = await Promise.all([
    trx('employer').whereIn('employer_key', keys),
    trx('fact as f')
      .join('employer_alias as a', 'a.raw_key', 'f.raw_key')
      .whereIn('a.canonical_key', keys)
      .select('a.canonical_key', 'f.department', 'f.event_type', 'f.event_id', 'f.event_time', 'f.payload'),
  ]);
  const byKey = new Map<string, Fact[]>();
  for (const f of facts) {
    const list = byKey.get(f.canonical_key) ?? [];
    list.push({ department: f.department, eventType: f.event_type, eventId: f.event_id, eventTime: new Date(f.event_time).toISOString(), payload: f.payload });
    byKey.set(f.canonical_key, list);
  }
  const profileByKey = new Map(profiles.map((p) => [p.employer_key, p]));
  return keys.map((k) => {
    const p = profileByKey.get(k);
    return {
      employerKey: k,
      uscc: p?.uscc ?? null,
      name: p?.name ?? k,
      regionCode: p?.region_code ?? '',
      industryCode: p?.industry_code ?? null,
      facts: (byKey.get(k) ?? []).sort((a, b) => (a.eventTime === b.eventTime ? (a.eventId < b.eventId ? -1 : 1) : a.eventTime < b.eventTime ? -1 : 1)),
    };
  });
}

/**
 * Re-evaluates employers and applies the difference to alerts and recommendations (with outbox
 * rows for whatever changed). Advisory locks serialise two instances working on one employer.
 */
export async function reevaluate(
  trx: Knex.Transaction,
  keys: string[],
  ctx: EvaluationContext,
): Promise<{ evaluated: number; changed: number }> {
  const sorted = [...new Set(keys)].sort();
  for (const k of sorted) await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [k]);
  const employers = await loadEmployerFacts(trx, sorted);
  const open = await trx('alert').whereIn('employer_key', sorted).andWhere('status', 'OPEN');
  const openBy = new Map(open.map((a) => [`${a.employer_key}|${a.rule}`, a]));
  let changed = 0;
  const today = ctx.asOf.slice(0, 10);
  for (const emp of employers) {
    const hits = emp.facts.length ? evaluateEmployer(emp, ctx) : [];
    const wanted = new Set(hits.map((h) => h.rule));
    for (const hit of hits) {
      const prev = openBy.get(`${emp.employerKey}|${hit.rule}`);
      if (prev && prev.alert_id !== hit.alertId) {
        // Late evidence moved the start of the episode: the old id gives way to the new one.
        await closeAlert(trx, prev, 'SUPERSEDED', hit.updatedAt);
        changed++;
      }
      if (await upsertAlert(trx, emp, hit, prev && prev.alert_id === hit.alertId ? prev : undefined, today)) changed++;
    }
    for (const [k, prev] of openBy) {
      if (k.startsWith(`${emp.employerKey}|`) && !wanted.has(prev.rule)) {
        await closeAlert(trx, prev, 'CONDITION_ENDED', ctx.asOf);
        changed++;
      }
    }
  }
  return { evaluated: employers.length, changed };
}

type AlertRow = Record<string, any>;

function alertMessage(emp: { employerKey: string; uscc: string | null; name: string; regionCode: string }, row: AlertRow) {
  return {
    alertId: row.alert_id,
    rule: row.rule,
    status: row.status,
    severity: row.severity,
    score: Number(row.score),
    explanation: row.explanation,
    evidence: typeof row.evidence === 'string' ? JSON.parse(row.evidence) : row.evidence,
    routedTo: row.routed_to,
    openedAt: new Date(row.opened_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
    version: row.version,
    employerKey: emp.employerKey,
    uscc: emp.uscc,
    employerName: emp.name,
    regionCode: emp.regionCode,
  };
}

async function upsertAlert(trx: Knex.Transaction, emp: EmployerFacts, hit: RuleHit, prev: AlertRow | undefined, today: string): Promise<boolean> {
  const row: AlertRow = {
    alert_id: hit.alertId,
    employer_key: emp.employerKey,
    rule: hit.rule,
    status: 'OPEN',
    close_reason: null,
    severity: hit.severity,
    score: hit.score,
    explanation: hit.explanation,
    evidence: JSON.stringify(hit.evidence),
    routed_to: hit.routedTo,
    opened_at: hit.openedAt,
    updated_at: hit.updatedAt,
    closed_at: null,
    version: 1,
  };
  if (prev) {
    const same =
      prev.severity === row.severity &&
      Number(prev.score) === row.score &&
      prev.explanation === row.explanation &&
      JSON.stringify(prev.evidence) === row.evidence &&
      new Date(prev.updated_at).toISOString() === new Date(row.updated_at).toISOString();
    if (same) {
      await syncRecommendation(trx, emp, hit, today);
      return false;
    }
    row.version = prev.version + 1;
    await trx('alert').where('alert_id', row.alert_id).update(row);
  } else {
    // A closed alert with the same id can reopen (the same episode came back, e.g. after a replay).
    const existing = await trx('alert').where('alert_id', row.alert_id).first();
    if (existing) row.version = existing.version + 1;
    await trx('alert').insert(row).onConflict('alert_id').merge();
  }
  await trx('outbox').insert({ topic_type: 'alert', message_key: emp.employerKey, value: JSON.stringify(alertMessage(emp, row)) });
  await syncRecommendation(trx, emp, hit, today);
  return true;
}

async function closeAlert(trx: Knex.Transaction, prev: AlertRow, reason: 'SUPERSEDED' | 'CONDITION_ENDED', at: string): Promise<void> {
  const row = { ...prev, status: 'CLOSED', close_reason: reason, closed_at: at, version: prev.version + 1 };
  await trx('alert').where('alert_id', prev.alert_id).update({ status: 'CLOSED', close_reason: reason, closed_at: at, version: row.version });
  const emp = await trx('employer').where('employer_key', prev.employer_key).first();
  await trx('outbox').insert({
    topic_type: 'alert',
    message_key: prev.employer_key,
    value: JSON.stringify(alertMessage({ employerKey: prev.employer_key, uscc: emp?.uscc ?? null, name: emp?.name ?? prev.employer_key, regionCode: emp?.region_code ?? '' }, row)),
  });
  const rec = await trx('recommendation').where('alert_id', prev.alert_id).whereIn('status', ['OPEN', 'OVERDUE']).first();
  if (rec) {
    const passed = await trx('fact')
      .where('event_type', 'rectification')
      .whereRaw("payload->>'recommendationId' = ?", [rec.recommendation_id])
      .whereRaw("payload->>'result' = 'PASSED'")
      .first();
    await setRecommendationStatus(trx, rec, passed ? 'RECTIFIED' : 'WITHDRAWN', emp);
  }
}

async function setRecommendationStatus(trx: Knex.Transaction, rec: AlertRow, status: string, emp: AlertRow | undefined) {
  if (rec.status === status) return;
  const version = rec.version + 1;
  await trx('recommendation').where('recommendation_id', rec.recommendation_id).update({ status, version });
  await trx('outbox').insert({ topic_type: 'recommendation', message_key: rec.employer_key, value: JSON.stringify(recommendationMessage({ ...rec, status, version }, emp)) });
}

function recommendationMessage(rec: AlertRow, emp: AlertRow | undefined) {
  const d = (v: unknown) => (v ? (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10)) : null);
  return {
    recommendationId: rec.recommendation_id,
    alertId: rec.alert_id,
    rule: rec.rule,
    kind: rec.kind,
    departments: rec.departments,
    issuedAt: d(rec.issued_at),
    deadline: d(rec.deadline),
    status: rec.status,
    text: rec.text,
    employerKey: rec.employer_key,
    uscc: emp?.uscc ?? null,
    employerName: emp?.name ?? rec.employer_key,
    regionCode: emp?.region_code ?? '',
  };
}

async function syncRecommendation(trx: Knex.Transaction, emp: EmployerFacts, hit: RuleHit, today: string): Promise<void> {
  const r = hit.recommendation;
  if (!r) return;
  const status = r.deadline && r.deadline < today ? 'OVERDUE' : 'OPEN';
  const prev = await trx('recommendation').where('recommendation_id', r.recommendationId).first();
  const profile = { uscc: emp.uscc, name: emp.name, region_code: emp.regionCode };
  if (!prev) {
    const row = {
      recommendation_id: r.recommendationId,
      alert_id: hit.alertId,
      employer_key: emp.employerKey,
      rule: hit.rule,
      kind: r.kind,
      departments: r.departments,
      issued_at: r.issuedAt,
      deadline: r.deadline,
      status,
      text: r.text,
      version: 1,
    };
    await trx('recommendation').insert(row);
    await trx('outbox').insert({ topic_type: 'recommendation', message_key: emp.employerKey, value: JSON.stringify(recommendationMessage(row, profile)) });
  } else if (prev.status !== status && prev.status !== 'RECTIFIED') {
    await setRecommendationStatus(trx, prev, status, profile);
  }
}

/** Sections' accidents (trailing window) and insured workers, for ACCIDENT_PRONE's rate test. */
export async function computeSectionRates(db: Knex, region: RegionConfig, asOf: Date): Promise<SectionRates> {
  const since = new Date(asOf.getTime() - region.rules.accidentWindowDays * 86_400_000).toISOString();
  const acc = await db.raw(
    `select e.industry_code, count(*)::int as n
       from fact f join employer_alias a on a.raw_key = f.raw_key join employer e on e.employer_key = a.canonical_key
      where f.event_type = 'accident' and f.event_time > ? and f.event_time <= ?
      group by e.industry_code`,
    [since, asOf.toISOString()],
  );
  const ins = await db.raw(
    `with latest as (
       select distinct on (a.canonical_key, f.payload->>'personId') a.canonical_key, f.payload->>'action' as action
         from fact f join employer_alias a on a.raw_key = f.raw_key
        where f.event_type = 'enrollment' and (f.payload->>'effectiveDate') <= ?
        order by a.canonical_key, f.payload->>'personId', f.payload->>'effectiveDate' desc, f.event_id desc)
     select e.industry_code, count(*)::int as n
       from latest l join employer e on e.employer_key = l.canonical_key
      where l.action = 'ENROLL' group by e.industry_code`,
    [asOf.toISOString().slice(0, 10)],
  );
  const rates: SectionRates = {};
  for (const r of acc.rows) {
    const s = industrySection(r.industry_code);
    if (s) (rates[s] ??= { accidents: 0, insuredWorkers: 0 }).accidents += r.n;
  }
  for (const r of ins.rows) {
    const s = industrySection(r.industry_code);
    if (s) (rates[s] ??= { accidents: 0, insuredWorkers: 0 }).insuredWorkers += r.n;
  }
  return rates;
}
