import { loadRegionConfig } from '../shared/regionConfig';
import { citizenIdCheckChar } from '../shared/identifiers';
import { toNoticeDocument } from './noticeDocument';

const CLEAR_ID = '32130219850312004' + citizenIdCheckChar('32130219850312004');

describe('a stored notice as the 通报 to render', () => {
  const region = loadRegionConfig({ WHP_REGION: 'suqian' });
  const row = {
    noticeId: 'NTC-1',
    kind: 'TYPICAL_ACCIDENT',
    title: '关于宿迁示例建材有限公司“2·10”机械伤害事故的通报',
    issuedAt: '2026-03-21',
    documentNumber: '宿工预通〔2026〕7号',
    body: `2026年2月10日，宿迁示例建材有限公司发生一起机械伤害事故。\n事故简况：操作工（身份证 ${CLEAR_ID}，编号 psn_AbC123）受伤。`,
  };

  test('an accident notice is issued by 应急管理局 under the number the correlator gave it', () => {
    const doc = toNoticeDocument(row, region);
    expect(doc).toMatchObject({ kind: 'TYPICAL_ACCIDENT', documentNumber: '宿工预通〔2026〕7号', issuingOrgan: '宿迁市应急管理局', issuedAt: '2026-03-21' });
    expect(doc.legalBasis.join()).toContain('安全生产法');
  });

  test('a dust-control list is 卫生健康’s; a notice never numbered says so instead of inventing a number', () => {
    const doc = toNoticeDocument({ ...row, kind: 'DUST_CONTROL_FAILURES', documentNumber: null }, region);
    expect(doc.issuingOrgan).toBe('宿迁市卫生健康委员会');
    expect(doc.documentNumber).toBe('（文号待定）');
  });

  test('the body becomes paragraphs with any ID number and pseudonym blanked out', () => {
    const doc = toNoticeDocument(row, region);
    expect(doc.paragraphs).toHaveLength(2);
    expect(doc.paragraphs.join()).not.toContain(CLEAR_ID);
    expect(doc.paragraphs.join()).not.toMatch(/psn_/);
  });
});
