import { DEPARTMENTS, Department, RuleId } from './contract';

/**
 * The catalogue of the correlation rules (CONTRACT.md section 4) and of what they produce:
 * Chinese labels, routing, legal basis and the wording of documents. Read by the correlator
 * (explanations, routing), the reporter (documents, lists) and the portal (labels); one place,
 * so that a label or a citation is changed once.
 */
export type { RuleId };
export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export const RULE_IDS: readonly RuleId[] = [
  'PRIORITY',
  'HAZARD_EXCEEDED',
  'ACCIDENT_PRONE',
  'UNINSURED',
  'UNDER_INSURED',
  'PROJECT_UNINSURED',
  'EARLY_PNEUMOCONIOSIS',
  'OVERDUE',
  'TYPICAL_ACCIDENT',
];

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

export const SEVERITY_LABELS: Record<Severity, string> = { LOW: '低', MEDIUM: '中', HIGH: '高', CRITICAL: '严重' };

/** Short names of the departments as they appear inside sentences (卫生健康部门). */
export const DEPARTMENT_SHORT: Record<Department, string> = {
  hrss: '人力资源社会保障',
  emergency: '应急管理',
  health: '卫生健康',
  housing: '住房城乡建设',
  transport: '交通运输',
  market: '市场监督管理',
  union: '工会',
};

export function departmentName(d: string): string {
  return DEPARTMENTS[d as Department] ?? d;
}

/**
 * Problems a recommendation lists, one kind per rule that asks a department to act. Each has
 * its department (who issues and re-checks it), its deadline and the words of the document.
 */
export type ProblemRule = 'HAZARD_EXCEEDED' | 'ACCIDENT_PRONE' | 'UNINSURED' | 'UNDER_INSURED' | 'PROJECT_UNINSURED' | 'KEY_POST_TRAINING';

/** The problems a letter lists, in the order it lists them. */
export const PROBLEM_RULES: readonly ProblemRule[] = ['HAZARD_EXCEEDED', 'ACCIDENT_PRONE', 'UNINSURED', 'UNDER_INSURED', 'PROJECT_UNINSURED', 'KEY_POST_TRAINING'];

export interface ProblemWording {
  /** 建议书标题中的问题: 关于××单位限期整改{subject}问题的建议书 */
  subject: string;
  /** 整改要求 */
  requirements: string[];
  /** 依据 (a legal reviewer should confirm these before real use: see README) */
  legalBasis: string[];
}

export const PROBLEM_WORDING: Record<ProblemRule, ProblemWording> = {
  HAZARD_EXCEEDED: {
    subject: '职业病危害因素超标',
    requirements: [
      '立即对超标岗位采取工程控制和个体防护措施，确保职业病危害因素浓（强）度符合国家职业卫生标准',
      '委托具备资质的职业卫生技术服务机构重新检测，并将检测结果向劳动者公布',
      '对接触职业病危害的劳动者组织职业健康检查',
    ],
    legalBasis: ['《中华人民共和国职业病防治法》第二十条、第二十六条'],
  },
  ACCIDENT_PRONE: {
    subject: '生产安全事故多发',
    requirements: [
      '全面开展事故隐患排查治理，落实安全风险分级管控措施',
      '组织全员安全生产教育培训，重点岗位持证上岗',
      '对近一年发生的事故逐起查明原因、落实防范措施',
    ],
    legalBasis: ['《中华人民共和国安全生产法》第四条、第四十一条'],
  },
  UNINSURED: {
    subject: '未依法参加工伤保险',
    requirements: ['依法为全部职工办理工伤保险参保登记并按时足额缴费', '对未参保期间发生的工伤依法承担工伤保险待遇'],
    legalBasis: ['《工伤保险条例》第二条、第十条、第六十二条'],
  },
  UNDER_INSURED: {
    subject: '工伤保险参保不足',
    requirements: ['依法为全部职工（接尘岗位劳动者优先）办理工伤保险参保登记并按时足额缴费'],
    legalBasis: ['《工伤保险条例》第二条、第十条'],
  },
  PROJECT_UNINSURED: {
    subject: '工程项目未按规定参加工伤保险',
    requirements: ['按项目参加工伤保险并向行业主管部门提交参保证明', '在施工现场公示工伤保险参保信息'],
    legalBasis: ['《工伤保险条例》第二条、第十条', '《关于铁路、公路、水运、水利、能源、机场工程建设项目参加工伤保险工作的通知》（人社部发〔2018〕3号）'],
  },
  KEY_POST_TRAINING: {
    subject: '重点岗位人员未参加工伤预防培训',
    requirements: ['组织重点岗位人员参加工伤预防培训，一年内重点岗位人员培训覆盖率达到 100%', '建立培训档案，培训情况报人社部门备案'],
    legalBasis: ['《中华人民共和国安全生产法》第二十八条', '《工伤预防费使用管理暂行办法》（人社部规〔2017〕13号）第四条'],
  },
};

/** How a letter names each problem (the contract's rule labels, and the training item). */
export const PROBLEM_LABELS: Record<ProblemRule, string> = {
  HAZARD_EXCEEDED: '危害因素浓（强）度超标',
  ACCIDENT_PRONE: '事故多发',
  UNINSURED: '未依法参保',
  UNDER_INSURED: '参保不足',
  PROJECT_UNINSURED: '项目未按规定参保',
  KEY_POST_TRAINING: '重点岗位人员未培训',
};

/** The kind of a recommendation, from the departments it is addressed to. */
export type RecommendationKind = 'RECTIFY' | 'MONITOR' | 'EXPAND_COVERAGE' | 'JOINT' | 'SUPERVISE' | 'ESCALATE';

export const RECOMMENDATION_KIND_LABELS: Record<RecommendationKind, string> = {
  RECTIFY: '限期整改建议',
  MONITOR: '重点监控建议',
  EXPAND_COVERAGE: '参保扩面建议',
  JOINT: '联合督办建议',
  SUPERVISE: '督促整改建议',
  ESCALATE: '依法处理建议',
};

export type RecommendationStatus = 'OPEN' | 'OVERDUE' | 'RECTIFIED' | 'WITHDRAWN' | 'MERGED' | 'ESCALATED';

export const RECOMMENDATION_STATUS_LABELS: Record<RecommendationStatus, string> = {
  OPEN: '整改中',
  OVERDUE: '已逾期',
  RECTIFIED: '已整改',
  WITHDRAWN: '已撤回（问题消除）',
  MERGED: '已并入联合督办建议',
  ESCALATED: '已移送依法处理',
};

/** Which department acts on each problem, by rule (PROJECT_UNINSURED: the project's publisher). */
export const PROBLEM_DEPARTMENT: Record<Exclude<ProblemRule, 'PROJECT_UNINSURED'>, Department> = {
  HAZARD_EXCEEDED: 'health',
  ACCIDENT_PRONE: 'emergency',
  UNINSURED: 'hrss',
  UNDER_INSURED: 'hrss',
  // 工伤预防培训 is 人社's programme; its own training records show it done.
  KEY_POST_TRAINING: 'hrss',
};

export function recommendationKindOf(departments: readonly string[]): RecommendationKind {
  if (departments.length > 1) return 'JOINT';
  switch (departments[0]) {
    case 'health':
      return 'RECTIFY';
    case 'emergency':
      return 'MONITOR';
    case 'hrss':
      return 'EXPAND_COVERAGE';
    default:
      return 'SUPERVISE';
  }
}

/** Dust factors (粉尘): 矽尘, 煤尘, 水泥粉尘, 石棉粉尘 … */
export function isDustFactor(factor: string): boolean {
  return factor.includes('尘');
}

/** GB 6441-1986 / 生产安全事故报告和调查处理条例: 较大 and above by casualties or loss. */
export function isMajorAccident(p: { deaths?: number; seriousInjuries?: number; directLossYuan?: number }): boolean {
  return (p.deaths ?? 0) >= 3 || (p.seriousInjuries ?? 0) >= 10 || (p.directLossYuan ?? 0) >= 10_000_000;
}

/** 迟报: shown beside evidence reported after its rule's window had passed. */
export const LATE_LABEL = '迟报';

/** What staff write in 参保证明编号 when there is no certificate (未提交项目参保缴费证明). */
const NO_CERTIFICATE = new Set(['', '无', '暂无', '没有', '未提交', '未交', '待补', '待提交', '缺', '/', '／', '-', '—', '－', '0', '无证明', 'N/A', 'NA', 'NULL', 'NONE']);

export function isMissingCertificate(certificate: unknown): boolean {
  if (certificate === null || certificate === undefined) return true;
  return NO_CERTIFICATE.has(String(certificate).normalize('NFKC').replace(/\s+/g, '').toUpperCase());
}

/** What a department should fix in its feed (the correlator's feed_issue), as people read it. */
export type FeedIssueKind = 'LATE_REPORT' | 'RECHECK_NOT_ADDRESSEE' | 'RECHECK_UNKNOWN_RECOMMENDATION';

export const FEED_ISSUE_KIND_LABELS: Record<FeedIssueKind, string> = {
  LATE_REPORT: '迟报',
  RECHECK_NOT_ADDRESSEE: '复查结果未采用（非主送部门报送）',
  RECHECK_UNKNOWN_RECOMMENDATION: '复查结果未采用（建议书编号未找到）',
};

/** A problem (item) of a recommendation. */
export const ITEM_STATUS_LABELS: Record<'OPEN' | 'RECTIFIED' | 'ENDED', string> = { OPEN: '整改中', RECTIFIED: '已整改', ENDED: '已消除' };

export const ALERT_CLOSE_REASON_LABELS: Record<'CONDITION_ENDED' | 'RECTIFIED' | 'SUPERSEDED', string> = {
  CONDITION_ENDED: '条件消除',
  RECTIFIED: '整改复查合格',
  SUPERSEDED: '已由新的预警取代',
};

export const NOTICE_KIND_LABELS: Record<'TYPICAL_ACCIDENT' | 'DUST_CONTROL_FAILURES', string> = {
  TYPICAL_ACCIDENT: '典型事故通报',
  DUST_CONTROL_FAILURES: '粉尘危害治理不达标责任主体名单通报',
};

/**
 * Citations of several problems as one list: the articles of one law together, once each
 * (《工伤保险条例》第二条、第十条 and 《工伤保险条例》第二条、第十条、第六十二条 → the latter).
 */
export function mergeLegalBasis(citations: readonly string[]): string[] {
  const laws = new Map<string, string[]>();
  for (const c of citations) {
    const m = /^(《[^》]+》(?:（[^）]*）)?)(.*)$/.exec(c.trim().replace(/[。；;，,]+$/, ''));
    if (!m) continue;
    const articles = laws.get(m[1]) ?? [];
    for (const a of m[2].split('、').map((x) => x.trim()).filter(Boolean)) if (!articles.includes(a)) articles.push(a);
    laws.set(m[1], articles);
  }
  return [...laws].map(([law, articles]) => law + articles.join('、'));
}
