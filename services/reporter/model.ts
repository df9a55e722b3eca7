/**
 * What the reporter's document renderers take: plain objects built from the correlator's rows
 * (recommendationDocument.ts, noticeDocument.ts); the renderers never see the database. The
 * risk list's shapes are in services/shared/documents.ts (the portal reads stored lists too).
 */
import type { ProblemRule } from '../shared/catalog';

/** 限期整改建议书: one per recommendation, listing every problem it holds. */
export interface RecommendationDocument {
  /** Inside the hub only (file names of a conversion); never printed. */
  recommendationId: string;
  documentNumber: string; // 发文字号, e.g. '宿工预建〔2026〕12号'
  /** 发文机关: the 主办机关 first; several for a joint letter (联合行文). */
  issuingOrgans: string[];
  recipient: string; // 主送: the employer's name
  uscc: string | null;
  title: string; // e.g. '关于宿迁示例建材有限公司限期整改职业病危害因素超标问题的建议书'
  /** 存在的问题, one section per problem rule, in the catalogue's order. */
  problems: ProblemSection[];
  deadline: string | null; // the letter's 整改期限, 'YYYY-MM-DD'
  /** Some problem has a deadline of its own (added to the letter later). */
  laterDeadlines: boolean;
  issuedAt: string; // 成文日期 'YYYY-MM-DD'
  copyTo: string[]; // 抄送
}

export interface ProblemSection {
  rule: ProblemRule | null; // null: a letter from before problems were itemised
  label: string; // 危害因素浓（强）度超标
  department: string; // 卫生健康委员会
  findings: ProblemFinding[];
  requirements: string[];
  legalBasis: string[];
}

/** One problem (an item of the recommendation) in specifics, with what has become of it. */
export interface ProblemFinding {
  /** The finding as the correlator wrote it: dates, posts, factors, measured against limit. */
  details: string[];
  /** 补充列入 / own deadline / 已整改 / 已消除 / 迟报, each a short clause. */
  notes: string[];
  resolved: boolean;
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
