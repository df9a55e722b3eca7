import { EVENT_TYPES } from '../shared/contract';
import { pseudonymize } from '../shared/identifiers';
import { fieldsOf } from './fields';
import { isHeaderRow, mapColumns, normalizeHeader, rowRecord } from './headers';
import { HubError } from '../shared/errors';
import { regionCodeTable } from '../shared/divisions';
import { loadRegionConfig, parseRegionConfig } from '../shared/regionConfig';
import { badCheckCitizenId, fileTable, jsonRecord, validCitizenId, validUscc } from './test-fixtures';
import { GB6441_2025_NOT_CONFIGURED, ValidationContext, readAccidentCategory, validateRecord } from './validate';
import { scrubPersonIds } from '../shared/privacy';
import { readBool, readDate, readEnum, readNumber, readTimestamp } from './values';

const KEY = 'unit-test-pseudonym-key-0123456789abcdef';
const NOW = new Date('2026-11-24T04:00:00Z'); // 12:00 in Beijing
const SUQIAN = loadRegionConfig({ WHP_REGION: 'suqian' });
const api: ValidationContext = { department: 'emergency', source: 'API', now: NOW, pseudonymKey: KEY, regions: regionCodeTable(SUQIAN) };

function problemsOf(type: Parameters<typeof validateRecord>[0], record: Record<string, unknown>, ctx = api) {
  const v = validateRecord(type, record, ctx);
  if (v.ok) throw new Error('expected a rejection');
  return v.problems;
}

describe('a valid record of every type becomes its Avro value', () => {
  test.each(EVENT_TYPES)('%s', (type) => {
    const v = validateRecord(type, jsonRecord(type, `E-${type}`), { ...api, department: 'hrss' });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value).toMatchObject({ eventId: `E-${type}`, department: 'hrss', source: 'API', employerKey: validUscc(1), ingestedAt: NOW.toISOString() });
    expect(v.key).toBe(validUscc(1));
  });
  test('contract spellings map to the Avro symbols', () => {
    const hazard = validateRecord('hazard', { ...jsonRecord('hazard', 'h'), limitType: '8h-Leq' }, api);
    expect(hazard.ok && hazard.value.limitType).toBe('LEQ_8H');
    const accident = validateRecord('accident', jsonRecord('accident', 'a'), api);
    expect(accident.ok && accident.value.categoryStandard).toBe('GB6441_1986');
    const rect = validateRecord('rectification', { ...jsonRecord('rectification', 'r'), result: '不合格' }, api);
    expect(rect.ok && rect.value.result).toBe('FAILED');
    const enr = validateRecord('enrollment', { ...jsonRecord('enrollment', 'e'), action: '停保' }, api);
    expect(enr.ok && enr.value.action).toBe('TERMINATE');
    const inj = validateRecord('injury', { ...jsonRecord('injury', 'i'), decision: '不予认定' }, api);
    expect(inj.ok && inj.value.decision).toBe('NOT_RECOGNIZED');
  });
  test('optional fields left out get their defaults', () => {
    const { dustExposed: _d, ...rec } = jsonRecord('enrollment', 'e');
    const v = validateRecord('enrollment', rec, api);
    expect(v.ok && v.value).toMatchObject({ dustExposed: false, projectId: null });
  });
});

describe('the citizen ID number', () => {
  test('is replaced by its keyed pseudonym and never kept', () => {
    const id = validCitizenId(7);
    const v = validateRecord('disease', { ...jsonRecord('disease', 'd'), personId: id }, api);
    expect(v.ok && v.value.personId).toBe(pseudonymize(id, KEY));
    expect(JSON.stringify(v)).not.toContain(id);
  });
  test('with a wrong check digit is rejected naming the expected one', () => {
    const [p] = problemsOf('injury', { ...jsonRecord('injury', 'i'), personId: badCheckCitizenId(7) });
    expect(p).toEqual({ field: 'personId', reason: `身份证号校验位错误（应为 ${validCitizenId(7)[17]}）` });
  });
  test('with an impossible birth date is rejected', () => {
    const body = '32010219850230001';
    const [p] = problemsOf('injury', { ...jsonRecord('injury', 'i'), personId: `${body}0` });
    expect(p.reason).toBe('身份证号中的出生日期无效');
  });
  test('a lower-case x check character is read as X', () => {
    let n = 0;
    while (!validCitizenId(n).endsWith('X')) n++;
    const v = validateRecord('injury', { ...jsonRecord('injury', 'i'), personId: validCitizenId(n).toLowerCase() }, api);
    expect(v.ok).toBe(true);
  });
});

describe('the employer reference', () => {
  test('a USCC with a wrong check character is rejected', () => {
    const good = validUscc(3);
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const [p] = problemsOf('employer', { ...jsonRecord('employer', 'x'), uscc: bad });
    expect(p.field).toBe('uscc');
    expect(p.reason).toMatch(/^统一社会信用代码校验位错误（应为 /);
  });
  test('without a USCC the employer name is required', () => {
    expect(problemsOf('employer', { ...jsonRecord('employer', 'x'), uscc: null, employerName: '' })).toEqual([
      { field: 'employerName', reason: '无统一社会信用代码时，单位名称为必填项' },
    ]);
  });
  test('without a USCC the key is region + normalised name', () => {
    const v = validateRecord('employer', { ...jsonRecord('employer', 'x'), uscc: '', employerName: '宿迁（示例）建材有限责任公司' }, api);
    expect(v.ok && v.key).toBe('N:321302:宿迁(示例)建材有限公司');
  });
  test('a region code that is not six digits or has no province is rejected', () => {
    expect(problemsOf('employer', { ...jsonRecord('employer', 'x'), regionCode: '3213' })[0]).toEqual({ field: 'regionCode', reason: '行政区划代码应为 6 位数字（GB/T 2260）' });
    expect(problemsOf('employer', { ...jsonRecord('employer', 'x'), regionCode: '991302' })[0].reason).toBe('行政区划代码前两位 99 不是省级代码');
  });
});

describe('industry codes (GB/T 4754-2017)', () => {
  const industry = (code: string) => validateRecord('employer', { ...jsonRecord('employer', 'e'), industryCode: code }, api);
  test('a section letter that does not match the division is refused, naming the section the division belongs to', () => {
    expect(problemsOf('employer', { ...jsonRecord('employer', 'e'), industryCode: 'A3011' })).toEqual([
      { field: 'industryCode', reason: '行业代码 A3011 的门类 A 与大类 30（属 C 制造业）不符' },
    ]);
    expect(problemsOf('employer', { ...jsonRecord('employer', 'e'), industryCode: 'c4710' })[0].reason).toBe('行业代码 C4710 的门类 C 与大类 47（属 E 建筑业）不符');
  });
  test('the first and last division of each section are taken', () => {
    const edges = ['A01', 'A05', 'B06', 'B12', 'C13', 'C43', 'D44', 'D46', 'E47', 'E50', 'F51', 'F52', 'G53', 'G60', 'H61', 'H62', 'I63', 'I65', 'J66', 'J69', 'K70', 'L71', 'L72', 'M73', 'M75', 'N76', 'N79', 'O80', 'O82', 'P83', 'Q84', 'Q85', 'R86', 'R90', 'S91', 'S96', 'T97'];
    for (const code of edges) expect([code, industry(code).ok]).toEqual([code, true]);
    expect(industry('C3011').ok && (industry('C3011') as { value: Record<string, unknown> }).value.industryCode).toBe('C3011');
    expect(industry('E').ok).toBe(true); // a section alone
  });
  test('a division that GB/T 4754-2017 does not have is refused', () => {
    expect(problemsOf('employer', { ...jsonRecord('employer', 'e'), industryCode: 'T9800' })[0].reason).toBe('行业代码 T9800 的大类 98 不在 GB/T 4754-2017 中（大类为 01–97）');
    expect(problemsOf('employer', { ...jsonRecord('employer', 'e'), industryCode: 'A0011' })[0].reason).toBe('行业代码 A0011 的大类 00 不在 GB/T 4754-2017 中（大类为 01–97）');
  });
});

describe('region codes (GB/T 2260 of the configured province)', () => {
  const region = (code: string, ctx = api) => validateRecord('employer', { ...jsonRecord('employer', 'e'), regionCode: code }, ctx);
  test('the districts and counties of 宿迁, the city, the province and the development zone of the demo are taken', () => {
    for (const code of ['321302', '321311', '321322', '321323', '321324', '321371', '321300', '320000', '320583']) {
      expect([code, region(code).ok]).toEqual([code, true]);
    }
  });
  test('a well-shaped code that is not in the table of the province is refused, naming the code and the province', () => {
    expect(problemsOf('employer', { ...jsonRecord('employer', 'e'), regionCode: '329999' })).toEqual([
      { field: 'regionCode', reason: '行政区划代码 329999 不是江苏省（32）的 GB/T 2260 代码' },
    ]);
    expect(problemsOf('employer', { ...jsonRecord('employer', 'e'), regionCode: '110101' })[0].reason).toBe('行政区划代码 110101 不是江苏省（32）的 GB/T 2260 代码');
  });
  test('the districts of the region configuration itself are always taken', () => {
    const withZone = parseRegionConfig({ ...SUQIAN, districts: { ...SUQIAN.districts, '321390': '宿迁某新区' } });
    expect(region('321390').ok).toBe(false);
    expect(region('321390', { ...api, regions: regionCodeTable(withZone) }).ok).toBe(true);
  });
  test('the configuration names its province, and a district outside it is a configuration error', () => {
    expect(SUQIAN.provinceCode).toBe('320000');
    expect(() => parseRegionConfig({ ...SUQIAN, districts: { ...SUQIAN.districts, '110101': '东城区' } })).toThrow(/districts 中 110101 不属于 provinceCode 320000/);
    expect(() => parseRegionConfig({ ...SUQIAN, provinceCode: '990000' })).toThrow(/provinceCode/);
  });
});

describe('accident categories (GB 6441)', () => {
  test('codes 1–20 of GB6441-1986 are taken, 0 and 21 are not', () => {
    expect(readAccidentCategory(20)).toEqual({ ok: true, value: 20 });
    expect(readAccidentCategory('21')).toEqual({ ok: false, reason: '事故类别代码应为 1–20（GB6441-1986），实际为 21' });
    expect(problemsOf('accident', { ...jsonRecord('accident', 'a'), category: 0 })[0].field).toBe('category');
  });
  test('a category name is read as its code', () => {
    expect(readAccidentCategory('机械伤害')).toEqual({ ok: true, value: 3 });
    expect(readAccidentCategory('9 高处坠落')).toEqual({ ok: true, value: 9 });
    expect(readAccidentCategory('其它伤害')).toEqual({ ok: true, value: 20 }); // 其它 and 其他 both in use
    expect(readAccidentCategory('天灾').ok).toBe(false);
  });
  test('GB6441-2025 is refused until its table is configured', () => {
    expect(problemsOf('accident', { ...jsonRecord('accident', 'a'), categoryStandard: 'GB6441-2025' })).toEqual([
      { field: 'categoryStandard', reason: GB6441_2025_NOT_CONFIGURED },
    ]);
  });
});

describe('dates and times', () => {
  const ctx = { now: NOW, acceptSerial: true };
  test('ISO, 2026/3/1 and Chinese dates are read', () => {
    expect(readDate('2026-03-01', ctx)).toEqual({ ok: true, value: '2026-03-01' });
    expect(readDate('2026/3/1', ctx)).toEqual({ ok: true, value: '2026-03-01' });
    expect(readDate('2026年3月1日', ctx)).toEqual({ ok: true, value: '2026-03-01' });
  });
  test('an Excel date cell and an Excel serial number are read', () => {
    expect(readDate(new Date(Date.UTC(2026, 2, 1)), ctx)).toEqual({ ok: true, value: '2026-03-01' });
    expect(readDate(46082, ctx)).toEqual({ ok: true, value: '2026-03-01' });
  });
  test('compact dates 20260301, as text or as a number, are read', () => {
    expect(readDate('20260301', ctx)).toEqual({ ok: true, value: '2026-03-01' });
    expect(readDate(20260301, ctx)).toEqual({ ok: true, value: '2026-03-01' });
    expect(readDate('20260230', ctx)).toEqual({ ok: false, reason: '日期 2026-02-30 不存在' });
    expect(readDate(' 20260301 ', { ...ctx, acceptSerial: false })).toEqual({ ok: true, value: '2026-03-01' }); // ISO 8601 basic format
  });
  test('a plain number that is neither a compact date nor a recent Excel serial is refused, not read as 1905', () => {
    expect(readDate(2026, ctx)).toEqual({ ok: false, reason: '数字 2026 不是日期：请填写 YYYY-MM-DD、YYYY/M/D 或 YYYYMMDD，或将单元格设为日期格式' });
    expect(readDate(32873, ctx).ok).toBe(false); // 1989-12-31 as an Excel serial: too old to be one
    expect(readDate(32874, ctx)).toEqual({ ok: true, value: '1990-01-01' });
    expect(readDate(46082.75, ctx)).toEqual({ ok: true, value: '2026-03-01' }); // a serial with a time of day
    expect(readTimestamp(2026, ctx).ok).toBe(false);
    expect(readTimestamp(20261001, ctx)).toEqual({ ok: true, value: '2026-09-30T16:00:00.000Z' });
  });
  test('Chinese date-times are Beijing time', () => {
    expect(readTimestamp('2026年10月1日 14时30分', ctx)).toEqual({ ok: true, value: '2026-10-01T06:30:00.000Z' });
    expect(readTimestamp('2026年10月1日 14时30分15秒', ctx)).toEqual({ ok: true, value: '2026-10-01T06:30:15.000Z' });
    expect(readTimestamp('2026年10月1日 14:30', ctx)).toEqual({ ok: true, value: '2026-10-01T06:30:00.000Z' });
    expect(readTimestamp('2026年10月1日14时30分', ctx)).toEqual({ ok: true, value: '2026-10-01T06:30:00.000Z' });
    expect(readTimestamp('２０２６年１０月１日　１４时０５分', ctx)).toEqual({ ok: true, value: '2026-10-01T06:05:00.000Z' });
    expect(readTimestamp('2026年10月1日 9点', ctx)).toEqual({ ok: true, value: '2026-10-01T01:00:00.000Z' });
    expect(readDate('2026年10月1日 14时30分', ctx)).toEqual({ ok: true, value: '2026-10-01' });
    expect(readTimestamp('2026年10月1日 24时00分', ctx)).toEqual({ ok: false, reason: '时间 24:00:00 无效' });
    expect(readTimestamp('2026-10-0114:30', ctx).ok).toBe(false); // a time glued to a numeric day
  });
  test('a date in the future or that does not exist is rejected', () => {
    expect(readDate('2026-11-25', ctx)).toEqual({ ok: false, reason: '日期 2026-11-25 晚于今天（2026-11-24）' });
    expect(readDate('2026-02-30', ctx)).toEqual({ ok: false, reason: '日期 2026-02-30 不存在' });
    expect(readDate('下周一', ctx).ok).toBe(false);
  });
  test('JSON dates are not Excel serial numbers', () => {
    expect(readDate(46082, { ...ctx, acceptSerial: false }).ok).toBe(false);
  });
  test('a time without zone is Beijing time', () => {
    expect(readTimestamp('2026-03-01 08:30', ctx)).toEqual({ ok: true, value: '2026-03-01T00:30:00.000Z' });
    expect(readTimestamp('2026-03-01T08:30:00Z', ctx)).toEqual({ ok: true, value: '2026-03-01T08:30:00.000Z' });
    expect(readTimestamp(new Date(Date.UTC(2026, 2, 1, 8, 30)), ctx)).toEqual({ ok: true, value: '2026-03-01T00:30:00.000Z' });
  });
  test('an accident in the future is rejected', () => {
    const [p] = problemsOf('accident', { ...jsonRecord('accident', 'a'), occurredAt: '2026-12-01 08:00' });
    expect(p).toEqual({ field: 'occurredAt', reason: '发生时间：2026-12-01 08:00（北京时间）晚于当前时间' });
  });
  test('a decision before the injury is rejected', () => {
    const [p] = problemsOf('injury', { ...jsonRecord('injury', 'i'), decidedAt: '2026-10-01' });
    expect(p).toEqual({ field: 'decidedAt', reason: '认定日期 2026-10-01 早于受伤日期 2026-10-12' });
  });
});

describe('hazard.exposedWorkers (接害人数)', () => {
  test('is an optional whole number of at least 0', () => {
    const v = validateRecord('hazard', { ...jsonRecord('hazard', 'h'), exposedWorkers: '１２' }, api);
    expect(v.ok && v.value.exposedWorkers).toBe(12);
    const { exposedWorkers: _e, ...without } = jsonRecord('hazard', 'h');
    const w = validateRecord('hazard', without, api);
    expect(w.ok && w.value.exposedWorkers).toBeNull();
    expect(problemsOf('hazard', { ...jsonRecord('hazard', 'h'), exposedWorkers: -1 })).toEqual([{ field: 'exposedWorkers', reason: '接害人数：不能小于 0，实际为 -1' }]);
    expect(problemsOf('hazard', { ...jsonRecord('hazard', 'h'), exposedWorkers: 2.5 })[0].reason).toBe('接害人数：应为整数，实际为 2.5');
  });
  test('its file column is 接害人数', () => {
    const map = mapColumns('hazard', ['检测编号', '接害人数']);
    expect(rowRecord(map, ['H-1', '8'])).toEqual({ eventId: 'H-1', exposedWorkers: '8' });
  });
});

describe('planned dates', () => {
  test('a project registered before it starts (开工日期 next year) is accepted', () => {
    const v = validateRecord('project', { ...jsonRecord('project', 'p'), startDate: '2027-03-01' }, { ...api, department: 'housing' });
    expect(v.ok && v.value.startDate).toBe('2027-03-01');
  });
  test('the field table marks 开工日期 as the only planned date', () => {
    const planned = EVENT_TYPES.flatMap((t) => fieldsOf(t).filter((f) => f.planned).map((f) => `${t}.${f.name}`));
    expect(planned).toEqual(['project.startDate']);
  });
  test.each(EVENT_TYPES.flatMap((t) => fieldsOf(t).filter((f) => (f.kind === 'date' || f.kind === 'timestamp') && !f.planned).map((f) => [t, f.name] as const)))(
    'a %s.%s in the future is still refused',
    (type, field) => {
      const p = problemsOf(type, { ...jsonRecord(type, 'x'), [field]: '2027-03-01' }).find((x) => x.field === field);
      expect(p?.reason).toMatch(/晚于(今天|当前时间)/);
    },
  );
});

describe('numbers, booleans, enums and required fields', () => {
  test('counts must be whole and not negative', () => {
    expect(problemsOf('accident', { ...jsonRecord('accident', 'a'), deaths: -1 })[0]).toEqual({ field: 'deaths', reason: '死亡人数：不能小于 0，实际为 -1' });
    expect(problemsOf('employer', { ...jsonRecord('employer', 'e'), headcount: 12.5 })[0]).toEqual({ field: 'headcount', reason: '职工人数：应为整数，实际为 12.5' });
  });
  test('amounts may have thousands separators but must be numbers', () => {
    expect(readNumber('182,000.50', { min: 0 })).toEqual({ ok: true, value: 182000.5 });
    expect(readNumber('十万', { min: 0 })).toEqual({ ok: false, reason: '应为数字，实际为 “十万”' });
  });
  test('是/否 are booleans', () => {
    expect(readBool('是')).toEqual({ ok: true, value: true });
    expect(readBool(' 否 ')).toEqual({ ok: true, value: false });
    expect(readBool('也许').ok).toBe(false);
  });
  test('an unknown enum value names the allowed ones', () => {
    expect(readEnum('STEL', { 'PC-STEL': 'PC_STEL' }, ['PC-STEL'])).toEqual({ ok: false, reason: '取值应为 PC-STEL 之一，实际为 “STEL”' });
    expect(problemsOf('hazard', { ...jsonRecord('hazard', 'h'), limitType: 'TWA' })[0].reason).toBe(
      '限值类型：取值应为 PC-TWA、PC-STEL、MAC、8h-Leq 之一，实际为 “TWA”',
    );
  });
  test('a missing required field is named', () => {
    const { diseaseName: _n, ...rec } = jsonRecord('disease', 'd');
    expect(problemsOf('disease', rec)).toEqual([{ field: 'diseaseName', reason: '病名（diseaseName）为必填项，不能为空' }]);
  });
  test('occupational disease categories are 1–12', () => {
    expect(problemsOf('disease', { ...jsonRecord('disease', 'd'), category: 13 })[0]).toEqual({ field: 'category', reason: '职业病类别：不能大于 12，实际为 13' });
  });
  test('a record that is not an object is rejected', () => {
    expect(problemsOf('employer', 'EMP-1' as never)).toEqual([{ field: '', reason: '记录应为 JSON 对象' }]);
  });
});

describe('file headers', () => {
  test('spaces, full-width brackets and the hint in brackets do not matter', () => {
    expect(normalizeHeader(' 接尘岗位（是／否） ')).toBe('接尘岗位(是/否)');
    const map = mapColumns('enrollment', ['身份证号 ', '生效日期', '参保操作', '参保流水号', '行政区划代码', '单位名称', '接尘岗位（是/否）']);
    const rec = rowRecord(map, ['ID', '2026-01-01', '参保', 'ENR-1', '321302', '某公司', '是']);
    expect(rec).toEqual({ personId: 'ID', effectiveDate: '2026-01-01', action: '参保', eventId: 'ENR-1', regionCode: '321302', employerName: '某公司', dustExposed: '是' });
    expect(map.missing).toEqual([]);
  });
  test('the 项目编号 of a project file is both the record id and the project id', () => {
    const map = mapColumns('project', ['项目编号', '项目名称']);
    expect(rowRecord(map, ['P-1', '安置房'])).toMatchObject({ eventId: 'P-1', projectId: 'P-1' });
  });
  test('a title row is not the header row; the row naming the record id is', () => {
    expect(isHeaderRow('accident', ['2026年第三季度生产安全事故统计表'])).toBe(false);
    expect(isHeaderRow('accident', ['序号', ' 事故编号'])).toBe(true);
  });
  test('required columns missing from the file are listed', () => {
    expect(mapColumns('hazard', ['检测编号', '行政区划代码', '危害因素']).missing).toEqual(['post', 'measured', 'limit', 'unit', 'limitType', 'sampledAt']);
  });
});

describe('text is kept exactly; codes, numbers and enums are read through NFKC', () => {
  test('names, posts, summaries and notes are kept as sent, trimmed only', () => {
    const name = '宿迁市（﨑）𠮷祥䶮记建材有限公司'; // full-width brackets, U+FA11 and rare characters
    const emp = validateRecord('employer', { ...jsonRecord('employer', 'e'), employerName: `  ${name}\u3000` }, api);
    expect(emp.ok && emp.value.employerName).toBe(name);
    const haz = validateRecord('hazard', { ...jsonRecord('hazard', 'h'), factor: '矽尘（总尘）', post: '破碎工（一车间）', unit: 'mg/m³' }, api);
    expect(haz.ok && [haz.value.factor, haz.value.post, haz.value.unit]).toEqual(['矽尘（总尘）', '破碎工（一车间）', 'mg/m³']);
    const acc = validateRecord('accident', { ...jsonRecord('accident', 'a'), summary: '２号线﨑岖路段：ＡＢＣ' }, api);
    expect(acc.ok && acc.value.summary).toBe('２号线﨑岖路段：ＡＢＣ');
    const rec = validateRecord('rectification', { ...jsonRecord('rectification', 'r'), note: '已整改（见附件①）' }, api);
    expect(rec.ok && rec.value.note).toBe('已整改（见附件①）');
  });
  test('codes typed with full-width characters are read as codes', () => {
    const v = validateRecord('employer', { ...jsonRecord('employer', 'ＥＭＰ－１'), uscc: validUscc(1).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))), industryCode: 'Ｃ３０１１', regionCode: '３２１３０２' }, api);
    expect(v.ok && [v.value.eventId, v.value.uscc, v.value.industryCode, v.value.regionCode]).toEqual(['EMP-1', validUscc(1), 'C3011', '321302']);
    const haz = validateRecord('hazard', { ...jsonRecord('hazard', 'h'), limitType: 'ＰＣ－ＴＷＡ', measured: '２.４' }, api);
    expect(haz.ok && [haz.value.limitType, haz.value.measured]).toEqual(['PC_TWA', 2.4]);
    const acc = validateRecord('accident', { ...jsonRecord('accident', 'a'), projectId: 'ＳＱ－２０２６－８８' }, api);
    expect(acc.ok && acc.value.projectId).toBe('SQ-2026-88');
  });
  test('an ID number typed in full-width digits into free text is still pseudonymised', () => {
    const id = validCitizenId(12);
    const wide = id.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const v = validateRecord('accident', { ...jsonRecord('accident', 'a'), summary: `伤者（${wide}）送医` }, api);
    expect(v.ok && v.value.summary).toBe(`伤者（${pseudonymize(id, KEY)}）送医`);
  });
});

describe('units in file headers', () => {
  const fromFile = (type: Parameters<typeof validateRecord>[0], headers: string[], cells: unknown[]) => {
    const map = mapColumns(type, headers);
    return validateRecord(type, rowRecord(map, cells), { ...api, source: 'FILE', units: map.units });
  };
  const accident = fileTable('accident', 'a');
  const lossAt = accident.headers.indexOf('直接经济损失(元)');
  const withLoss = (header: string, value: unknown) =>
    fromFile('accident', accident.headers.map((h, i) => (i === lossAt ? header : h)), accident.row.map((v, i) => (i === lossAt ? value : v)));
  test('万元 is converted to 元, exactly', () => {
    const v = withLoss('直接经济损失（万元）', '1200');
    expect(v.ok && v.value.directLossYuan).toBe(12_000_000);
    const w = withLoss(' 直接经济损失 (万元) ', 1.1);
    expect(w.ok && w.value.directLossYuan).toBe(11_000); // not 11000.000000000002
    const x = withLoss('直接经济损失(万元)', '0.0123');
    expect(x.ok && x.value.directLossYuan).toBe(123);
  });
  test('元, or no unit at all, is taken as it is', () => {
    const v = withLoss('直接经济损失(元)', '1,200');
    expect(v.ok && v.value.directLossYuan).toBe(1200);
    const w = withLoss('直接经济损失', '1200');
    expect(w.ok && w.value.directLossYuan).toBe(1200);
  });
  test('合同金额(万元) is converted to 元', () => {
    const { headers, row } = fileTable('project', 'p');
    const at = headers.indexOf('合同金额(元)');
    const v = fromFile('project', headers.map((h, i) => (i === at ? '合同金额【万元】' : h)), row.map((c, i) => (i === at ? '5600' : c)));
    expect(v.ok && v.value.contractValueYuan).toBe(56_000_000);
  });
  test('months of exposure are converted to years with full precision', () => {
    const { headers, row } = fileTable('disease', 'd');
    const at = headers.indexOf('接害工龄(年)');
    const years = (header: string, value: unknown) => {
      const v = fromFile('disease', headers.map((h, i) => (i === at ? header : h)), row.map((c, i) => (i === at ? value : c)));
      return v.ok ? v.value.exposureYears : v.problems;
    };
    expect(years('接害工龄（月）', '36')).toBe(3);
    expect(years('接尘工龄(月)', 7)).toBe(7 / 12);
    expect(years('接尘工龄(年)', '4.5')).toBe(4.5);
    expect(years('接害工龄(月)', '1200')).toEqual([{ field: 'exposureYears', reason: '接害工龄(年)：不能大于 80，实际为 100（由 1200 月换算）' }]);
  });
  test('a unit the column does not accept refuses the whole file, naming the column and the units it accepts', () => {
    expect(() => mapColumns('accident', ['事故编号', '直接经济损失(美元)'])).toThrow(
      new HubError('BAD_REQUEST', '“直接经济损失(美元)”列的单位“美元”不受支持：直接经济损失只接受 元、万元（见契约第 2 节“表头中的单位”）'),
    );
    expect(() => mapColumns('disease', ['诊断编号', '接害工龄（天）'])).toThrow(/接害工龄只接受 年、月/);
  });
});

describe('dead-letter payloads carry no ID numbers', () => {
  test('the person column and ID-shaped text elsewhere become pseudonyms', () => {
    const id = validCitizenId(9);
    const out = scrubPersonIds({ 身份证号: id, 说明: `工人${id}受伤`, n: 3 }, KEY, new Set(['身份证号']));
    expect(JSON.stringify(out)).not.toContain(id);
    expect(out).toEqual({ 身份证号: pseudonymize(id, KEY), 说明: `工人${pseudonymize(id, KEY)}受伤`, n: 3 });
  });
  test('an ID number typed into free text of an accepted record is pseudonymised', () => {
    const id = validCitizenId(10);
    const v = validateRecord('disease', { ...jsonRecord('disease', 'd'), diseaseName: `矽肺（${id}）` }, api);
    expect(v.ok && v.value.diseaseName).toBe(`矽肺（${pseudonymize(id, KEY)}）`); // the text around it is kept as sent
  });
  test('an ID number quoted in a rejection reason is pseudonymised', () => {
    const id = validCitizenId(10);
    const [p] = problemsOf('employer', { ...jsonRecord('employer', 'e'), asOf: id });
    expect(p.reason).toBe(`统计日期：日期格式应为 YYYY-MM-DD、YYYY/M/D 或 YYYYMMDD，实际为 “${pseudonymize(id, KEY)}”`);
  });
  test('an invalid ID in the person field is scrubbed too', () => {
    const out = scrubPersonIds({ personId: '1234' }, KEY);
    expect(out.personId).toBe(pseudonymize('1234', KEY));
  });
});
