import { EventType } from '../shared/contract';
import { shiftDecimal } from './values';

/**
 * What each event type carries (CONTRACT.md section 2): the JSON field, its Chinese file
 * header, and the rule its value must follow. One table drives JSON validation, file header
 * mapping and the Avro value, so the three cannot drift apart.
 */
export type FieldKind =
  | 'id' // the publisher's record id (eventId)
  | 'string' // required or optional short text (names, posts), kept exactly as sent
  | 'text' // free text, defaults to '', kept exactly as sent
  | 'code' // an identifier typed by people (项目编号, 建议书编号): full-width folded
  | 'int'
  | 'number'
  | 'date'
  | 'timestamp'
  | 'bool'
  | 'enum'
  | 'personId'
  | 'uscc'
  | 'region'
  | 'industryCode'
  | 'accidentCategory'
  | 'period' // a contribution's 所属期: 2026 or 2026-Q1 (2026年, 2026年第1季度, 2026Q1 in files)
  | 'rate'; // a decimal fraction in (0, max]: 0.0045, or 0.45% as staff write it

/**
 * The units a column may name in brackets in its file header (CONTRACT section 2 "Units in file
 * headers"): `base` is the contract's unit, the one stored; `accepts` converts each unit to it.
 */
export interface UnitSpec {
  base: string;
  accepts: Record<string, (n: number) => number>;
}

const MONEY: UnitSpec = { base: '元', accepts: { 元: (n) => n, 万元: (n) => shiftDecimal(n, 4) } };
// Full precision: 7 months is 0.5833… years, not rounded.
const YEARS: UnitSpec = { base: '年', accepts: { 年: (n) => n, 月: (n) => n / 12 } };
// 执行费率(%) holds percentages: 0.45 is 0.0045.
const RATE: UnitSpec = { base: '小数', accepts: { 小数: (n) => n, '%': (n) => shiftDecimal(n, -2), '‰': (n) => shiftDecimal(n, -3) } };

export interface FieldSpec {
  name: string;
  header: string;
  /** Other headers seen in real files for the same column. */
  aliases?: string[];
  kind: FieldKind;
  required: boolean;
  min?: number;
  max?: number;
  /** Spellings accepted (contract, Chinese, Avro symbol) → Avro symbol. */
  symbols?: Record<string, string>;
  /** The spellings named in a rejection reason. */
  display?: readonly string[];
  default?: unknown;
  maxLength?: number;
  /**
   * A planned date (a project's 开工日期: projects are registered before they start), which may
   * lie in the future. Every other date is of something that happened and may not.
   */
  planned?: boolean;
  /** A number whose file header may name its unit (万元, 月); values are converted to `units.base`. */
  units?: UnitSpec;
}

const ENROLL_ACTION = { 参保: 'ENROLL', 停保: 'TERMINATE', ENROLL: 'ENROLL', TERMINATE: 'TERMINATE' };
const LIMIT_TYPE = { 'PC-TWA': 'PC_TWA', 'PC-STEL': 'PC_STEL', MAC: 'MAC', '8h-Leq': 'LEQ_8H', PC_TWA: 'PC_TWA', PC_STEL: 'PC_STEL', LEQ_8H: 'LEQ_8H' };
const DECISION = { 认定: 'RECOGNIZED', 予以认定: 'RECOGNIZED', 不予认定: 'NOT_RECOGNIZED', RECOGNIZED: 'RECOGNIZED', NOT_RECOGNIZED: 'NOT_RECOGNIZED' };
const RESULT = { 合格: 'PASSED', 不合格: 'FAILED', PASSED: 'PASSED', FAILED: 'FAILED' };
const BENEFIT_KIND = {
  医疗: 'MEDICAL', 伤残: 'DISABILITY', 工亡: 'DEATH', 其他: 'OTHER', 其它: 'OTHER',
  // The items of 《工伤保险条例》 staff write instead of the class.
  工伤医疗: 'MEDICAL', 医疗费: 'MEDICAL', 伤残津贴: 'DISABILITY', 一次性伤残补助金: 'DISABILITY',
  一次性工亡补助金: 'DEATH', 丧葬补助金: 'DEATH', 供养亲属抚恤金: 'DEATH',
  MEDICAL: 'MEDICAL', DISABILITY: 'DISABILITY', DEATH: 'DEATH', OTHER: 'OTHER',
};
const INSPECTION_ORIGIN = {
  双随机: 'RANDOM', 双随机一公开: 'RANDOM', 清单: 'LISTED', 风险清单: 'LISTED', 回头看: 'FOLLOW_UP', 其他: 'OTHER', 其它: 'OTHER',
  RANDOM: 'RANDOM', LISTED: 'LISTED', FOLLOW_UP: 'FOLLOW_UP', OTHER: 'OTHER',
};
const INSPECTION_FINDING = {
  合格: 'COMPLIANT', 未发现隐患: 'COMPLIANT', 发现隐患: 'HAZARD_FOUND', 存在隐患: 'HAZARD_FOUND', 不合格: 'HAZARD_FOUND',
  COMPLIANT: 'COMPLIANT', HAZARD_FOUND: 'HAZARD_FOUND',
};
/** The highest 执行费率 taken: class 8's base rate 1.9% floated up 50% is 2.85%; beyond 5% is a typing error. */
export const MAX_CONTRIBUTION_RATE = 0.05;
export const CATEGORY_STANDARD = { 'GB6441-1986': 'GB6441_1986', 'GB6441-2025': 'GB6441_2025', GB6441_1986: 'GB6441_1986', GB6441_2025: 'GB6441_2025' };

/** Common to every type; the id column's header differs per type (see RECORD_ID_HEADER). */
function common(idHeader: string): FieldSpec[] {
  return [
    { name: 'eventId', header: idHeader, kind: 'id', required: true, maxLength: 128 },
    { name: 'regionCode', header: '行政区划代码', kind: 'region', required: true },
    { name: 'uscc', header: '统一社会信用代码', kind: 'uscc', required: false },
    { name: 'employerName', header: '单位名称', aliases: ['用人单位名称', '企业名称'], kind: 'string', required: false, maxLength: 100 },
  ];
}

const PERSON: FieldSpec = { name: 'personId', header: '身份证号', aliases: ['身份证号码', '公民身份号码'], kind: 'personId', required: true };

export const FIELDS: Record<EventType, FieldSpec[]> = {
  employer: [
    ...common('登记编号'),
    { name: 'industryCode', header: '行业代码', kind: 'industryCode', required: true },
    { name: 'headcount', header: '职工人数', kind: 'int', required: true, min: 0 },
    { name: 'asOf', header: '统计日期', kind: 'date', required: true },
  ],
  enrollment: [
    ...common('参保流水号'),
    PERSON,
    { name: 'action', header: '参保操作(参保/停保)', kind: 'enum', required: true, symbols: ENROLL_ACTION, display: ['参保', '停保', 'ENROLL', 'TERMINATE'] },
    { name: 'effectiveDate', header: '生效日期', kind: 'date', required: true },
    { name: 'dustExposed', header: '接尘岗位(是/否)', kind: 'bool', required: false, default: false },
    { name: 'projectId', header: '项目编号', kind: 'code', required: false, maxLength: 64 },
  ],
  accident: [
    ...common('事故编号'),
    { name: 'occurredAt', header: '发生时间', kind: 'timestamp', required: true },
    { name: 'category', header: '事故类别', kind: 'accidentCategory', required: true },
    // Not a contract column: files are GB6441-1986 unless they say otherwise.
    { name: 'categoryStandard', header: '事故类别标准', kind: 'enum', required: false, symbols: CATEGORY_STANDARD, display: ['GB6441-1986', 'GB6441-2025'], default: 'GB6441_1986' },
    { name: 'deaths', header: '死亡人数', kind: 'int', required: true, min: 0 },
    { name: 'seriousInjuries', header: '重伤人数', kind: 'int', required: true, min: 0 },
    { name: 'minorInjuries', header: '轻伤人数', kind: 'int', required: true, min: 0 },
    { name: 'directLossYuan', header: '直接经济损失(元)', kind: 'number', required: true, min: 0, units: MONEY },
    { name: 'summary', header: '事故简况', kind: 'text', required: false, default: '', maxLength: 4000 },
    { name: 'projectId', header: '项目编号', kind: 'code', required: false, maxLength: 64 },
  ],
  hazard: [
    ...common('检测编号'),
    { name: 'factor', header: '危害因素', kind: 'string', required: true, maxLength: 64 },
    { name: 'post', header: '岗位', kind: 'string', required: true, maxLength: 100 },
    { name: 'measured', header: '检测值', kind: 'number', required: true, min: 0 },
    { name: 'limit', header: '限值', kind: 'number', required: true, min: 0 },
    { name: 'unit', header: '单位', kind: 'string', required: true, maxLength: 32 },
    { name: 'limitType', header: '限值类型', kind: 'enum', required: true, symbols: LIMIT_TYPE, display: ['PC-TWA', 'PC-STEL', 'MAC', '8h-Leq'] },
    { name: 'sampledAt', header: '采样日期', kind: 'date', required: true },
    { name: 'exposedWorkers', header: '接害人数', kind: 'int', required: false, min: 0 },
  ],
  disease: [
    ...common('诊断编号'),
    PERSON,
    { name: 'category', header: '职业病类别', kind: 'int', required: true, min: 1, max: 12 },
    { name: 'diseaseName', header: '病名', kind: 'string', required: true, maxLength: 100 },
    { name: 'diagnosedAt', header: '诊断日期', kind: 'date', required: true },
    { name: 'exposureYears', header: '接害工龄(年)', aliases: ['接尘工龄(年)'], kind: 'number', required: true, min: 0, max: 80, units: YEARS },
  ],
  injury: [
    ...common('认定编号'),
    PERSON,
    { name: 'injuryDate', header: '受伤日期', kind: 'date', required: true },
    { name: 'decision', header: '认定结论(认定/不予认定)', kind: 'enum', required: true, symbols: DECISION, display: ['认定', '不予认定', 'RECOGNIZED', 'NOT_RECOGNIZED'] },
    { name: 'insuredAtInjury', header: '受伤时是否参保(是/否)', kind: 'bool', required: true },
    { name: 'decidedAt', header: '认定日期', kind: 'date', required: true },
  ],
  project: [
    ...common('项目编号'),
    // In files the record id column 项目编号 is also the project id (see fileRecord).
    { name: 'projectId', header: '项目编号', kind: 'code', required: true, maxLength: 64 },
    { name: 'projectName', header: '项目名称', kind: 'string', required: true, maxLength: 200 },
    { name: 'startDate', header: '开工日期', kind: 'date', required: true, planned: true },
    { name: 'contractValueYuan', header: '合同金额(元)', kind: 'number', required: true, min: 0, units: MONEY },
    { name: 'insuranceCertificate', header: '参保证明编号', kind: 'code', required: false, maxLength: 64 },
  ],
  rectification: [
    ...common('复查编号'),
    { name: 'recommendationId', header: '建议书编号', kind: 'code', required: true, maxLength: 64 },
    { name: 'result', header: '复查结果(合格/不合格)', kind: 'enum', required: true, symbols: RESULT, display: ['合格', '不合格', 'PASSED', 'FAILED'] },
    { name: 'verifiedAt', header: '复查日期', kind: 'date', required: true },
    { name: 'note', header: '说明', kind: 'text', required: false, default: '', maxLength: 4000 },
  ],
  contribution: [
    ...common('缴费记录号'),
    { name: 'period', header: '所属期', aliases: ['费款所属期'], kind: 'period', required: true },
    { name: 'payrollYuan', header: '缴费工资总额(元)', kind: 'number', required: true, min: 0, units: MONEY },
    { name: 'paidYuan', header: '实缴工伤保险费(元)', kind: 'number', required: true, min: 0, units: MONEY },
    { name: 'rateClass', header: '行业风险类别', aliases: ['风险类别'], kind: 'int', required: true, min: 1, max: 8 },
    { name: 'rate', header: '执行费率', aliases: ['缴费费率'], kind: 'rate', required: true, max: MAX_CONTRIBUTION_RATE, units: RATE },
  ],
  benefit: [
    ...common('支付流水号'),
    PERSON,
    { name: 'paidAt', header: '支付日期', kind: 'date', required: true },
    { name: 'amountYuan', header: '支付金额(元)', kind: 'number', required: true, min: 0, units: MONEY },
    { name: 'kind', header: '待遇类别', kind: 'enum', required: true, symbols: BENEFIT_KIND, display: ['医疗', '伤残', '工亡', '其他', 'MEDICAL', 'DISABILITY', 'DEATH', 'OTHER'] },
  ],
  training: [
    ...common('培训编号'),
    { name: 'courseName', header: '培训名称', kind: 'string', required: true, maxLength: 200 },
    { name: 'heldAt', header: '培训日期', kind: 'date', required: true },
    { name: 'trainees', header: '参训人数', kind: 'int', required: true, min: 0 },
    { name: 'keyPostTrainees', header: '重点岗位参训人数', kind: 'int', required: true, min: 0 },
    { name: 'keyPostTotal', header: '重点岗位总人数', kind: 'int', required: false, min: 0 },
  ],
  inspection: [
    ...common('检查编号'),
    { name: 'inspectedAt', header: '检查日期', kind: 'date', required: true },
    { name: 'origin', header: '检查来源', kind: 'enum', required: true, symbols: INSPECTION_ORIGIN, display: ['双随机', '清单', '回头看', '其他', 'RANDOM', 'LISTED', 'FOLLOW_UP', 'OTHER'] },
    { name: 'finding', header: '检查结论', kind: 'enum', required: true, symbols: INSPECTION_FINDING, display: ['合格', '发现隐患', 'COMPLIANT', 'HAZARD_FOUND'] },
    { name: 'note', header: '说明', kind: 'text', required: false, default: '', maxLength: 4000 },
  ],
};

export function fieldsOf(type: EventType): FieldSpec[] {
  return FIELDS[type];
}

export { GB6441_1986_CATEGORIES } from '../shared/contract';
