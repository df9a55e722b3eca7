/**
 * One row of the console's 风险清单 — a listed employer, or one removed since last week — as the
 * portal answers it and the console shows it. The console imports this type; the file imports
 * nothing, so that the browser build needs nothing else.
 */
export interface RiskListViewRow {
  rank: number | null;
  employerKey: string;
  uscc: string | null;
  employerName: string;
  regionCode: string;
  districtName: string;
  industryCode: string | null;
  ruleLabels: string[];
  score: number | null;
  priority: boolean;
  changeLabel: string;
  /** Why it left the list (removed rows only). */
  removedReason: string | null;
  accidents365d: number | null;
  coverage: number | null;
  openRecommendations: number;
}
