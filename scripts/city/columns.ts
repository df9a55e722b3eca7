import { Department, EventType } from '../../services/shared/contract';

/**
 * The rows a department's file holds, in the contract's field names, and how each type maps to
 * its Chinese CSV/XLSX header (CONTRACT.md section 2). Dates are ISO strings: `YYYY-MM-DD`, and
 * for 发生时间 `YYYY-MM-DDTHH:mm:ss+08:00` (Beijing wall-clock time, stated explicitly).
 */
interface EmployerRef {
  /** Empty string when the department did not record it (dirty data: name + region only). */
  uscc: string;
  employerName: string;
  regionCode: string;
}

export interface EmployerRow extends EmployerRef { id: string; industryCode: string; headcount: number; asOf: string }
export interface EnrollmentRow extends EmployerRef {
  id: string; personId: string; action: 'ENROLL' | 'TERMINATE'; effectiveDate: string; dustExposed: boolean; projectId: string;
}
export interface AccidentRow extends EmployerRef {
  id: string; occurredAt: string; category: number; deaths: number; seriousInjuries: number; minorInjuries: number;
  directLossYuan: number; summary: string; projectId: string;
}
export interface HazardMeasurementRow extends EmployerRef {
  id: string; factor: string; post: string; measured: number; limit: number; unit: string;
  limitType: 'PC-TWA' | 'PC-STEL' | 'MAC' | '8h-Leq'; sampledAt: string;
  /** 接害人数: filled for dust factors at dust-industry employers (the same number at one post). */
  exposedWorkers?: number;
}
export interface DiseaseRow extends EmployerRef {
  id: string; personId: string; category: number; diseaseName: string; diagnosedAt: string; exposureYears: number;
}
export interface InjuryRow extends EmployerRef {
  id: string; personId: string; injuryDate: string; decision: 'RECOGNIZED' | 'NOT_RECOGNIZED'; insuredAtInjury: boolean; decidedAt: string;
}
export interface ProjectRow extends EmployerRef {
  id: string; projectName: string; startDate: string; contractValueYuan: number; insuranceCertificate: string;
}
export interface RectificationRow extends EmployerRef {
  id: string; recommendationId: string; result: 'PASSED' | 'FAILED'; verifiedAt: string; note: string;
}

export interface ContributionRow extends EmployerRef {
  /** 所属期 in the contract's spelling (`2025`, `2025-Q3`); the file writes it as staff do (2025年). */
  id: string; period: string; payrollYuan: number; paidYuan: number; rateClass: number;
  /** 执行费率 as a decimal fraction (0.0045); the file writes it as a percentage (0.45%). */
  rate: number;
}
export interface BenefitRow extends EmployerRef {
  id: string; personId: string; paidAt: string; amountYuan: number; kind: 'MEDICAL' | 'DISABILITY' | 'DEATH' | 'OTHER';
}
export interface TrainingRow extends EmployerRef {
  id: string; courseName: string; heldAt: string; trainees: number; keyPostTrainees: number;
  /** 重点岗位总人数: left empty by departments that do not know it. */
  keyPostTotal?: number;
}
export interface InspectionRow extends EmployerRef {
  id: string; inspectedAt: string; origin: 'RANDOM' | 'LISTED' | 'FOLLOW_UP' | 'OTHER'; finding: 'COMPLIANT' | 'HAZARD_FOUND'; note: string;
}

export interface RowOf {
  employer: EmployerRow;
  enrollment: EnrollmentRow;
  accident: AccidentRow;
  hazard: HazardMeasurementRow;
  disease: DiseaseRow;
  injury: InjuryRow;
  project: ProjectRow;
  rectification: RectificationRow;
  contribution: ContributionRow;
  benefit: BenefitRow;
  training: TrainingRow;
  inspection: InspectionRow;
}

/** One generated record and the department file it belongs to. */
export type CityRecord = { [T in EventType]: { dept: Department; type: T; row: RowOf[T] } }[EventType];

export type CellKind = 'text' | 'int' | 'number' | 'date' | 'datetime';
export type Cell = string | number;
export interface Column<R> { header: string; kind: CellKind; value: (row: R) => Cell }

const yesNo = (b: boolean): string => (b ? '是' : '否');
/** 2025 → 2025年, 2025-Q3 → 2025年第3季度. */
const periodWords = (p: string): string => p.replace(/^(\d{4})(?:-Q(\d))?$/, (_, y: string, q?: string) => (q ? `${y}年第${q}季度` : `${y}年`));
/** 0.0045 → 0.45% (decimal digits shifted, not multiplied: 0.007 is 0.7%, not 0.7000000000000001%). */
export const percent = (rate: number): string => `${Number(`${rate}e2`)}%`;
const BENEFIT_WORDS = { MEDICAL: '医疗', DISABILITY: '伤残', DEATH: '工亡', OTHER: '其他' } as const;
const ORIGIN_WORDS = { RANDOM: '双随机', LISTED: '清单', FOLLOW_UP: '回头看', OTHER: '其他' } as const;

function withCommon<R extends EmployerRef>(idHeader: string, rest: Column<R>[]): Column<R>[] {
  return [
    { header: idHeader, kind: 'text', value: (r) => (r as unknown as { id: string }).id },
    { header: '统一社会信用代码', kind: 'text', value: (r) => r.uscc },
    { header: '单位名称', kind: 'text', value: (r) => r.employerName },
    { header: '行政区划代码', kind: 'text', value: (r) => r.regionCode },
    ...rest,
  ];
}

export const COLUMNS: { [T in EventType]: Column<RowOf[T]>[] } = {
  employer: withCommon<EmployerRow>('登记编号', [
    { header: '行业代码', kind: 'text', value: (r) => r.industryCode },
    { header: '职工人数', kind: 'int', value: (r) => r.headcount },
    { header: '统计日期', kind: 'date', value: (r) => r.asOf },
  ]),
  enrollment: withCommon<EnrollmentRow>('参保流水号', [
    { header: '身份证号', kind: 'text', value: (r) => r.personId },
    { header: '参保操作(参保/停保)', kind: 'text', value: (r) => (r.action === 'ENROLL' ? '参保' : '停保') },
    { header: '生效日期', kind: 'date', value: (r) => r.effectiveDate },
    { header: '接尘岗位(是/否)', kind: 'text', value: (r) => yesNo(r.dustExposed) },
    { header: '项目编号', kind: 'text', value: (r) => r.projectId },
  ]),
  accident: withCommon<AccidentRow>('事故编号', [
    { header: '发生时间', kind: 'datetime', value: (r) => r.occurredAt },
    { header: '事故类别', kind: 'int', value: (r) => r.category },
    { header: '死亡人数', kind: 'int', value: (r) => r.deaths },
    { header: '重伤人数', kind: 'int', value: (r) => r.seriousInjuries },
    { header: '轻伤人数', kind: 'int', value: (r) => r.minorInjuries },
    { header: '直接经济损失(元)', kind: 'number', value: (r) => r.directLossYuan },
    { header: '事故简况', kind: 'text', value: (r) => r.summary },
    { header: '项目编号', kind: 'text', value: (r) => r.projectId },
  ]),
  hazard: withCommon<HazardMeasurementRow>('检测编号', [
    { header: '危害因素', kind: 'text', value: (r) => r.factor },
    { header: '岗位', kind: 'text', value: (r) => r.post },
    { header: '检测值', kind: 'number', value: (r) => r.measured },
    { header: '限值', kind: 'number', value: (r) => r.limit },
    { header: '单位', kind: 'text', value: (r) => r.unit },
    { header: '限值类型', kind: 'text', value: (r) => r.limitType },
    { header: '采样日期', kind: 'date', value: (r) => r.sampledAt },
    { header: '接害人数', kind: 'int', value: (r) => r.exposedWorkers ?? '' },
  ]),
  disease: withCommon<DiseaseRow>('诊断编号', [
    { header: '身份证号', kind: 'text', value: (r) => r.personId },
    { header: '职业病类别', kind: 'int', value: (r) => r.category },
    { header: '病名', kind: 'text', value: (r) => r.diseaseName },
    { header: '诊断日期', kind: 'date', value: (r) => r.diagnosedAt },
    { header: '接害工龄(年)', kind: 'number', value: (r) => r.exposureYears },
  ]),
  injury: withCommon<InjuryRow>('认定编号', [
    { header: '身份证号', kind: 'text', value: (r) => r.personId },
    { header: '受伤日期', kind: 'date', value: (r) => r.injuryDate },
    { header: '认定结论(认定/不予认定)', kind: 'text', value: (r) => (r.decision === 'RECOGNIZED' ? '认定' : '不予认定') },
    { header: '受伤时是否参保(是/否)', kind: 'text', value: (r) => yesNo(r.insuredAtInjury) },
    { header: '认定日期', kind: 'date', value: (r) => r.decidedAt },
  ]),
  project: withCommon<ProjectRow>('项目编号', [
    { header: '项目名称', kind: 'text', value: (r) => r.projectName },
    { header: '开工日期', kind: 'date', value: (r) => r.startDate },
    { header: '合同金额(元)', kind: 'number', value: (r) => r.contractValueYuan },
    { header: '参保证明编号', kind: 'text', value: (r) => r.insuranceCertificate },
  ]),
  rectification: withCommon<RectificationRow>('复查编号', [
    { header: '建议书编号', kind: 'text', value: (r) => r.recommendationId },
    { header: '复查结果(合格/不合格)', kind: 'text', value: (r) => (r.result === 'PASSED' ? '合格' : '不合格') },
    { header: '复查日期', kind: 'date', value: (r) => r.verifiedAt },
    { header: '说明', kind: 'text', value: (r) => r.note },
  ]),
  contribution: withCommon<ContributionRow>('缴费记录号', [
    { header: '所属期', kind: 'text', value: (r) => periodWords(r.period) },
    { header: '缴费工资总额(元)', kind: 'number', value: (r) => r.payrollYuan },
    { header: '实缴工伤保险费(元)', kind: 'number', value: (r) => r.paidYuan },
    { header: '行业风险类别', kind: 'int', value: (r) => r.rateClass },
    { header: '执行费率', kind: 'text', value: (r) => percent(r.rate) },
  ]),
  benefit: withCommon<BenefitRow>('支付流水号', [
    { header: '身份证号', kind: 'text', value: (r) => r.personId },
    { header: '支付日期', kind: 'date', value: (r) => r.paidAt },
    { header: '支付金额(元)', kind: 'number', value: (r) => r.amountYuan },
    { header: '待遇类别', kind: 'text', value: (r) => BENEFIT_WORDS[r.kind] },
  ]),
  training: withCommon<TrainingRow>('培训编号', [
    { header: '培训名称', kind: 'text', value: (r) => r.courseName },
    { header: '培训日期', kind: 'date', value: (r) => r.heldAt },
    { header: '参训人数', kind: 'int', value: (r) => r.trainees },
    { header: '重点岗位参训人数', kind: 'int', value: (r) => r.keyPostTrainees },
    { header: '重点岗位总人数', kind: 'int', value: (r) => r.keyPostTotal ?? '' },
  ]),
  inspection: withCommon<InspectionRow>('检查编号', [
    { header: '检查日期', kind: 'date', value: (r) => r.inspectedAt },
    { header: '检查来源', kind: 'text', value: (r) => ORIGIN_WORDS[r.origin] },
    { header: '检查结论', kind: 'text', value: (r) => (r.finding === 'HAZARD_FOUND' ? '发现隐患' : '合格') },
    { header: '说明', kind: 'text', value: (r) => r.note },
  ]),
};

export function headersOf(type: EventType): string[] {
  return COLUMNS[type].map((c) => c.header);
}

/** The cells of one record in header order. */
export function cellsOf(rec: CityRecord): Cell[] {
  const cols = COLUMNS[rec.type] as Column<typeof rec.row>[];
  return cols.map((c) => c.value(rec.row));
}

export function kindsOf(type: EventType): CellKind[] {
  return COLUMNS[type].map((c) => c.kind);
}

/** Which department publishes which file: the upload order of publish.ts too. */
export const UPLOAD_ORDER: readonly EventType[] = [
  'employer', 'enrollment', 'project', 'hazard', 'accident', 'disease', 'injury', 'rectification',
  'contribution', 'benefit', 'training', 'inspection',
];
