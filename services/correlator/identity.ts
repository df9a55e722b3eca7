import { Knex } from 'knex';
import { employerKey as keyOf, normalizeEmployerName } from '../shared/identifiers';

/**
 * Employer identity across departments. USCC first; a name-only record (key N:region:name) is
 * linked to a USCC employer of the same region whose name matches after normalisation, or
 * fuzzily with a recorded confidence. Two or more fuzzy candidates go to review, never a guess.
 * When a USCC arrives after name-only records, they join it; the former name-only employer is
 * then re-evaluated with no facts, which closes its alerts (their successors live under the USCC).
 */
export type MatchMethod = 'SELF' | 'USCC_NAME' | 'NAME_NORMALISED' | 'NAME_FUZZY';

export interface Candidate {
  employerKey: string;
  name: string;
  normalizedName: string;
}

export type MatchResult =
  | { kind: 'linked'; employerKey: string; confidence: number; method: MatchMethod }
  | { kind: 'review'; candidates: { employerKey: string; name: string; confidence: number }[] }
  | { kind: 'none' };

/** Name without branch suffixes and company-form words, for fuzzy comparison. */
export function coreName(name: string): string {
  return normalizeEmployerName(name)
    .replace(/\(.*?\)/g, '')
    .replace(/(分公司|分厂|项目部)$/, '')
    .replace(/(股份公司|有限公司|公司|集团|厂)$/, '');
}

/** Levenshtein distance, bounded: returns max+1 once it is certain to exceed `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** Matches a name-only record against the USCC employers of its region. */
export function matchByName(name: string, candidates: Candidate[]): MatchResult {
  const normalized = normalizeEmployerName(name);
  const exact = candidates.filter((c) => c.normalizedName === normalized);
  if (exact.length === 1) return { kind: 'linked', employerKey: exact[0].employerKey, confidence: 0.95, method: 'NAME_NORMALISED' };
  if (exact.length > 1) {
    return { kind: 'review', candidates: exact.map((c) => ({ employerKey: c.employerKey, name: c.name, confidence: 0.95 })) };
  }
  const core = coreName(name);
  if (core.length < 4) return { kind: 'none' }; // too short to tell firms apart
  const scored = candidates
    .map((c) => {
      const other = coreName(c.name);
      const d = other === core ? 0 : editDistance(core, other, 1);
      return { c, d };
    })
    .filter((x) => x.d <= 1);
  if (scored.length === 0) return { kind: 'none' };
  const conf = (d: number) => (d === 0 ? 0.85 : 0.7);
  if (scored.length === 1) return { kind: 'linked', employerKey: scored[0].c.employerKey, confidence: conf(scored[0].d), method: 'NAME_FUZZY' };
  return { kind: 'review', candidates: scored.map((x) => ({ employerKey: x.c.employerKey, name: x.c.name, confidence: conf(x.d) })) };
}

/**
 * Links every raw key to a canonical employer; returns the canonical keys whose facts changed
 * (including the former owner of a name-only key that now links to a USCC). Works on the
 * batch's distinct employers with a handful of set-based queries; only the rare repairs (a
 * name-only employer joining a USCC) touch rows one by one.
 */
export async function resolveIdentities(trx: Knex.Transaction, headers: Record<string, any>[]): Promise<Set<string>> {
  const affected = new Set<string>();
  const distinct = [...new Map(headers.map((h) => [`${h.employerKey}|${h.employerName ?? ''}|${h.regionCode}`, h])).values()];
  const withUscc = distinct.filter((h) => h.uscc);
  const nameOnly = distinct.filter((h) => !h.uscc);

  // USCC records: the USCC is its own canonical key, and its name links the name-only key.
  const usccs = [...new Set(withUscc.map((h) => h.uscc as string))].sort();
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
      .insert([...new Map(fresh.map((n) => [n.nameKey, { raw_key: n.nameKey, canonical_key: n.h.uscc, confidence: 1, method: 'USCC_NAME' }])).values()].sort((a, b) => (a.raw_key < b.raw_key ? -1 : 1)))
      .onConflict('raw_key')
      .ignore();
  }
  for (const { h, nameKey } of named) {
    const row = nameRows.get(nameKey);
    if (!row || row.canonical_key === h.uscc) continue;
    if (row.method !== 'USCC_NAME') {
      // A later event repairs earlier ones: the name-only facts now belong to the USCC.
      affected.add(row.canonical_key);
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
    await trx('employer_alias').insert(links.sort((a, b) => (String(a.raw_key) < String(b.raw_key) ? -1 : 1))).onConflict('raw_key').ignore();
    const now = await trx('employer_alias').whereIn('raw_key', links.map((l) => l.raw_key as string));
    now.forEach((r) => affected.add(r.canonical_key));
  }
  return affected;
}

/**
 * The profile an employer is known by, chosen the same way whatever order the events come in:
 * the register record (employer event) with the latest 统计日期 wins; without one, and between
 * records of the same date, the name that sorts first (departments spell names differently).
 */
type Profile = { name: string; region_code: string; industry_code: string | null; headcount: number | null; headcount_as_of: string | null };
export function preferredProfile<T extends Profile>(a: T, b: T): T {
  if (a.headcount_as_of !== b.headcount_as_of) {
    if (a.headcount_as_of === null) return b;
    if (b.headcount_as_of === null) return a;
    return a.headcount_as_of > b.headcount_as_of ? a : b;
  }
  return b.name < a.name ? b : a;
}

/** The same choice in SQL, for the upsert: does the incoming row (excluded) win? */
const INCOMING_WINS = `(excluded.headcount_as_of is not null and employer.headcount_as_of is null)
  or (excluded.headcount_as_of > employer.headcount_as_of)
  or (excluded.headcount_as_of is not distinct from employer.headcount_as_of and excluded.name < employer.name)`;

/** Profiles of canonical employers from the events' headers (and employer events' register data). */
export async function upsertProfiles(trx: Knex.Transaction, headers: Record<string, any>[], selfKeyed = false): Promise<void> {
  const canon = new Map<string, string>(
    selfKeyed
      ? headers.map((h) => [h.employerKey, h.employerKey])
      : (await trx('employer_alias').whereRaw('raw_key = any(?::text[])', [[...new Set(headers.map((h) => h.employerKey))]])).map((r: { raw_key: string; canonical_key: string }) => [r.raw_key, r.canonical_key]),
  );
  const rows = new Map<string, Profile & { employer_key: string; uscc: string | null; normalized_name: string }>();
  for (const h of headers) {
    const key = canon.get(h.employerKey) ?? h.employerKey;
    const isEmployer = h.industryCode !== undefined && h.headcount !== undefined;
    const name = h.employerName ?? key;
    const row = {
      employer_key: key,
      uscc: key.startsWith('N:') ? null : key,
      name,
      normalized_name: normalizeEmployerName(name),
      region_code: h.regionCode,
      industry_code: isEmployer ? h.industryCode : null,
      headcount: isEmployer ? h.headcount : null,
      headcount_as_of: isEmployer ? h.asOf : null,
    };
    const prev = rows.get(key);
    rows.set(key, prev ? preferredProfile(prev, row) : row);
  }
  if (!rows.size) return;
  const pick = (col: string) => trx.raw(`case when ${INCOMING_WINS} then excluded.${col} else employer.${col} end`);
  await trx('employer')
    .insert([...rows.values()].sort((a, b) => (a.employer_key < b.employer_key ? -1 : 1))) // key order: no lock cycles between transactions
    .onConflict('employer_key')
    .merge({
      name: pick('name'),
      normalized_name: pick('normalized_name'),
      region_code: pick('region_code'),
      industry_code: pick('industry_code'),
      headcount: pick('headcount'),
      headcount_as_of: pick('headcount_as_of'),
      updated_at: trx.fn.now(),
    });
}
