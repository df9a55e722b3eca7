/**
 * Synthetic inputs for the renderers' tests and demos: a small city with a known list.
 * USCCs carry valid check characters; no person appears anywhere.
 */
import { usccCheckChar } from '../../shared/identifiers';
import type { NoticeDocument, RecommendationDocument, RiskList, RiskListRow, RuleId } from '../model';

export function uscc(region: string, serial: number): string {
  const first17 = `91${region}MA${String(serial).padStart(7, '0')}`.slice(0, 17);
  return first17 + usccCheckChar(first17);
}

const DISTRICTS = [
  { regionCode: '321302', districtName: '宿城区' },
  { regionCode: '321311', districtName: '宿豫区' },
  { regionCode: '321322', districtName: '沭阳县' },
];

function row(
  i: number,
  name: string,
  rules: RuleId[],
  score: number,
  change: RiskListRow['change'],
  extra: Partial<RiskListRow> = {},
): RiskListRow {
  const d = DISTRICTS[i % DISTRICTS.length];
  return {
    rank: 0,
    employerKey: uscc(d.regionCode, i + 1),
    uscc: uscc(d.regionCode, i + 1),
    employerName: name,
    regionCode: d.regionCode,
    districtName: d.districtName,
    industryCode: i % 2 ? 'C3011' : 'E4790',
    industrySection: i % 2 ? 'C' : 'E',
    rules,
    score,
    priority: rules.includes('PRIORITY'),
    evidence: {
      accidents365d: rules.includes('ACCIDENT_PRONE') ? 3 : 0,
      deaths365d: rules.includes('ACCIDENT_PRONE') ? 1 : 0,
      lastAccidentDate: rules.includes('ACCIDENT_PRONE') ? '2026-10-02' : null,
      hazardExceedances: rules.includes('HAZARD_EXCEEDED') ? 2 : 0,
      lastExceedanceDate: rules.includes('HAZARD_EXCEEDED') ? '2026-11-03' : null,
      worstExceedance: rules.includes('HAZARD_EXCEEDED')
        ? { factor: '矽尘', measured: 1.25, limit: 1, unit: 'mg/m³' }
        : null,
      enrolledWorkers: 12,
      headcount: 40,
      coverage: 0.3,
      uninsuredInjuries: rules.includes('UNINSURED') ? 1 : 0,
      pneumoconiosisCases: rules.includes('EARLY_PNEUMOCONIOSIS') ? 1 : 0,
      projectsWithoutCertificate: rules.includes('PROJECT_UNINSURED') ? 2 : 0,
    },
    openRecommendations: rules.includes('HAZARD_EXCEEDED')
      ? [{ recommendationId: `REC-2026-${100 + i}`, kind: '限期整改建议', deadline: '2026-12-24', departments: ['卫生健康委'] }]
      : [],
    change,
    ...extra,
  };
}

/** 2026-W47 of 宿迁市: two PRIORITY employers first, then by score. */
export function sampleRiskList(): RiskList {
  const rows = [
    row(0, '宿迁示例建材有限公司', ['PRIORITY', 'HAZARD_EXCEEDED', 'UNDER_INSURED'], 92.5, 'NEW'),
    row(1, '宿迁示例矿业有限公司', ['PRIORITY', 'ACCIDENT_PRONE', 'UNINSURED'], 88, 'STILL_LISTED'),
    row(2, '沭阳示例物流有限公司', ['ACCIDENT_PRONE'], 70.25, 'STILL_LISTED'),
    row(3, '宿豫示例建筑工程有限公司', ['PROJECT_UNINSURED'], 41, 'NEW'),
    row(4, '宿城示例石材加工厂', ['EARLY_PNEUMOCONIOSIS', 'HAZARD_EXCEEDED'], 40.5, 'STILL_LISTED'),
  ].map((r, i) => ({ ...r, rank: i + 1 }));
  return {
    week: '2026-W47',
    weekStart: '2026-11-16',
    weekEnd: '2026-11-22',
    asOf: '2026-11-22T16:00:00.000Z',
    generatedAt: '2026-11-23T00:00:00.000Z',
    regionName: '宿迁市',
    rows,
    removed: [
      {
        employerKey: uscc('321302', 900),
        uscc: uscc('321302', 900),
        employerName: '宿迁示例纺织有限公司',
        regionCode: '321302',
        reason: '整改复查合格，预警已关闭',
      },
    ],
    byDistrict: [
      { regionCode: '321302', districtName: '宿城区', employers: 2, priority: 1 },
      { regionCode: '321311', districtName: '宿豫区', employers: 2, priority: 1 },
      { regionCode: '321322', districtName: '沭阳县', employers: 1, priority: 0 },
    ],
    byIndustry: [
      { section: 'C', sectionName: '制造业', employers: 2, priority: 1 },
      { section: 'E', sectionName: '建筑业', employers: 3, priority: 1 },
    ],
  };
}

/** A generated list of n rows (for the large-list test and benchmarks), PRIORITY first. */
export function* generatedRows(n: number): Generator<RiskListRow> {
  const names = ['建材', '矿业', '物流', '建筑工程', '石材加工', '纺织', '化工', '机械制造'];
  for (let i = 0; i < n; i++) {
    const priority = i < n / 10;
    const rules: RuleId[] = priority ? ['PRIORITY', 'HAZARD_EXCEEDED', 'UNDER_INSURED'] : ['ACCIDENT_PRONE'];
    yield {
      ...row(i, `示例${names[i % names.length]}有限公司${i + 1}`, rules, 100 - (i * 90) / n, i % 3 ? 'STILL_LISTED' : 'NEW'),
      rank: i + 1,
    };
  }
}

export function sampleRecommendation(): RecommendationDocument {
  return {
    recommendationId: 'REC-2026-0012',
    documentNumber: '宿卫职健建〔2026〕12号',
    issuingOrgan: '宿迁市卫生健康委员会',
    recipient: '宿迁示例建材有限公司',
    uscc: uscc('321302', 1),
    title: '关于宿迁示例建材有限公司限期整改职业病危害问题的建议书',
    rule: 'HAZARD_EXCEEDED',
    findings: [
      '2026年11月3日，你单位破碎车间岗位矽尘（总尘）检测值为1.25 mg/m³，超过《工作场所有害因素职业接触限值 第1部分：化学有害因素》（GBZ 2.1）规定的时间加权平均容许浓度（PC-TWA）1 mg/m³。近一年内同一因素超标2次。',
      '截至2026年11月22日，你单位登记职工40人，参加工伤保险12人，参保率30%，低于90%的要求。',
    ],
    requirements: [
      '立即对破碎车间采取防尘降尘措施，确保粉尘浓度符合国家职业卫生标准。',
      '委托具备资质的职业卫生技术服务机构重新检测，并向卫生健康部门报送检测结果。',
      '依法为全部职工参加工伤保险，补缴应缴未缴的工伤保险费。',
    ],
    legalBasis: [
      '《中华人民共和国职业病防治法》第十五条、第二十六条',
      '《中华人民共和国安全生产法》第四十五条',
      '《工伤保险条例》第二条、第十条',
    ],
    deadline: '2026-12-24',
    issuedAt: '2026-11-24',
    copyTo: ['宿迁市人力资源和社会保障局', '宿迁市应急管理局', '宿城区卫生健康局'],
  };
}

export function sampleNotice(): NoticeDocument {
  return {
    noticeId: 'NOT-2026-0003',
    kind: 'DUST_CONTROL_FAILURES',
    documentNumber: '宿卫职健〔2026〕3号',
    issuingOrgan: '宿迁市卫生健康委员会',
    recipients: ['各县（区）卫生健康委（局）', '市各有关单位'],
    title: '关于2026年第三季度粉尘危害治理不达标责任主体名单的通报',
    paragraphs: [
      '为落实《工伤预防五年行动计划（2021—2025年）》，加强粉尘危害源头治理，市卫生健康委会同人力资源社会保障、应急管理等部门，对2026年第三季度各地报送的工作场所职业病危害因素检测数据进行了关联分析。',
      '一、基本情况',
      '第三季度共有3家用人单位粉尘浓度检测超标且逾期未完成整改，名单如下。',
      '二、工作要求',
      '各地要督促上述单位立即整改，并于2026年12月31日前将整改情况报送市卫生健康委。逾期未整改的，依法予以处理。',
    ],
    table: {
      headers: ['序号', '单位名称', '所在区县', '危害因素', '超标次数', '整改期限'],
      rows: [
        ['1', '宿迁示例建材有限公司', '宿城区', '矽尘', '2', '2026年10月15日'],
        ['2', '宿城示例石材加工厂', '宿城区', '矽尘', '3', '2026年9月30日'],
        ['3', '沭阳示例铸造有限公司', '沭阳县', '其他粉尘', '2', '2026年10月8日'],
      ],
    },
    legalBasis: ['《中华人民共和国职业病防治法》第十五条、第二十五条', '《工伤保险条例》第四条'],
    issuedAt: '2026-11-24',
  };
}
