/**
 * The hub's outside contract in code (../shared/CONTRACT.md sections 1–2): departments,
 * event types, their topics and who may publish them.
 */
export const DEPARTMENTS = {
  hrss: '人力资源和社会保障局',
  emergency: '应急管理局',
  health: '卫生健康委员会',
  housing: '住房和城乡建设局',
  transport: '交通运输局',
  market: '市场监督管理局',
  union: '总工会',
} as const;
export type Department = keyof typeof DEPARTMENTS;

export const EVENT_TYPES = [
  'employer',
  'enrollment',
  'accident',
  'hazard',
  'disease',
  'injury',
  'project',
  'rectification',
  // The plan's other instruments (浮动费率, 培训, 双随机检查), CONTRACT section 2's second table.
  'contribution',
  'benefit',
  'training',
  'inspection',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What people read for each feed (audit log, console). */
export const EVENT_TYPE_LABELS: Record<EventType, string> = {
  employer: '单位登记信息',
  enrollment: '参保登记',
  accident: '生产安全事故',
  hazard: '职业病危害因素检测',
  disease: '职业病诊断',
  injury: '工伤认定',
  project: '在建工程项目',
  rectification: '整改完成情况',
  contribution: '工伤保险缴费',
  benefit: '工伤保险待遇支付',
  training: '重点岗位培训',
  inspection: '监督检查',
};

export const OUTPUT_TYPES = ['alert', 'recommendation', 'notice', 'risklist', 'deadletter'] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];

export type TopicType = EventType | OutputType;

export function topicOf(type: TopicType): string {
  return `whp.${type}.v1`;
}

/** The schema of every topic is `schemas/<type>.avsc`, registered as `<topic>-value`. */
export function subjectOf(type: TopicType): string {
  return `${topicOf(type)}-value`;
}

export const PUBLISHERS: Record<EventType, readonly Department[]> = {
  employer: ['hrss', 'market'],
  enrollment: ['hrss'],
  accident: ['emergency', 'housing', 'transport'],
  hazard: ['health'],
  disease: ['health'],
  injury: ['hrss'],
  project: ['housing', 'transport'],
  rectification: ['emergency', 'health'],
  contribution: ['hrss'],
  benefit: ['hrss'],
  training: ['hrss', 'emergency', 'union'],
  inspection: ['emergency', 'health', 'housing', 'transport'],
};

export function mayPublish(dept: Department, type: EventType): boolean {
  return PUBLISHERS[type].includes(dept);
}

export function isEventType(s: string): s is EventType {
  return (EVENT_TYPES as readonly string[]).includes(s);
}

export function isDepartment(s: string): s is Department {
  return Object.prototype.hasOwnProperty.call(DEPARTMENTS, s);
}

/** GB 6441-1986 企业职工伤亡事故分类: the 20 categories, code = index + 1. */
export const GB6441_1986_CATEGORIES = [
  '物体打击', '车辆伤害', '机械伤害', '起重伤害', '触电', '淹溺', '灼烫', '火灾', '高处坠落', '坍塌',
  '冒顶片帮', '透水', '放炮', '火药爆炸', '瓦斯爆炸', '锅炉爆炸', '容器爆炸', '其他爆炸', '中毒和窒息', '其他伤害',
] as const;

export function accidentCategoryName(code: number): string {
  return GB6441_1986_CATEGORIES[code - 1] ?? `事故类别 ${code}`;
}

/** The correlation rules of CONTRACT.md section 4. */
export type RuleId =
  | 'HAZARD_EXCEEDED'
  | 'ACCIDENT_PRONE'
  | 'UNINSURED'
  | 'UNDER_INSURED'
  | 'PRIORITY'
  | 'PROJECT_UNINSURED'
  | 'EARLY_PNEUMOCONIOSIS'
  | 'OVERDUE'
  | 'TYPICAL_ACCIDENT';
