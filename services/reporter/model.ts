/**
 * What the reporter renders. The correlator's state (PostgreSQL) is turned into these plain
 * objects by the reporter's queries; the renderers (XLSX, DOCX, PDF) only ever see these.
 */
import { RuleId } from '../shared/contract';
export type { RuleId };

export const RULE_LABELS: Record<RuleId, string> = {
  HAZARD_EXCEEDED: '危害因素浓（强）度超标',
  ACCIDENT_PRONE: '事故多发',
  UNINSURED: '未依法参保',
  UNDER_INSURED: '参保不足',
  PRIORITY: '高危且未足额参保（重点）',
  PROJECT_UNINSURED: '项目未按规定参保',
  EARLY_PNEUMOCONIOSIS: '早发尘肺病',
  OVERDUE: '逾期未整改',
  TYPICAL_ACCIDENT: '典型事故',
};

/** 风险清单 (weekly risk list) of one ISO week. */
export interface RiskList {
  week: string; // ISO week, e.g. '2026-W47'
  weekStart: string; // Monday, 'YYYY-MM-DD'
  weekEnd: string; // Sunday, 'YYYY-MM-DD'
  asOf: string; // ISO timestamp the list was computed as of
  generatedAt: string; // ISO timestamp
  regionName: string; // e.g. '宿迁市'
  rows: RiskListRow[]; // ranked: PRIORITY first, then score descending
  removed: RemovedRow[]; // on last week's list, not on this one
  byDistrict: { regionCode: string; districtName: string; employers: number; priority: number }[];
  byIndustry: { section: string; sectionName: string; employers: number; priority: number }[];
}

export type ListChange = 'NEW' | 'STILL_LISTED';

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
  score: number;
  priority: boolean;
  evidence: EvidenceSummary;
  openRecommendations: { recommendationId: string; kind: string; deadline: string | null; departments: string[] }[];
  change: ListChange;
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

/** 限期整改建议书: one per recommendation. */
export interface RecommendationDocument {
  recommendationId: string;
  documentNumber: string; // 发文字号, e.g. '宿工预建〔2026〕12号'
  issuingOrgan: string; // 发文机关, e.g. '宿迁市卫生健康委员会'
  recipient: string; // 主送: the employer's name
  uscc: string | null;
  title: string; // e.g. '关于宿迁示例建材有限公司限期整改职业病危害问题的建议书'
  rule: RuleId;
  findings: string[]; // paragraphs of evidence (counts, dates, measurements; no personal data)
  requirements: string[]; // what must be done
  legalBasis: string[]; // e.g. '《中华人民共和国职业病防治法》第二十条'
  deadline: string | null; // 'YYYY-MM-DD'
  issuedAt: string; // 成文日期 'YYYY-MM-DD'
  copyTo: string[]; // 抄送
}

/** 通报: a typical accident, or a periodic list of entities whose dust controls fail. */
export interface NoticeDocument {
  noticeId: string;
  kind: 'TYPICAL_ACCIDENT' | 'DUST_CONTROL_FAILURES';
  documentNumber: string;
  issuingOrgan: string;
  recipients: string[]; // 主送机关
  title: string;
  paragraphs: string[]; // 正文 (no personal data of injured workers)
  table?: { headers: string[]; rows: string[][] }; // e.g. the list of entities
  legalBasis: string[];
  issuedAt: string;
}
