import { normalizeEmployerName } from '../shared/identifiers';

/**
 * Employer identity across departments. USCC first; a name-only record (key N:region:name) is
 * linked to a USCC employer of the same region whose name matches after normalisation, or
 * fuzzily with a recorded confidence. Two or more fuzzy candidates go to review, never a guess.
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
