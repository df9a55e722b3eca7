import { Knex } from 'knex';
import { RegionConfig } from '../shared/regionConfig';
import { shanghaiDay } from '../shared/time';
import { EmployerFacts, Fact, sortFacts, toFact } from './facts';
import { simulate } from './history';
import { normalizeDocumentNumber } from './numbers';
import { persistHistories } from './persist';
import { SectionRates } from './rules';

/**
 * Re-evaluation of a set of employers: load their facts, live their histories up to today,
 * write what changed. Advisory locks serialise two instances working on one employer (a
 * name-only record may sit on another partition than its USCC).
 */
export interface EvaluationContext {
  region: RegionConfig;
  asOf: Date;
  sectionRates: SectionRates;
}

/** The facts of canonical employers, with the accidents others reported on their projects. */
export async function loadEmployerFacts(db: Knex | Knex.Transaction, keys: string[], today: string): Promise<{ employers: EmployerFacts[]; projectAccidents: Map<string, Fact[]> }> {
  if (!keys.length) return { employers: [], projectAccidents: new Map() };
  // Sequential: inside a transaction both run on one connection.
  const profiles = await db('employer').whereRaw('employer_key = any(?::text[])', [keys]);
  const facts = await db('fact as f')
    .join('employer_alias as a', 'a.raw_key', 'f.raw_key')
    .whereRaw('a.canonical_key = any(?::text[])', [keys])
    .select('a.canonical_key', 'f.department', 'f.event_type', 'f.event_id', 'f.event_time', 'f.payload');
  const byKey = new Map<string, Fact[]>();
  for (const f of facts) {
    const list = byKey.get(f.canonical_key);
    if (list) list.push(toFact(f, today));
    else byKey.set(f.canonical_key, [toFact(f, today)]);
  }
  const profileByKey = new Map(profiles.map((p: Record<string, any>) => [p.employer_key, p])); // eslint-disable-line @typescript-eslint/no-explicit-any
  const employers = keys.map((k) => {
    const p = profileByKey.get(k);
    return { employerKey: k, uscc: p?.uscc ?? null, name: p?.name ?? k, regionCode: p?.region_code ?? '', industryCode: p?.industry_code ?? null, facts: sortFacts(byKey.get(k) ?? []) };
  });

  // An accident on a project escalates the project's employer, whoever reported it.
  const projectIds = [...new Set(employers.flatMap((e) => e.facts.filter((f) => f.eventType === 'project').map((f) => String(f.payload.projectId))))];
  const projectAccidents = new Map<string, Fact[]>();
  if (projectIds.length) {
    const rows = await db('fact as f')
      .join('employer_alias as a', 'a.raw_key', 'f.raw_key')
      .where('f.event_type', 'accident')
      .whereRaw(`f.payload->>'projectId' = any(?::text[])`, [projectIds])
      .select('a.canonical_key', 'f.department', 'f.event_type', 'f.event_id', 'f.event_time', 'f.payload');
    for (const e of employers) {
      const mine = new Set(e.facts.filter((f) => f.eventType === 'project').map((f) => String(f.payload.projectId)));
      const others = rows.filter((r: Record<string, any>) => r.canonical_key !== e.employerKey && mine.has(String(r.payload.projectId))); // eslint-disable-line @typescript-eslint/no-explicit-any
      if (others.length) projectAccidents.set(e.employerKey, others.map((r: Parameters<typeof toFact>[0]) => toFact(r, today)));
    }
  }
  return { employers, projectAccidents };
}

/** Employers that own the projects these accidents happened on (to re-evaluate them too). */
export async function projectOwners(trx: Knex.Transaction, projectIds: string[]): Promise<string[]> {
  if (!projectIds.length) return [];
  const rows = await trx('fact as f')
    .join('employer_alias as a', 'a.raw_key', 'f.raw_key')
    .where('f.event_type', 'project')
    .whereRaw(`f.payload->>'projectId' = any(?::text[])`, [projectIds])
    .distinct('a.canonical_key');
  return rows.map((r: { canonical_key: string }) => r.canonical_key);
}

export async function reevaluate(trx: Knex.Transaction, keys: string[], ctx: EvaluationContext): Promise<{ evaluated: number; changed: number }> {
  const sorted = [...new Set(keys)].sort();
  if (!sorted.length) return { evaluated: 0, changed: 0 };
  await trx.raw('select pg_advisory_xact_lock(hashtext(k)) from unnest(?::text[]) as k order by k', [sorted]);
  const today = shanghaiDay(ctx.asOf);
  const { employers, projectAccidents } = await loadEmployerFacts(trx, sorted, today);
  const numbered = await trx('recommendation').whereRaw('employer_key = any(?::text[])', [sorted]).whereNotNull('document_number').select('recommendation_id', 'document_number');
  const idOfNumber = new Map<string, string>(numbered.map((r: { recommendation_id: string; document_number: string }) => [normalizeDocumentNumber(r.document_number), r.recommendation_id]));
  const histories = employers.map((employer) => ({
    employer,
    history: simulate(employer, {
      region: ctx.region,
      sectionRates: ctx.sectionRates,
      asOfDay: today,
      idOfNumber: (ref) => idOfNumber.get(normalizeDocumentNumber(ref)) ?? null,
      projectAccidents: projectAccidents.get(employer.employerKey),
    }),
  }));
  const { changed } = await persistHistories(trx, ctx.region, histories, ctx.asOf);
  return { evaluated: employers.length, changed };
}

/** Section rates as last computed by the sweep (empty until the first sweep). */
export async function readSectionRates(db: Knex | Knex.Transaction): Promise<SectionRates> {
  const rows = await db('section_rate');
  return Object.fromEntries(rows.map((r: Record<string, unknown>) => [r.section, { accidents: Number(r.accidents), insuredWorkers: Number(r.insured_workers) }]));
}
