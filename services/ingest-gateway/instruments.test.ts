import { EventType } from '../shared/contract';
import { pseudonymize } from '../shared/identifiers';
import { avroType, readSchema } from '../shared/avro';
import { regionCodeTable } from '../shared/divisions';
import { HubError } from '../shared/errors';
import { loadRegionConfig } from '../shared/regionConfig';
import { fieldsOf } from './fields';
import { mapColumns, rowRecord } from './headers';
import { badCheckCitizenId, fileTable, jsonRecord, validCitizenId } from './test-fixtures';
import { ValidationContext, validateRecord } from './validate';

/**
 * The plan's other instruments at the door (CONTRACT section 2, second table): 缴费 (contribution),
 * 待遇支付 (benefit), 培训 (training) and 检查 (inspection), as JSON and as file rows.
 */
const KEY = 'unit-test-pseudonym-key-0123456789abcdef';
const NOW = new Date('2026-11-24T04:00:00Z'); // 12:00 in Beijing
const api: ValidationContext = { department: 'hrss', source: 'API', now: NOW, pseudonymKey: KEY, regions: regionCodeTable(loadRegionConfig({ WHP_REGION: 'suqian' })) };
const NEW_TYPES: EventType[] = ['contribution', 'benefit', 'training', 'inspection'];

function accepted(type: EventType, change: Record<string, unknown> = {}): Record<string, unknown> {
  const v = validateRecord(type, { ...jsonRecord(type, `${type}-1`), ...change }, api);
  if (!v.ok) throw new Error(`expected acceptance, got ${JSON.stringify(v.problems)}`);
  return v.value;
}

function problems(type: EventType, change: Record<string, unknown>) {
  const v = validateRecord(type, { ...jsonRecord(type, `${type}-1`), ...change }, api);
  if (v.ok) throw new Error('expected a rejection');
  return v.problems;
}

/** A file row under the given headers (a header replaced by another spelling, a cell by another value). */
function fromFile(type: EventType, replace: Record<string, [string, unknown]> = {}) {
  const { headers, row } = fileTable(type, `${type}-f`);
  const hs = headers.map((h) => replace[h]?.[0] ?? h);
  const cells = headers.map((h, i) => (h in replace ? replace[h][1] : row[i]));
  const map = mapColumns(type, hs);
  expect(map.missing).toEqual([]);
  return validateRecord(type, rowRecord(map, cells), { ...api, source: 'FILE', units: map.units });
}

describe('the schemas and the field table agree', () => {
  test.each(NEW_TYPES)('%s: a validated record, with its revision, encodes with its Avro schema and decodes equal', (type) => {
    const value = { ...accepted(type), revision: 1, firstIngestedAt: NOW.toISOString() };
    const avro = avroType(readSchema(type));
    const schemaFields = (readSchema(type).fields as { name: string }[]).map((f) => f.name);
    // The retiring key's pseudonym is the gateway's own field, set only during a key rotation.
    const rotation = schemaFields.includes('personIdPrevious') ? ['personIdPrevious'] : [];
    expect(avro.fromBuffer(avro.toBuffer(value))).toEqual({ ...value, ...(rotation.length ? { personIdPrevious: null } : {}) });
    const common = ['department', 'employerKey', 'source', 'ingestedAt', 'revision', 'firstIngestedAt', ...rotation];
    expect([...schemaFields].sort()).toEqual([...fieldsOf(type).map((f) => f.name), ...common].sort());
  });
});

describe('contribution (缴费)', () => {
  test('a JSON record keeps the contract spellings', () => {
    expect(accepted('contribution')).toMatchObject({ period: '2025-Q3', payrollYuan: 1860000, paidYuan: 20460, rateClass: 5, rate: 0.011 });
  });

  test.each([
    ['2026', '2026'], ['2026年', '2026'], ['2026年度', '2026'], [2025, '2025'],
    ['2026-Q1', '2026-Q1'], ['2026Q2', '2026-Q2'], ['2026-q3', '2026-Q3'], ['2026 Q1', '2026-Q1'],
    ['2026年第1季度', '2026-Q1'], ['2026年第二季度', '2026-Q2'], ['2026年3季度', '2026-Q3'], ['２０２６年第４季度', '2026-Q4'],
  ])('所属期 %p is %p', (written, period) => {
    expect(accepted('contribution', { period: written }).period).toBe(period);
  });

  test.each(['2026-Q5', '202601', '2026-03', '二〇二六年', '第1季度', '26Q1'])('所属期 %p is refused naming the forms taken', (written) => {
    expect(problems('contribution', { period: written })).toEqual([
      { field: 'period', reason: `所属期：应为年度（2026、2026年）或季度（2026-Q1、2026Q1、2026年第1季度），实际为 “${written}”` },
    ]);
  });

  test('a period that has not begun is a future date; the current quarter and year are taken', () => {
    expect(problems('contribution', { period: '2027' })).toEqual([
      { field: 'period', reason: '所属期：2027 尚未开始（始于 2027-01-01，今天为 2026-11-24），不能报送未来所属期的缴费' },
    ]);
    expect(problems('contribution', { period: '2027年第1季度' })[0].reason).toMatch(/^所属期：2027-Q1 尚未开始（始于 2027-01-01/);
    expect(accepted('contribution', { period: '2026-Q4' }).period).toBe('2026-Q4');
    expect(accepted('contribution', { period: '2026' }).period).toBe('2026');
  });

  test.each([
    [0.0045, 0.0045], ['0.0045', 0.0045], ['0.45%', 0.0045], ['4.5‰', 0.0045], ['０．４５％', 0.0045], ['1.9 %', 0.019], [0.05, 0.05],
  ])('执行费率 %p is %p', (written, rate) => {
    expect(accepted('contribution', { rate: written }).rate).toBe(rate);
  });

  test('a rate outside (0, 5%] is refused, with a hint when it looks like a percentage without its sign', () => {
    expect(problems('contribution', { rate: 0 })).toEqual([{ field: 'rate', reason: '执行费率：应大于 0 且不大于 0.05（5%），实际为 0' }]);
    expect(problems('contribution', { rate: '0.45' })).toEqual([{ field: 'rate', reason: '执行费率：应大于 0 且不大于 0.05（5%），实际为 0.45；若为百分数请写作 0.45%' }]);
    expect(problems('contribution', { rate: '6%' })).toEqual([{ field: 'rate', reason: '执行费率：应大于 0 且不大于 0.05（5%），实际为 0.06（由 6% 换算）' }]);
    expect(problems('contribution', { rate: -0.001 })[0].reason).toBe('执行费率：应大于 0 且不大于 0.05（5%），实际为 -0.001');
    expect(problems('contribution', { rate: '百分之一' })).toEqual([{ field: 'rate', reason: '执行费率：应为小数（如 0.0045）或百分数（如 0.45%），实际为 “百分之一”' }]);
  });

  test('行业风险类别 is a whole number 1–8', () => {
    expect(problems('contribution', { rateClass: 0 })).toEqual([{ field: 'rateClass', reason: '行业风险类别：不能小于 1，实际为 0' }]);
    expect(problems('contribution', { rateClass: 9 })).toEqual([{ field: 'rateClass', reason: '行业风险类别：不能大于 8，实际为 9' }]);
    expect(problems('contribution', { rateClass: 2.5 })).toEqual([{ field: 'rateClass', reason: '行业风险类别：应为整数，实际为 2.5' }]);
  });

  test('amounts are numbers of at least 0, and the fee cannot exceed the payroll it was paid on', () => {
    expect(problems('contribution', { payrollYuan: -1 })).toEqual([{ field: 'payrollYuan', reason: '缴费工资总额(元)：不能小于 0，实际为 -1' }]);
    expect(problems('contribution', { paidYuan: '约两万' })).toEqual([{ field: 'paidYuan', reason: '实缴工伤保险费(元)：应为数字，实际为 “约两万”' }]);
    expect(problems('contribution', { payrollYuan: 20000, paidYuan: 1860000 })).toEqual([
      { field: 'paidYuan', reason: '实缴工伤保险费 1860000 元大于缴费工资总额 20000 元：两列是否填反？' },
    ]);
    expect(accepted('contribution', { payrollYuan: 0, paidYuan: 0 })).toMatchObject({ payrollYuan: 0, paidYuan: 0 });
  });

  test('a file with the Chinese spellings: 2025年第3季度 and 1.1%', () => {
    const v = fromFile('contribution');
    expect(v.ok && v.value).toMatchObject({ eventId: 'contribution-f', period: '2025-Q3', payrollYuan: 1860000, paidYuan: 20460, rateClass: 5, rate: 0.011, source: 'FILE' });
  });

  test('units in headers: 万元 for the amounts, % for the rate; 费款所属期 is 所属期', () => {
    const v = fromFile('contribution', {
      所属期: ['费款所属期', '2025Q3'],
      '缴费工资总额(元)': ['缴费工资总额（万元）', '186'],
      '实缴工伤保险费(元)': ['实缴工伤保险费(万元)', '2.046'],
      执行费率: ['执行费率（%）', '1.1'],
    });
    expect(v.ok && v.value).toMatchObject({ period: '2025-Q3', payrollYuan: 1860000, paidYuan: 20460, rate: 0.011 });
    const over = fromFile('contribution', { 执行费率: ['执行费率(%)', '6'] });
    expect(!over.ok && over.problems).toEqual([{ field: 'rate', reason: '执行费率：应大于 0 且不大于 0.05（5%），实际为 0.06（由 6% 换算）' }]);
  });

  test('a unit the rate column does not take refuses the file', () => {
    expect(() => mapColumns('contribution', ['缴费记录号', '执行费率(元)'])).toThrow(
      new HubError('BAD_REQUEST', '“执行费率(元)”列的单位“元”不受支持：执行费率只接受 小数、%、‰（见契约第 2 节“表头中的单位”）'),
    );
  });
});

describe('benefit (待遇支付)', () => {
  test('the citizen ID becomes its pseudonym and is nowhere in the verdict', () => {
    const id = validCitizenId(31);
    const v = validateRecord('benefit', { ...jsonRecord('benefit', 'b'), personId: id }, api);
    expect(v.ok && v.value).toMatchObject({ personId: pseudonymize(id, KEY), paidAt: '2026-11-05', amountYuan: 23560.5, kind: 'DISABILITY' });
    expect(JSON.stringify(v)).not.toContain(id);
  });

  test.each([
    ['医疗', 'MEDICAL'], ['伤残', 'DISABILITY'], ['工亡', 'DEATH'], ['其他', 'OTHER'], ['其它', 'OTHER'],
    ['一次性工亡补助金', 'DEATH'], ['伤残津贴', 'DISABILITY'], ['medical', 'MEDICAL'],
  ])('待遇类别 %p is %p', (written, kind) => {
    expect(accepted('benefit', { kind: written }).kind).toBe(kind);
  });

  test('each rule names its column', () => {
    expect(problems('benefit', { kind: '工伤' })).toEqual([
      { field: 'kind', reason: '待遇类别：取值应为 医疗、伤残、工亡、其他、MEDICAL、DISABILITY、DEATH、OTHER 之一，实际为 “工伤”' },
    ]);
    expect(problems('benefit', { paidAt: '2026-12-01' })).toEqual([{ field: 'paidAt', reason: '支付日期：日期 2026-12-01 晚于今天（2026-11-24）' }]);
    expect(problems('benefit', { amountYuan: -0.5 })).toEqual([{ field: 'amountYuan', reason: '支付金额(元)：不能小于 0，实际为 -0.5' }]);
    expect(problems('benefit', { personId: badCheckCitizenId(31) })).toEqual([{ field: 'personId', reason: `身份证号校验位错误（应为 ${validCitizenId(31)[17]}）` }]);
    expect(problems('benefit', { personId: undefined })).toEqual([{ field: 'personId', reason: '身份证号（personId）为必填项，不能为空' }]);
  });

  test('a file with the Chinese spellings, and 支付金额(万元)', () => {
    const v = fromFile('benefit');
    expect(v.ok && v.value).toMatchObject({ paidAt: '2026-11-05', amountYuan: 23560.5, kind: 'DISABILITY', personId: pseudonymize(validCitizenId(1), KEY) });
    const w = fromFile('benefit', { '支付金额(元)': ['支付金额(万元)', '2.35605'], 待遇类别: ['待遇类别', '工亡'] });
    expect(w.ok && w.value).toMatchObject({ amountYuan: 23560.5, kind: 'DEATH' });
  });
});

describe('training (培训)', () => {
  test('a JSON record; 重点岗位总人数 is optional', () => {
    expect(accepted('training')).toMatchObject({ courseName: '粉尘防爆与有限空间作业安全培训', heldAt: '2026-09-18', trainees: 46, keyPostTrainees: 12, keyPostTotal: 15 });
    expect(accepted('training', { keyPostTotal: undefined }).keyPostTotal).toBeNull();
    expect(accepted('training', { trainees: 12, keyPostTrainees: 12, keyPostTotal: 12 })).toMatchObject({ trainees: 12, keyPostTrainees: 12 });
  });

  test('重点岗位参训人数 cannot exceed 参训人数, nor 重点岗位总人数 when given', () => {
    expect(problems('training', { trainees: 10, keyPostTrainees: 12, keyPostTotal: 20 })).toEqual([
      { field: 'keyPostTrainees', reason: '重点岗位参训人数 12 大于参训人数 10' },
    ]);
    expect(problems('training', { trainees: 40, keyPostTrainees: 12, keyPostTotal: 8 })).toEqual([
      { field: 'keyPostTrainees', reason: '重点岗位参训人数 12 大于重点岗位总人数 8' },
    ]);
    expect(problems('training', { trainees: 5, keyPostTrainees: 12, keyPostTotal: 8 })).toHaveLength(2);
    expect(accepted('training', { trainees: 40, keyPostTrainees: 30, keyPostTotal: undefined }).keyPostTrainees).toBe(30);
  });

  test('counts are whole numbers of at least 0; the day is not in the future', () => {
    expect(problems('training', { trainees: -1, keyPostTrainees: 0 })).toEqual([{ field: 'trainees', reason: '参训人数：不能小于 0，实际为 -1' }]);
    expect(problems('training', { keyPostTrainees: 1.5 })).toEqual([{ field: 'keyPostTrainees', reason: '重点岗位参训人数：应为整数，实际为 1.5' }]);
    expect(problems('training', { keyPostTotal: -3 })).toEqual([{ field: 'keyPostTotal', reason: '重点岗位总人数：不能小于 0，实际为 -3' }]);
    expect(problems('training', { heldAt: '2026-11-25' })).toEqual([{ field: 'heldAt', reason: '培训日期：日期 2026-11-25 晚于今天（2026-11-24）' }]);
    expect(problems('training', { courseName: ' ' })).toEqual([{ field: 'courseName', reason: '培训名称（courseName）为必填项，不能为空' }]);
  });

  test('a file with the Chinese headers, 重点岗位总人数 left empty', () => {
    const v = fromFile('training', { 重点岗位总人数: ['重点岗位总人数', ''] });
    expect(v.ok && v.value).toMatchObject({ heldAt: '2026-09-18', trainees: 46, keyPostTrainees: 12, keyPostTotal: null });
  });
});

describe('inspection (检查)', () => {
  test.each([
    ['双随机', 'RANDOM'], ['双随机一公开', 'RANDOM'], ['清单', 'LISTED'], ['回头看', 'FOLLOW_UP'], ['其他', 'OTHER'], ['FOLLOW_UP', 'FOLLOW_UP'], ['random', 'RANDOM'],
  ])('检查来源 %p is %p', (written, origin) => {
    expect(accepted('inspection', { origin: written }).origin).toBe(origin);
  });

  test.each([['合格', 'COMPLIANT'], ['发现隐患', 'HAZARD_FOUND'], ['HAZARD_FOUND', 'HAZARD_FOUND'], ['COMPLIANT', 'COMPLIANT']])('检查结论 %p is %p', (written, finding) => {
    expect(accepted('inspection', { finding: written }).finding).toBe(finding);
  });

  test('each rule names its column', () => {
    expect(problems('inspection', { origin: '抽查' })).toEqual([
      { field: 'origin', reason: '检查来源：取值应为 双随机、清单、回头看、其他、RANDOM、LISTED、FOLLOW_UP、OTHER 之一，实际为 “抽查”' },
    ]);
    expect(problems('inspection', { finding: '待定' })).toEqual([
      { field: 'finding', reason: '检查结论：取值应为 合格、发现隐患、COMPLIANT、HAZARD_FOUND 之一，实际为 “待定”' },
    ]);
    expect(problems('inspection', { inspectedAt: '2099-01-01' })).toEqual([{ field: 'inspectedAt', reason: '检查日期：日期 2099-01-01 晚于今天（2026-11-24）' }]);
    expect(problems('inspection', { origin: undefined })).toEqual([{ field: 'origin', reason: '检查来源（origin）为必填项，不能为空' }]);
  });

  test('a file with the Chinese spellings; 说明 is kept exactly and may be left out', () => {
    const v = fromFile('inspection', { 说明: ['说明', '  ２号破碎机防护罩缺失（已责令整改）'] });
    expect(v.ok && v.value).toMatchObject({ inspectedAt: '2026-10-21', origin: 'RANDOM', finding: 'HAZARD_FOUND', note: '２号破碎机防护罩缺失（已责令整改）' });
    expect(accepted('inspection', { note: undefined }).note).toBe('');
  });
});
