import { Knex } from 'knex';
import type { RegionConfig } from '../shared/regionConfig';
import { DEPARTMENTS, Department, RuleId } from '../shared/contract';
import { RECOMMENDATION_KIND_LABELS, RULE_IDS, RULE_LABELS, RecommendationKind } from '../shared/catalog';
import { EvidenceSummary, LIST_CHANGE_LABELS, ListChange, OpenRecommendation, RemovedRow, RiskList, RiskListRow } from '../shared/documents';
import { IsoWeek, parseIsoWeek, previousWeek, shanghaiDay } from '../shared/time';
import { INDUSTRY_SECTIONS } from '../shared/industry';

/**
 * The weekly risk list (风险清单) from the correlator's tables, in a fixed number of set-based
 * queries whatever the number of employers: every employer with an alert open as of `asOf`,
 * PRIORITY first, then by score; the key evidence from the facts; the change since last week.
 */

const UNKNOWN_SECTION = '-';

/** Order of rules within a row: the catalogue's (PRIORITY first, then as in the contract's table). */
const RULE_ORDER: readonly RuleId[] = RULE_IDS;

export const REMOVED_REASONS = {
  RECTIFIED: '预警已关闭：整改复查合格',
  CONDITION_ENDED: '预警已关闭：条件消除',
  MERGED: '预警已并入其他单位记录（单位身份更正）',
} as const;

/**
 * Alerts open at the instant bound to `p.as_of` (a SQL fragment over a `p` row), in event time on
 * both ends: opened by then and not closed before; and raised by the hub by `p.last_day`, so
 * that a late report never puts an employer on a week's list after the fact. SUPERSEDED
 * versions never count (their successor does). One per rule.
 */
const OPEN_ALERTS_AS_OF = `
  select distinct on (a.employer_key, a.rule) a.employer_key, a.rule, a.score
  from alert a, p
  where a.opened_at <= p.as_of
    and (a.status = 'OPEN' or a.closed_at > p.as_of)
    and (a.raised_on is null or a.raised_on <= p.last_day)
    and a.close_reason is distinct from 'SUPERSEDED'
  order by a.employer_key, a.rule, a.score desc`;

/** The last Shanghai day before an instant (the Sunday of a week that ends at Monday 00:00). */
const lastDayBefore = (at: Date): string => shanghaiDay(new Date(at.getTime() - 1));

interface ListedRow {
  employer_key: string;
  uscc: string | null;
  name: string;
  region_code: string | null;
  industry_code: string | null;
  headcount: number | null;
  rules: RuleId[];
  score: number;
  priority: boolean;
  accidents: string | number | null;
  deaths: string | number | null;
  last_accident: string | null;
  exceedances: string | number | null;
  last_exceedance: string | null;
  uninsured_injuries: string | number | null;
  pneumoconiosis: string | number | null;
  factor: string | null;
  measured: number | null;
  lim: number | null;
  unit: string | null;
  enrolled: string | number;
  projects: string | number;
}

async function listedEmployers(db: Knex, asOf: Date, windowDays: number): Promise<ListedRow[]> {
  const since = new Date(asOf.getTime() - windowDays * 86_400_000);
  const { rows } = await db.raw(
    `
    with p as (select ?::timestamptz as as_of, ?::timestamptz as since, ?::text as as_of_day, ?::date as last_day),
    open_alert as (${OPEN_ALERTS_AS_OF}),
    listed as (
      select employer_key,
             array_agg(rule order by rule) as rules,
             round((max(score) + 0.1 * (sum(score) - max(score)))::numeric, 1)::float8 as score,
             bool_or(rule = 'PRIORITY') as priority
      from open_alert group by employer_key
    ),
    f as materialized (
      select a.canonical_key as k, f.event_type, f.event_id, f.event_time, f.payload
      from listed l
      join employer_alias a on a.canonical_key = l.employer_key
      join fact f on f.raw_key = a.raw_key
      cross join p
      where f.event_time <= p.as_of
        and f.event_type in ('accident', 'hazard', 'enrollment', 'injury', 'disease', 'project')
    ),
    ev as (
      select f.k,
        count(*) filter (where f.event_type = 'accident' and f.event_time > p.since) as accidents,
        coalesce(sum((f.payload->>'deaths')::int) filter (where f.event_type = 'accident' and f.event_time > p.since), 0) as deaths,
        to_char((max(f.event_time) filter (where f.event_type = 'accident' and f.event_time > p.since)) at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as last_accident,
        count(*) filter (where f.event_type = 'hazard' and f.event_time > p.since
                           and (f.payload->>'measured')::float8 > (f.payload->>'limit')::float8) as exceedances,
        to_char((max(f.event_time) filter (where f.event_type = 'hazard' and f.event_time > p.since
                           and (f.payload->>'measured')::float8 > (f.payload->>'limit')::float8)) at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as last_exceedance,
        count(*) filter (where f.event_type = 'injury' and f.event_time > p.since and f.payload->>'insuredAtInjury' = 'false') as uninsured_injuries,
        count(*) filter (where f.event_type = 'disease' and f.payload->>'category' = '1') as pneumoconiosis
      from f cross join p
      group by f.k
    ),
    worst as (
      select distinct on (f.k) f.k, f.payload->>'factor' as factor, (f.payload->>'measured')::float8 as measured,
             (f.payload->>'limit')::float8 as lim, f.payload->>'unit' as unit
      from f cross join p
      where f.event_type = 'hazard' and f.event_time > p.since
        and (f.payload->>'measured')::float8 > (f.payload->>'limit')::float8
      order by f.k, (f.payload->>'measured')::float8 / nullif((f.payload->>'limit')::float8, 0) desc nulls first, f.event_time desc, f.event_id
    ),
    enrolled as (
      select k, count(*) filter (where action = 'ENROLL') as n from (
        select distinct on (f.k, f.payload->>'personId') f.k, f.payload->>'action' as action
        from f cross join p
        where f.event_type = 'enrollment' and f.payload->>'effectiveDate' <= p.as_of_day
        order by f.k, f.payload->>'personId', f.payload->>'effectiveDate' desc, f.event_id desc
      ) x group by k
    ),
    proj as (
      select k, count(*) filter (where coalesce(cert, '') = '') as n from (
        select distinct on (f.k, coalesce(f.payload->>'projectId', f.event_id)) f.k, f.payload->>'insuranceCertificate' as cert
        from f
        where f.event_type = 'project'
        order by f.k, coalesce(f.payload->>'projectId', f.event_id), f.event_time desc, f.event_id desc
      ) x group by k
    )
    select l.employer_key, e.uscc, coalesce(e.name, l.employer_key) as name, e.region_code, e.industry_code, e.headcount,
           l.rules, l.score, l.priority,
           ev.accidents, ev.deaths, ev.last_accident, ev.exceedances, ev.last_exceedance, ev.uninsured_injuries, ev.pneumoconiosis,
           w.factor, w.measured, w.lim, w.unit,
           coalesce(en.n, 0) as enrolled, coalesce(pr.n, 0) as projects
    from listed l
    left join employer e on e.employer_key = l.employer_key
    left join ev on ev.k = l.employer_key
    left join worst w on w.k = l.employer_key
    left join enrolled en on en.k = l.employer_key
    left join proj pr on pr.k = l.employer_key
    order by l.priority desc, l.score desc, coalesce(e.uscc, l.employer_key), l.employer_key`,
    [asOf.toISOString(), since.toISOString(), shanghaiDay(asOf), lastDayBefore(asOf)],
  );
  return rows;
}

/** Employer keys listed as of an instant (for the change since a week that was never stored). */
async function listedKeysAsOf(db: Knex, asOf: Date): Promise<string[]> {
  const { rows } = await db.raw(
    `with p as (select ?::timestamptz as as_of, ?::date as last_day), open_alert as (${OPEN_ALERTS_AS_OF})
     select distinct employer_key from open_alert`,
    [asOf.toISOString(), lastDayBefore(asOf)],
  );
  return rows.map((r: { employer_key: string }) => r.employer_key);
}

async function openRecommendations(db: Knex, keys: string[], asOfDay: string): Promise<Map<string, OpenRecommendation[]>> {
  const out = new Map<string, OpenRecommendation[]>();
  if (!keys.length) return out;
  const { rows } = await db.raw(
    `select r.employer_key, r.recommendation_id, r.document_number, r.kind, to_char(r.deadline, 'YYYY-MM-DD') as deadline, r.departments
     from recommendation r
     where r.employer_key = any(?::text[]) and r.status in ('OPEN', 'OVERDUE') and r.issued_at <= ?::date
     order by r.employer_key, r.deadline nulls last, r.recommendation_id`,
    [keys, asOfDay],
  );
  for (const r of rows) {
    const list = out.get(r.employer_key) ?? [];
    const departments: string[] = r.departments ?? [];
    list.push({
      recommendationId: r.recommendation_id,
      documentNumber: r.document_number ?? null,
      kind: r.kind,
      kindLabel: RECOMMENDATION_KIND_LABELS[r.kind as RecommendationKind] ?? '整改建议',
      deadline: r.deadline,
      departments,
      departmentNames: departments.map((d) => DEPARTMENTS[d as Department] ?? d),
    });
    out.set(r.employer_key, list);
  }
  return out;
}

/** Why each employer of last week's list is no longer listed. */
async function removedRows(db: Knex, keys: string[], previousAsOf: Date, stored: Map<string, RemovedRow>): Promise<RemovedRow[]> {
  if (!keys.length) return [];
  const { rows } = await db.raw(
    `with k as (select unnest(?::text[]) as employer_key)
     select k.employer_key, e.uscc, e.name, e.region_code,
       bool_or(r.status = 'RECTIFIED' or a.close_reason = 'RECTIFIED') as rectified,
       bool_or(a.close_reason = 'CONDITION_ENDED') as condition_ended
     from k
     left join employer e on e.employer_key = k.employer_key
     left join alert a on a.employer_key = k.employer_key and a.opened_at <= ?::timestamptz
                       and (a.closed_at is null or a.closed_at > ?::timestamptz)
     left join recommendation r on r.alert_id = a.alert_id
     group by k.employer_key, e.uscc, e.name, e.region_code
     order by coalesce(e.uscc, k.employer_key), k.employer_key`,
    [keys, previousAsOf.toISOString(), previousAsOf.toISOString()],
  );
  return rows.map((r: { employer_key: string; uscc: string | null; name: string | null; region_code: string | null; rectified: boolean; condition_ended: boolean }) => {
    const before = stored.get(r.employer_key);
    return {
      employerKey: r.employer_key,
      uscc: r.uscc ?? before?.uscc ?? null,
      employerName: r.name ?? before?.employerName ?? r.employer_key,
      regionCode: r.region_code ?? before?.regionCode ?? '',
      reason: r.rectified ? REMOVED_REASONS.RECTIFIED : r.condition_ended ? REMOVED_REASONS.CONDITION_ENDED : REMOVED_REASONS.MERGED,
    };
  });
}

interface PreviousListing {
  /** null: no list was stored before this week: the first list, nothing to compare with. */
  week: string | null;
  comparison: string;
  keys: Set<string>;
  stored: Map<string, RemovedRow>;
  asOf: Date;
}

/**
 * Last week's listed employers: the stored list if there is one; else, when earlier lists exist,
 * computed as of its end from what the hub had raised by then; else none (the first list).
 */
async function previousListing(db: Knex, w: IsoWeek): Promise<PreviousListing> {
  const prev = previousWeek(w);
  const stored = new Map<string, RemovedRow>();
  const earlier = await db('risk_list').where('week', '<', w.week).first('week');
  if (!earlier) return { week: null, comparison: '首次生成，无上周清单可比', keys: new Set(), stored, asOf: prev.endsAt };
  const comparison = `与 ${prev.week} 的清单比较`;
  const { rows } = await db.raw(
    `select r."employerKey" as key, r.uscc, r."employerName" as name, r."regionCode" as region, l.as_of
     from risk_list l
     cross join lateral jsonb_to_recordset(l.content->'rows') as r("employerKey" text, uscc text, "employerName" text, "regionCode" text)
     where l.week = ?`,
    [prev.week],
  );
  if (rows.length) {
    for (const r of rows) stored.set(r.key, { employerKey: r.key, uscc: r.uscc, employerName: r.name, regionCode: r.region, reason: '' });
    return { week: prev.week, comparison, keys: new Set(stored.keys()), stored, asOf: new Date(rows[0].as_of) };
  }
  const storedEmpty = await db('risk_list').where('week', prev.week).first('as_of');
  if (storedEmpty) return { week: prev.week, comparison, keys: new Set(), stored, asOf: new Date(storedEmpty.as_of) };
  return {
    week: prev.week,
    comparison: `${prev.week} 的清单未存储，按该周结束时枢纽已发出且未关闭的预警比较`,
    keys: new Set(await listedKeysAsOf(db, prev.endsAt)),
    stored,
    asOf: prev.endsAt,
  };
}

const num = (v: string | number | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));

function sortRules(rules: RuleId[]): RuleId[] {
  const known = RULE_ORDER.filter((r) => rules.includes(r));
  return [...known, ...rules.filter((r) => !RULE_ORDER.includes(r)).sort()];
}

function evidenceOf(r: ListedRow): EvidenceSummary {
  const enrolled = num(r.enrolled);
  const headcount = r.headcount === null || r.headcount === undefined ? null : Number(r.headcount);
  return {
    accidents365d: num(r.accidents),
    deaths365d: num(r.deaths),
    lastAccidentDate: r.last_accident ?? null,
    hazardExceedances: num(r.exceedances),
    lastExceedanceDate: r.last_exceedance ?? null,
    worstExceedance:
      r.factor !== null && r.measured !== null && r.lim !== null
        ? { factor: r.factor, measured: Number(r.measured), limit: Number(r.lim), unit: r.unit ?? '' }
        : null,
    enrolledWorkers: enrolled,
    headcount,
    coverage: headcount && headcount > 0 ? Math.round((enrolled / headcount) * 1000) / 1000 : null,
    uninsuredInjuries: num(r.uninsured_injuries),
    pneumoconiosisCases: num(r.pneumoconiosis),
    projectsWithoutCertificate: num(r.projects),
  };
}

/**
 * Builds (does not store) the list of `week` as of `asOf`. The change since last week compares
 * with last week's stored list; when none was stored, with what the hub had raised and was open
 * at its end; and the hub's first list compares with nothing (every row FIRST, none removed).
 */
export async function buildRiskList(
  db: Knex,
  region: RegionConfig,
  week: string,
  asOf: Date,
  generatedAt: Date = new Date(),
): Promise<RiskList> {
  const w = parseIsoWeek(week);
  const asOfDay = shanghaiDay(asOf);
  const windowDays = region.rules.evidenceWindowDays || 365;
  const [listed, previous] = await Promise.all([listedEmployers(db, asOf, windowDays), previousListing(db, w)]);
  const keys = listed.map((r) => r.employer_key);
  const recs = await openRecommendations(db, keys, asOfDay);

  const byDistrict = new Map<string, { regionCode: string; districtName: string; employers: number; priority: number }>();
  const byIndustry = new Map<string, { section: string; sectionName: string; employers: number; priority: number }>();
  const changeOf = (key: string): ListChange => (previous.week === null ? 'FIRST' : previous.keys.has(key) ? 'STILL_LISTED' : 'NEW');
  const rows: RiskListRow[] = listed.map((r, i) => {
    const regionCode = r.region_code ?? '';
    const districtName = region.districts[regionCode] ?? (regionCode || '未知区县');
    const section = r.industry_code && /^[A-T]/.test(r.industry_code) ? r.industry_code[0] : null;
    const d = byDistrict.get(regionCode) ?? { regionCode, districtName, employers: 0, priority: 0 };
    d.employers++;
    if (r.priority) d.priority++;
    byDistrict.set(regionCode, d);
    const sKey = section ?? UNKNOWN_SECTION;
    const s = byIndustry.get(sKey) ?? { section: sKey, sectionName: section ? INDUSTRY_SECTIONS[section] : '行业未知', employers: 0, priority: 0 };
    s.employers++;
    if (r.priority) s.priority++;
    byIndustry.set(sKey, s);
    return {
      rank: i + 1,
      employerKey: r.employer_key,
      uscc: r.uscc,
      employerName: r.name,
      regionCode,
      districtName,
      industryCode: r.industry_code,
      industrySection: section,
      rules: sortRules(r.rules),
      ruleLabels: sortRules(r.rules).map((id) => RULE_LABELS[id] ?? '其他规则'),
      score: Number(r.score),
      priority: r.priority,
      evidence: evidenceOf(r),
      openRecommendations: recs.get(r.employer_key) ?? [],
      change: changeOf(r.employer_key),
      changeLabel: LIST_CHANGE_LABELS[changeOf(r.employer_key)],
    };
  });

  const current = new Set(keys);
  const gone = [...previous.keys].filter((k) => !current.has(k)); // empty for the first list
  const removed = await removedRows(db, gone, previous.asOf, previous.stored);

  const bySize = <T extends { employers: number }>(key: (t: T) => string) => (a: T, b: T) => b.employers - a.employers || (key(a) < key(b) ? -1 : 1);
  return {
    week: w.week,
    weekStart: w.start,
    weekEnd: w.end,
    asOf: asOf.toISOString(),
    generatedAt: generatedAt.toISOString(),
    regionName: region.regionName,
    previousWeek: previous.week,
    comparison: previous.comparison,
    rows,
    removed,
    byDistrict: [...byDistrict.values()].sort(bySize((d) => d.regionCode)),
    byIndustry: [...byIndustry.values()].sort(bySize((s) => s.section)),
  };
}
