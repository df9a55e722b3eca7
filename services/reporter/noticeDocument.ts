import type { RegionConfig } from '../shared/regionConfig';
import type { NoticeDocument } from '../reporter/model';
import type { NoticeRow } from './queries';
import { redactText } from '../shared/privacy';

/**
 * A stored notice row → the 通报 the renderer lays out. The correlator stores title and body;
 * the issuing organ, recipients, number and legal basis are the region's and the kind's.
 */
const ISSUER: Record<NoticeDocument['kind'], keyof RegionConfig['organs']> = {
  TYPICAL_ACCIDENT: 'emergency', // 事故通报 is 应急管理's
  DUST_CONTROL_FAILURES: 'health', // 粉尘危害治理不达标 is 卫生健康's
};

const RECIPIENTS: Record<NoticeDocument['kind'], string[]> = {
  TYPICAL_ACCIDENT: ['各县（区）人民政府', '市工伤预防工作联席会议各成员单位'],
  DUST_CONTROL_FAILURES: ['各县（区）卫生健康委（局）', '市工伤预防工作联席会议各成员单位'],
};

const LEGAL_BASIS: Record<NoticeDocument['kind'], string[]> = {
  TYPICAL_ACCIDENT: ['《中华人民共和国安全生产法》', '《工伤保险条例》', '《工伤预防五年行动计划（2021—2025年）》（人社部发〔2020〕90号）'],
  DUST_CONTROL_FAILURES: ['《中华人民共和国职业病防治法》', '《工伤保险条例》', '《工伤预防五年行动计划（2021—2025年）》（人社部发〔2020〕90号）'],
};

const kindOf = (kind: string): NoticeDocument['kind'] => (kind === 'DUST_CONTROL_FAILURES' ? 'DUST_CONTROL_FAILURES' : 'TYPICAL_ACCIDENT');

/**
 * `sequence` is the notice's 1-based place among the year's notices (queries.noticeSequence),
 * so the same data always gives the same 发文字号.
 */
export function toNoticeDocument(row: NoticeRow, region: RegionConfig, sequence: number): NoticeDocument {
  const kind = kindOf(row.kind);
  return {
    noticeId: row.noticeId,
    kind,
    documentNumber: `${region.documentPrefix}通〔${row.issuedAt.slice(0, 4)}〕${sequence}号`,
    issuingOrgan: region.organs[ISSUER[kind]],
    recipients: RECIPIENTS[kind],
    title: redactText(row.title),
    // Stored text is free text from departments: blank any ID number rather than refuse to render.
    paragraphs: row.body
      .split(/\n+/)
      .map((p) => redactText(p.trim()))
      .filter(Boolean),
    legalBasis: LEGAL_BASIS[kind],
    issuedAt: row.issuedAt,
  };
}
