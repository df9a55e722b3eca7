import { loadRegionConfig } from '../shared/regionConfig';
import { RecommendationSource, StoredItem, toRecommendationDocument } from './recommendationDocument';

const region = loadRegionConfig({ WHP_REGION: 'suqian' });

const hazard = (over: Partial<StoredItem> = {}): StoredItem => ({
  rule: 'HAZARD_EXCEEDED',
  department: 'health',
  key: '矽尘|破碎',
  issuedAt: '2026-03-12',
  deadline: '2026-04-11',
  status: 'OPEN',
  resolvedAt: null,
  details: ['2026年3月10日 破碎岗位 矽尘 检测值 2.6 mg/m³，PC-TWA 限值 1 mg/m³，为限值的 2.6 倍'],
  evidence: [{ department: 'health', eventType: 'hazard', eventId: 'HZ-1' }],
  ...over,
});

function source(over: Partial<RecommendationSource> = {}): RecommendationSource {
  return {
    recommendationId: 'REC-abc',
    documentNumber: '宿工预建〔2026〕3号',
    rule: 'HAZARD_EXCEEDED',
    departments: ['health'],
    issuedAt: '2026-03-12',
    deadline: '2026-04-11',
    text: '',
    items: [hazard()],
    employer: { name: '宿迁示例建材有限公司', uscc: '91321302MA1P7K9X3Q' },
    alertExplanation: null,
    late: new Map(),
    ...over,
  };
}

describe('a recommendation as the 限期整改建议书 to sign', () => {
  test('one letter of 卫生健康: its number, organ, addressee, the problem in specifics, 抄送 人社', () => {
    const doc = toRecommendationDocument(source(), region);
    expect(doc).toMatchObject({
      documentNumber: '宿工预建〔2026〕3号',
      issuingOrgans: ['宿迁市卫生健康委员会'],
      recipient: '宿迁示例建材有限公司',
      title: '关于宿迁示例建材有限公司限期整改职业病危害因素超标问题的建议书',
      deadline: '2026-04-11',
      issuedAt: '2026-03-12',
      copyTo: ['宿迁市人力资源和社会保障局'],
      laterDeadlines: false,
    });
    expect(doc.problems).toEqual([
      expect.objectContaining({
        label: '危害因素浓（强）度超标',
        department: '卫生健康委员会',
        findings: [{ details: ['2026年3月10日 破碎岗位 矽尘 检测值 2.6 mg/m³，PC-TWA 限值 1 mg/m³，为限值的 2.6 倍'], notes: [], resolved: false }],
      }),
    ]);
    expect(doc.problems[0].legalBasis.join()).toContain('职业病防治法');
    expect(doc.problems[0].requirements.length).toBeGreaterThan(0);
  });

  test('every problem is listed, grouped by rule; one added later gives its own deadline; resolved ones say when', () => {
    const doc = toRecommendationDocument(
      source({
        departments: ['health', 'hrss'],
        items: [
          hazard({ key: '矽尘|破碎', status: 'RECTIFIED', resolvedAt: '2026-04-02' }),
          { ...hazard({ key: '噪声|包装', issuedAt: '2026-03-20', deadline: '2026-04-19' }), details: ['2026年3月18日 包装岗位 噪声 检测值 92 dB(A)'] },
          {
            rule: 'UNDER_INSURED', department: 'hrss', key: 'coverage', issuedAt: '2026-03-12', deadline: '2026-04-11', status: 'ENDED', resolvedAt: '2026-03-30',
            details: ['截至2026年3月12日参保 12 人，职工 40 人'], evidence: [],
          },
        ],
      }),
      region,
    );
    expect(doc.issuingOrgans).toEqual(['宿迁市卫生健康委员会', '宿迁市人力资源和社会保障局']);
    expect(doc.copyTo).toEqual([]);
    expect(doc.title).toBe('关于宿迁示例建材有限公司限期整改职业病危害因素超标和工伤保险参保不足问题的建议书');
    expect(doc.problems.map((p) => [p.label, p.department, p.findings.map((f) => f.notes)])).toEqual([
      ['危害因素浓（强）度超标', '卫生健康委员会', [['已整改，2026年4月2日'], ['2026年3月20日补充列入，整改期限为2026年4月19日']]],
      ['参保不足', '人力资源和社会保障局', [['已消除，2026年3月30日']]],
    ]);
    expect(doc.laterDeadlines).toBe(true);
  });

  test('late evidence (迟报) is said beside the problem it supports', () => {
    const accident = {
      rule: 'ACCIDENT_PRONE', department: 'emergency', key: 'accidents', issuedAt: '2026-03-12', deadline: '2026-04-11', status: 'OPEN' as const, resolvedAt: null,
      details: ['2025年1月5日 高处坠落事故，死亡 1 人、重伤 0 人、轻伤 0 人'],
      evidence: [{ department: 'emergency', eventType: 'accident', eventId: 'AC-9' }],
    };
    const doc = toRecommendationDocument(
      source({
        departments: ['emergency'],
        items: [accident],
        late: new Map([['emergency|accident|AC-9', { department: 'emergency', eventType: 'accident', day: '2025-01-05', reportedDay: '2026-03-11' }]]),
      }),
      region,
    );
    expect(doc.problems[0].findings[0].notes).toEqual(['迟报：应急管理局报送的2025年1月5日事故于2026年3月11日方才报送，超过规定报送时限，仍予列入']);
  });

  test('no personal data passes: ID numbers and pseudonyms in stored text are blanked', () => {
    const doc = toRecommendationDocument(source({ items: [hazard({ details: ['职工 psn_Zx81 （110101199003074477）确诊'] })] }), region);
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/psn_/);
    expect(text).not.toContain('110101199003074477');
  });

  test('a letter from before problems were itemised lists its alert’s explanation; no number is never invented', () => {
    const doc = toRecommendationDocument(source({ items: [], documentNumber: null, alertExplanation: '自2026年3月10日起超标 2 次。' }), region);
    expect(doc.documentNumber).toBe('（文号待定）');
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0].findings[0].details).toEqual(['自2026年3月10日起超标 2 次。']);
  });
});
