import { Knex } from 'knex';
import { Department, accidentCategoryName } from '../shared/contract';
import { HubError } from '../shared/errors';
import { forbidden, seesEveryFact } from './access';
import { hasRoutedWork, resolveEmployerKey } from './queries';

/**
 * 单位画像's figures: an employer's facts as tables and a curve, under the profile's rule
 * (CONTRACT section 3): hrss sees every department's facts, another department only its own and
 * only while work on the employer is routed to it. Whitelisted fields only: no person, no
 * pseudonym, no free text; diagnoses as counts. Each list is capped.
 */
export const FACTS_MAX = 200;

export interface EmployerFacts {
  /** Insured workers at the end of each month (hrss's enrolments), against the headcount. */
  enrollment: { month: string; insured: number }[] | null;
  headcount: number | null;
  accidents: { date: string; category: string; deaths: number; seriousInjuries: number; minorInjuries: number; department: Department }[];
  measurements: { date: string; factor: string; post: string; measured: number; limit: number; unit: string; exceeded: boolean }[];
  diagnoses: { year: number; category: number; cases: number; earlyCases: number }[] | null;
  injuries: { injuryDate: string; decidedAt: string; recognized: boolean; insuredAtInjury: boolean }[] | null;
  projects: { projectId: string; projectName: string; startDate: string; contractValueYuan: number; certificate: boolean }[];
  rechecks: { verifiedAt: string; passed: boolean; recommendationId: string; department: Department }[];
}

type Change = { month: string; delta: number };

/** Month-end insured counts from the net change per month (pure): months without change carry the count on. */
export function monthlyCurve(changes: Change[], lastMonth?: string): { month: string; insured: number }[] {
  if (!changes.length) return [];
  const sorted = [...changes].sort((a, b) => (a.month < b.month ? -1 : 1));
  const byMonth = new Map<string, number>();
  for (const c of sorted) byMonth.set(c.month, (byMonth.get(c.month) ?? 0) + c.delta);
  const out: { month: string; insured: number }[] = [];
  let [y, m] = sorted[0].month.split('-').map(Number);
  const end = lastMonth && lastMonth > sorted[sorted.length - 1].month ? lastMonth : sorted[sorted.length - 1].month;
  let n = 0;
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    n += byMonth.get(month) ?? 0;
    out.push({ month, insured: Math.max(0, n) });
    if (month >= end || out.length > 240) break;
    m += 1;
    if (m > 12) (m = 1), (y += 1);
  }
  return out;
}

const num = (v: unknown) => Number(v ?? 0);
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export async function employerFacts(db: Knex, viewer: Department, key: string, today: string): Promise<EmployerFacts> {
  const canonical = await resolveEmployerKey(db, key);
  const every = seesEveryFact(viewer);
  // Authorisation before existence, as the profile.
  if (!every && !(canonical && (await hasRoutedWork(db, canonical, viewer)))) {
    throw forbidden(viewer, '查看该单位的档案：该单位没有推送给本部门的预警或整改建议（或已关闭超过 365 日）');
  }
  const emp = canonical ? await db('employer').where('employer_key', canonical).first('headcount') : undefined;
  if (!canonical || !emp) throw new HubError('NOT_FOUND', `未找到用人单位“${key}”`);
  const facts = (type: string) => {
    const q = db('fact as f').join('employer_alias as a', 'a.raw_key', 'f.raw_key').where('a.canonical_key', canonical).where('f.event_type', type);
    return (every ? q : q.where('f.department', viewer)).select('f.department', 'f.payload', 'f.event_time').orderBy('f.event_time', 'desc').limit(FACTS_MAX);
  };
  const sees = (d: Department) => every || viewer === d;

  let enrollment: EmployerFacts['enrollment'] = null;
  if (sees('hrss')) {
    // Per person, each ENROLL adds one and each TERMINATE of an insured person takes one away, by month.
    const { rows } = await db.raw(
      `select to_char((f.payload->>'effectiveDate')::date, 'YYYY-MM') as month,
              sum(case when f.payload->>'action' = 'ENROLL' then 1 else -1 end)::int as delta
         from fact f join employer_alias a on a.raw_key = f.raw_key
        where a.canonical_key = ? and f.event_type = 'enrollment'
        group by 1`,
      [canonical],
    );
    enrollment = monthlyCurve(rows.map((r: { month: string; delta: number }) => ({ month: r.month, delta: Number(r.delta) })), today.slice(0, 7));
  }
  const [accidents, hazards, injuries, projects, rechecks] = await Promise.all([facts('accident'), facts('hazard'), sees('hrss') ? facts('injury') : [], facts('project'), facts('rectification')]);
  let diagnoses: EmployerFacts['diagnoses'] = null;
  if (sees('health')) {
    const { rows } = await db.raw(
      `select extract(year from (f.payload->>'diagnosedAt')::date)::int as year, (f.payload->>'category')::int as category,
              count(*)::int as cases, count(*) filter (where (f.payload->>'exposureYears')::float8 < 5)::int as early
         from fact f join employer_alias a on a.raw_key = f.raw_key
        where a.canonical_key = ? and f.event_type = 'disease' group by 1, 2 order by 1 desc, 2 limit ?`,
      [canonical, FACTS_MAX],
    );
    diagnoses = rows.map((r: Record<string, number>) => ({ year: num(r.year), category: num(r.category), cases: num(r.cases), earlyCases: num(r.early) }));
  }
  const p = (r: { payload: unknown }) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>;
  return {
    enrollment,
    headcount: emp.headcount === null ? null : Number(emp.headcount),
    accidents: accidents.map((r) => {
      const x = p(r);
      return {
        date: shanghaiDate(r.event_time),
        category: x.categoryStandard === 'GB6441_2025' ? `事故类别 ${num(x.category)}` : accidentCategoryName(num(x.category)),
        deaths: num(x.deaths), seriousInjuries: num(x.seriousInjuries), minorInjuries: num(x.minorInjuries), department: r.department,
      };
    }),
    measurements: hazards.map((r) => {
      const x = p(r);
      return { date: str(x.sampledAt), factor: str(x.factor), post: str(x.post), measured: num(x.measured), limit: num(x.limit), unit: str(x.unit), exceeded: num(x.measured) > num(x.limit) };
    }),
    diagnoses,
    injuries: sees('hrss')
      ? (injuries as { payload: unknown }[]).map((r) => {
          const x = p(r);
          return { injuryDate: str(x.injuryDate), decidedAt: str(x.decidedAt), recognized: x.decision === 'RECOGNIZED', insuredAtInjury: x.insuredAtInjury !== false };
        })
      : null,
    projects: projects.map((r) => {
      const x = p(r);
      return { projectId: str(x.projectId), projectName: str(x.projectName), startDate: str(x.startDate), contractValueYuan: num(x.contractValueYuan), certificate: str(x.insuranceCertificate).trim() !== '' };
    }),
    rechecks: rechecks.map((r) => {
      const x = p(r);
      return { verifiedAt: str(x.verifiedAt), passed: x.result === 'PASSED', recommendationId: str(x.recommendationId), department: r.department };
    }),
  };
}

function shanghaiDate(t: Date | string): string {
  return new Date(new Date(t).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
