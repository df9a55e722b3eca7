import { Knex } from 'knex';
import { HubError } from '../shared/errors';
import { redactText } from '../shared/privacy';
import type { RegionConfig } from '../shared/regionConfig';
import type { NoticeDocument } from './model';
import { NO_NUMBER } from './recommendationDocument';

/**
 * A stored notice row → the 通报 the renderer lays out. The correlator writes title and body
 * (the industry named, accidents recorded later and late reports said in the text) and gives the
 * number when the notice is issued; the issuing organ, recipients and legal basis are the
 * region's and the kind's.
 */
export interface NoticeSource {
  noticeId: string;
  kind: string;
  title: string;
  issuedAt: string;
  documentNumber: string | null;
  body: string;
}

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

export function toNoticeDocument(row: NoticeSource, region: RegionConfig): NoticeDocument {
  const kind = kindOf(row.kind);
  return {
    noticeId: row.noticeId,
    kind,
    documentNumber: row.documentNumber ?? NO_NUMBER,
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

export async function loadNotice(db: Knex, noticeId: string): Promise<NoticeSource> {
  const r = await db('notice as n')
    .leftJoin('document as d', 'd.document_id', db.raw(`'NOTICE:' || n.notice_id`))
    .where('n.notice_id', noticeId)
    .first('n.notice_id', 'n.kind', 'n.title', db.raw(`to_char(n.issued_at, 'YYYY-MM-DD') as issued_at`), 'n.body', db.raw('coalesce(n.document_number, d.document_number) as document_number'));
  if (!r) throw new HubError('NOT_FOUND', '未找到该通报', { noticeId });
  return { noticeId: r.notice_id, kind: r.kind, title: r.title, issuedAt: r.issued_at, documentNumber: r.document_number ?? null, body: r.body };
}
