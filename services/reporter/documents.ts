import crypto from 'node:crypto';
import { Knex } from 'knex';
import type { RegionConfig } from '../shared/regionConfig';
import { DEPARTMENTS, Department } from '../shared/contract';
import { HubError } from '../shared/errors';
import { redactText } from '../shared/privacy';
import { RecommendationDocument, RuleId } from './model';

/**
 * 限期整改建议书: one per recommendation, built from the recommendation, its alert and the
 * employer (no personal data: the alert's evidence is counted per department, never listed).
 * The 发文字号 is assigned once per document and year and stored, so regenerating gives the
 * same number and, from the same data, the same file.
 */
export type DocumentKind = 'RECOMMENDATION' | 'NOTICE';
const NUMBER_INFIX: Record<DocumentKind, string> = { RECOMMENDATION: '建', NOTICE: '通' };

const SUBJECT: Record<RuleId, string> = {
  HAZARD_EXCEEDED: '职业病危害因素超标',
  ACCIDENT_PRONE: '生产安全事故多发',
  UNINSURED: '未依法参加工伤保险',
  UNDER_INSURED: '工伤保险参保不足',
  PRIORITY: '职业病危害和安全生产风险突出且工伤保险参保不足',
  PROJECT_UNINSURED: '工程项目未按规定参加工伤保险',
  EARLY_PNEUMOCONIOSIS: '劳动者早发尘肺病',
  OVERDUE: '逾期未完成整改',
  TYPICAL_ACCIDENT: '发生典型生产安全事故',
};

const REQUIREMENTS: Record<RuleId, string[]> = {
  HAZARD_EXCEEDED: [
    '立即对超标岗位采取工程控制和个体防护措施，确保职业病危害因素浓（强）度符合国家职业卫生标准',
    '委托具备资质的职业卫生技术服务机构重新检测，并将检测结果向劳动者公布',
    '对接触职业病危害的劳动者组织职业健康检查',
  ],
  EARLY_PNEUMOCONIOSIS: [
    '立即排查粉尘作业岗位的防尘设施和个体防护，组织接尘劳动者进行职业健康检查',
    '依法为职业病病人落实诊疗、康复和工伤保险待遇',
  ],
  ACCIDENT_PRONE: [
    '全面开展事故隐患排查治理，落实安全风险分级管控措施',
    '组织全员安全生产教育培训，重点岗位持证上岗',
    '对近一年发生的事故逐起查明原因、落实防范措施',
  ],
  TYPICAL_ACCIDENT: ['深刻汲取事故教训，全面排查同类风险隐患', '配合有关部门做好事故调查处理工作'],
  UNINSURED: ['依法为全部职工办理工伤保险参保登记并按时足额缴费', '对未参保期间发生的工伤依法承担工伤保险待遇'],
  UNDER_INSURED: ['依法为全部职工（接尘岗位劳动者优先）办理工伤保险参保登记并按时足额缴费'],
  PROJECT_UNINSURED: ['按项目参加工伤保险并向行业主管部门提交参保证明', '在施工现场公示工伤保险参保信息'],
  PRIORITY: [
    '立即对职业病危害超标岗位和事故多发环节采取治理措施',
    '依法为全部职工办理工伤保险参保登记并按时足额缴费',
    '整改完成后向有关部门报送整改报告，申请复查',
  ],
  OVERDUE: ['立即完成此前整改建议书所列事项，并书面说明逾期原因'],
};

const LEGAL_BASIS: Record<RuleId, string[]> = {
  HAZARD_EXCEEDED: ['《中华人民共和国职业病防治法》第二十条、第二十六条'],
  EARLY_PNEUMOCONIOSIS: ['《中华人民共和国职业病防治法》第二十条、第三十五条'],
  ACCIDENT_PRONE: ['《中华人民共和国安全生产法》第四条、第四十一条'],
  TYPICAL_ACCIDENT: ['《中华人民共和国安全生产法》第四条'],
  UNINSURED: ['《工伤保险条例》第二条、第十条、第六十二条'],
  UNDER_INSURED: ['《工伤保险条例》第二条、第十条'],
  PROJECT_UNINSURED: ['《工伤保险条例》第二条、第十条'],
  PRIORITY: ['《中华人民共和国安全生产法》第四条', '《中华人民共和国职业病防治法》第二十条', '《工伤保险条例》第二条、第十条'],
  OVERDUE: ['《中华人民共和国安全生产法》', '《中华人民共和国职业病防治法》', '《工伤保险条例》'],
};

export interface RecommendationRecord {
  recommendationId: string;
  rule: RuleId;
  kind: string;
  departments: Department[];
  issuedAt: string;
  deadline: string | null;
  status: string;
  text: string;
  alert: { explanation: string; evidence: unknown; openedAt: string } | null;
  employer: { employerKey: string; uscc: string | null; name: string; regionCode: string };
}

export async function findRecommendation(db: Knex, id: string): Promise<RecommendationRecord> {
  const r = await db('recommendation as r')
    .leftJoin('alert as a', 'a.alert_id', 'r.alert_id')
    .leftJoin('employer as e', 'e.employer_key', 'r.employer_key')
    .where('r.recommendation_id', id)
    .first(
      'r.recommendation_id',
      'r.rule',
      'r.kind',
      'r.departments',
      db.raw(`to_char(r.issued_at, 'YYYY-MM-DD') as issued_at`),
      db.raw(`to_char(r.deadline, 'YYYY-MM-DD') as deadline`),
      'r.status',
      'r.text',
      'r.employer_key',
      'a.alert_id',
      'a.explanation',
      'a.evidence',
      db.raw(`to_char(a.opened_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as opened_at`),
      'e.uscc',
      'e.name',
      'e.region_code',
    );
  if (!r) throw new HubError('NOT_FOUND', `未找到整改建议“${id}”`, { recommendationId: id });
  return {
    recommendationId: r.recommendation_id,
    rule: r.rule,
    kind: r.kind,
    departments: r.departments,
    issuedAt: r.issued_at,
    deadline: r.deadline,
    status: r.status,
    text: r.text,
    alert: r.alert_id ? { explanation: r.explanation, evidence: r.evidence, openedAt: r.opened_at } : null,
    employer: { employerKey: r.employer_key, uscc: r.uscc ?? null, name: r.name ?? r.employer_key, regionCode: r.region_code ?? '' },
  };
}

/** Evidence counted per department: "卫生健康委员会 2 条、人力资源和社会保障局 1 条". */
function evidenceCounts(evidence: unknown): string | null {
  const counts = new Map<string, number>();
  const add = (dept: string, n: number) => counts.set(dept, (counts.get(dept) ?? 0) + n);
  if (Array.isArray(evidence)) for (const e of evidence) add(String((e as { department?: string }).department ?? ''), 1);
  else if (evidence && typeof evidence === 'object') {
    for (const [dept, list] of Object.entries(evidence)) add(dept, Array.isArray(list) ? list.length : 1);
  }
  const parts = [...counts]
    .filter(([d, n]) => d && n > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([d, n]) => `${DEPARTMENTS[d as Department] ?? d} ${n} 条`);
  return parts.length ? `上述问题有共享数据佐证：${parts.join('、')}` : null;
}

/** Assigns (once) the document's number within its kind and year; returns the stored one after. */
export async function assignDocumentNumber(
  db: Knex,
  region: RegionConfig,
  kind: DocumentKind,
  refId: string,
  year: number,
): Promise<{ documentId: string; documentNumber: string; seq: number }> {
  const documentId = `${kind}:${refId}`;
  return db.transaction(async (trx) => {
    const existing = await trx('document').where('document_id', documentId).first('document_number', 'seq');
    if (existing) return { documentId, documentNumber: existing.document_number, seq: existing.seq };
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`document:${kind}:${year}`]);
    const again = await trx('document').where('document_id', documentId).first('document_number', 'seq');
    if (again) return { documentId, documentNumber: again.document_number, seq: again.seq };
    const [{ max }] = await trx('document').where({ kind, year }).max({ max: 'seq' });
    const seq = Number(max ?? 0) + 1;
    const documentNumber = `${region.documentPrefix}${NUMBER_INFIX[kind]}〔${year}〕${seq}号`;
    await trx('document').insert({ document_id: documentId, kind, ref_id: refId, year, seq, document_number: documentNumber });
    return { documentId, documentNumber, seq };
  });
}

export function toRecommendationDocument(rec: RecommendationRecord, region: RegionConfig, documentNumber: string): RecommendationDocument {
  const depts = rec.departments.length ? rec.departments : (['hrss'] as Department[]);
  const issuer = depts[0];
  const copyTo = [...new Set([...depts.slice(1), ...(issuer === 'hrss' ? [] : (['hrss'] as Department[]))])].map((d) => region.organs[d]).filter(Boolean);
  const findings = [rec.alert?.explanation, rec.text !== rec.alert?.explanation ? rec.text : null, evidenceCounts(rec.alert?.evidence)]
    .filter((t): t is string => !!t && !!t.trim())
    .flatMap((t) => t.split(/\n+/))
    .map((t) => redactText(t.trim()))
    .filter(Boolean);
  return {
    recommendationId: rec.recommendationId,
    documentNumber,
    issuingOrgan: region.organs[issuer],
    recipient: rec.employer.name,
    uscc: rec.employer.uscc,
    title: `关于${rec.employer.name}限期整改${SUBJECT[rec.rule] ?? '有关'}问题的建议书`,
    rule: rec.rule,
    findings,
    requirements: REQUIREMENTS[rec.rule] ?? [],
    legalBasis: LEGAL_BASIS[rec.rule] ?? [],
    deadline: rec.deadline,
    issuedAt: rec.issuedAt,
    copyTo,
  };
}

export async function recommendationDocument(db: Knex, region: RegionConfig, id: string): Promise<{ record: RecommendationRecord; doc: RecommendationDocument }> {
  const record = await findRecommendation(db, id);
  const { documentNumber } = await assignDocumentNumber(db, region, 'RECOMMENDATION', id, Number(record.issuedAt.slice(0, 4)));
  return { record, doc: toRecommendationDocument(record, region, documentNumber) };
}

const hashOf = (doc: unknown) => crypto.createHash('sha256').update(JSON.stringify(doc)).digest('hex');

/**
 * The DOCX or PDF of a recommendation: the stored file when it was rendered from the same
 * document content, otherwise rendered now and stored (the PDF through LibreOffice).
 */
export async function recommendationFile(db: Knex, region: RegionConfig, id: string, format: 'docx' | 'pdf'): Promise<{ record: RecommendationRecord; doc: RecommendationDocument; bytes: Buffer }> {
  const { record, doc } = await recommendationDocument(db, region, id);
  const documentId = `RECOMMENDATION:${id}`;
  const hash = hashOf(doc);
  const stored = await db('document').where('document_id', documentId).first('content_hash', 'docx', 'pdf');
  const fresh = stored?.content_hash === hash;
  if (fresh && stored[format]) return { record, doc, bytes: stored[format] as Buffer };
  const render = await import('./render/officialDocument');
  const docx: Buffer = fresh && stored.docx ? stored.docx : await render.renderRecommendationDocx(doc);
  const pdf: Buffer | null = format === 'pdf' ? await (await import('./render/libreoffice')).docxToPdf(docx, `recommendation-${id}`) : fresh ? stored.pdf : null;
  await db('document').where('document_id', documentId).update({ docx, pdf, content_hash: hash, updated_at: db.fn.now() });
  return { record, doc, bytes: format === 'docx' ? docx : pdf! };
}
