import { RiskList, RiskListRow } from '../shared/documents';
import type { RiskListViewRow } from './riskListViewRow';

export type { RiskListViewRow };

/**
 * The console's view of one stored weekly list: filtered and paged on the server, so that a
 * province's list of tens of thousands of rows never travels to the browser whole. Pure.
 */
export type ListChangeFilter = 'NEW' | 'STILL_LISTED' | 'REMOVED';
export const LIST_CHANGE_FILTERS: readonly ListChangeFilter[] = ['NEW', 'STILL_LISTED', 'REMOVED'];

export interface RiskListFilter {
  district?: string;
  /** GB/T 4754 门类 letter (C) or a longer prefix (C30). */
  industry?: string;
  rule?: string;
  change?: ListChangeFilter;
  /** Part of the name or of the USCC. */
  q?: string;
  limit: number;
  offset: number;
}

/** A stored list's row as the console's table shows it. */
function fromRow(r: RiskListRow): RiskListViewRow {
  return {
    rank: r.rank,
    employerKey: r.employerKey,
    uscc: r.uscc,
    employerName: r.employerName,
    regionCode: r.regionCode,
    districtName: r.districtName,
    industryCode: r.industryCode,
    ruleLabels: r.ruleLabels,
    score: r.score,
    priority: r.priority,
    changeLabel: r.changeLabel,
    removedReason: null,
    accidents365d: r.evidence.accidents365d,
    coverage: r.evidence.coverage,
    openRecommendations: r.openRecommendations.length,
  };
}

export function filterRiskList(list: RiskList, f: RiskListFilter, districtNames: Record<string, string> = {}): { total: number; rows: RiskListViewRow[] } {
  const q = f.q?.trim().toUpperCase();
  const text = (name: string, uscc: string | null) => !q || name.toUpperCase().includes(q) || (uscc ?? '').includes(q);
  let rows: RiskListViewRow[];
  if (f.change === 'REMOVED') {
    rows = list.removed
      .filter((r) => (!f.district || r.regionCode === f.district) && !f.industry && !f.rule && text(r.employerName, r.uscc))
      .map((r) => ({
        rank: null, employerKey: r.employerKey, uscc: r.uscc, employerName: r.employerName, regionCode: r.regionCode,
        districtName: districtNames[r.regionCode] ?? r.regionCode, industryCode: null, ruleLabels: [], score: null, priority: false,
        changeLabel: '本周移出', removedReason: r.reason, accidents365d: null, coverage: null, openRecommendations: 0,
      }));
  } else {
    rows = list.rows
      .filter(
        (r) =>
          (!f.district || r.regionCode === f.district) &&
          (!f.industry || (r.industryCode ?? '').startsWith(f.industry)) &&
          (!f.rule || r.rules.includes(f.rule as never)) &&
          // On the hub's first list nothing is new or still listed: both filters show every row.
          (!f.change || r.change === f.change || r.change === 'FIRST') &&
          text(r.employerName, r.uscc),
      )
      .map(fromRow);
  }
  return { total: rows.length, rows: rows.slice(f.offset, f.offset + f.limit) };
}
