import crypto from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { RuleId } from './contract';
import type { RegionConfig } from './regionConfig';

/**
 * What the reporter stores and the portal serves: the weekly risk list as JSON (its shape is
 * read by both), and the stamp that says which content a stored document was rendered from,
 * so the portal can tell a current file from a stale one without rendering anything.
 */

/** 风险清单 (weekly risk list) of one ISO week. */
export interface RiskList {
  week: string; // ISO week, e.g. '2026-W47'
  weekStart: string; // Monday, 'YYYY-MM-DD'
  weekEnd: string; // Sunday, 'YYYY-MM-DD'
  asOf: string; // ISO timestamp the list was computed as of
  generatedAt: string; // ISO timestamp
  regionName: string; // e.g. '宿迁市'
  /** The week compared with ('2026-W46'); null when no list was stored before this one. */
  previousWeek: string | null;
  /** Chinese, for people: how the change since last week was judged (首次生成，无上周清单可比). */
  comparison: string;
  rows: RiskListRow[]; // ranked: PRIORITY first, then score descending
  removed: RemovedRow[]; // on last week's list, not on this one
  byDistrict: { regionCode: string; districtName: string; employers: number; priority: number }[];
  byIndustry: { section: string; sectionName: string; employers: number; priority: number }[];
}

/** FIRST: the hub's first list, nothing to compare with (no row is called new against invented data). */
export type ListChange = 'NEW' | 'STILL_LISTED' | 'FIRST';

export const LIST_CHANGE_LABELS: Record<ListChange, string> = { NEW: '新上榜', STILL_LISTED: '持续在榜', FIRST: '首次生成' };

export interface OpenRecommendation {
  recommendationId: string;
  /** 发文字号, e.g. 宿工预建〔2026〕3号 (null only for letters issued before numbers were kept). */
  documentNumber: string | null;
  kind: string;
  kindLabel: string; // 联合督办建议
  deadline: string | null;
  departments: string[];
  departmentNames: string[]; // 卫生健康委员会、人力资源和社会保障局
}

export interface RiskListRow {
  rank: number;
  employerKey: string;
  uscc: string | null;
  employerName: string;
  regionCode: string;
  districtName: string;
  industryCode: string | null;
  industrySection: string | null; // GB/T 4754 门类 letter
  rules: RuleId[];
  ruleLabels: string[];
  score: number;
  priority: boolean;
  evidence: EvidenceSummary;
  openRecommendations: OpenRecommendation[];
  change: ListChange;
  changeLabel: string;
}

/** Key evidence in counts and dates per department (no personal data). */
export interface EvidenceSummary {
  accidents365d: number;
  deaths365d: number;
  lastAccidentDate: string | null;
  hazardExceedances: number;
  lastExceedanceDate: string | null;
  worstExceedance: { factor: string; measured: number; limit: number; unit: string } | null;
  enrolledWorkers: number;
  headcount: number | null;
  coverage: number | null; // enrolled / headcount, 0..1
  uninsuredInjuries: number;
  pneumoconiosisCases: number;
  projectsWithoutCertificate: number;
}

export interface RemovedRow {
  employerKey: string;
  uscc: string | null;
  employerName: string;
  regionCode: string;
  reason: string; // Chinese, e.g. '整改复查合格，预警已关闭'
}

/** The counts a list is announced with (the POST answer, the Avro summary). */
export function riskListCounts(list: RiskList): { employers: number; priority: number; new: number; removed: number } {
  return {
    employers: list.rows.length,
    priority: list.rows.filter((r) => r.priority).length,
    new: list.rows.filter((r) => r.change === 'NEW').length,
    removed: list.removed.length,
  };
}

/**
 * Stored documents (限期整改建议书, 通报) are rendered by the reporter; the portal serves the
 * stored bytes while their stamp matches the stamp of the source row now. The stamp covers what
 * a document is made of: the row's version (the correlator moves it on every change of content,
 * number or status), the employer's register name, the region's organs and prefix, and the
 * layout, which is bumped whenever the rendering changes what a stored document says.
 */
export const DOCUMENT_LAYOUT_VERSION = 2;

export type StoredDocumentKind = 'RECOMMENDATION' | 'NOTICE';

export interface DocumentSource {
  kind: StoredDocumentKind;
  ref: string;
  version: number;
  employerNames?: string[];
}

export function documentStamp(source: DocumentSource, region: RegionConfig): string {
  const content = [DOCUMENT_LAYOUT_VERSION, source.kind, source.ref, Number(source.version), source.employerNames ?? [], region.documentPrefix, region.organs];
  return crypto.createHash('sha256').update(stringify(content) ?? '').digest('hex');
}

/** `document.document_id` of a stored document. */
export const documentIdOf = (kind: StoredDocumentKind, ref: string): string => `${kind}:${ref}`;
