import fs from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { EventType } from '../shared/contract';
import { citizenIdCheckChar, usccCheckChar } from '../shared/identifiers';

/** Valid identifiers and records of every type, and file writers, for the gateway's tests. */
export function validUscc(n: number, region = '321302'): string {
  const body = `91${region}MA${String(n).padStart(7, '0')}`.slice(0, 17);
  return body + usccCheckChar(body);
}

export function validCitizenId(n: number, birth = '19850312'): string {
  const body = `320102${birth}${String(n % 1000).padStart(3, '0')}`;
  return body + citizenIdCheckChar(body);
}

/** The same ID with a wrong check character. */
export function badCheckCitizenId(n: number): string {
  const good = validCitizenId(n);
  const wrong = good[17] === '0' ? '1' : '0';
  return good.slice(0, 17) + wrong;
}

/** One valid JSON record of each type (contract field names and spellings). */
export function jsonRecord(type: EventType, id: string, n = 1): Record<string, unknown> {
  const common = { eventId: id, regionCode: '321302', uscc: validUscc(n), employerName: '宿迁示例建材有限公司' };
  switch (type) {
    case 'employer':
      return { ...common, industryCode: 'C3011', headcount: 120, asOf: '2026-09-30' };
    case 'enrollment':
      return { ...common, personId: validCitizenId(n), action: 'ENROLL', effectiveDate: '2026-01-01', dustExposed: true };
    case 'accident':
      return {
        ...common, occurredAt: '2026-10-12T09:30:00+08:00', category: 3, categoryStandard: 'GB6441-1986', deaths: 0,
        seriousInjuries: 1, minorInjuries: 2, directLossYuan: 182000.5, summary: '破碎车间清理堵料时发生机械伤害',
      };
    case 'hazard':
      return { ...common, factor: '矽尘', post: '破碎工', measured: 2.4, limit: 0.7, unit: 'mg/m³', limitType: 'PC-TWA', sampledAt: '2026-08-15', exposedWorkers: 12 };
    case 'disease':
      return { ...common, personId: validCitizenId(n), category: 1, diseaseName: '矽肺壹期', diagnosedAt: '2026-06-03', exposureYears: 4.5 };
    case 'injury':
      return { ...common, personId: validCitizenId(n), injuryDate: '2026-10-12', decision: 'RECOGNIZED', insuredAtInjury: false, decidedAt: '2026-11-02' };
    case 'project':
      return { ...common, projectId: id, projectName: '宿城区安置房二期', startDate: '2026-03-01', contractValueYuan: 56000000 };
    case 'rectification':
      return { ...common, recommendationId: 'WHP-REC-2026-000001', result: 'PASSED', verifiedAt: '2026-11-10', note: '除尘设施已改造，复测合格' };
    case 'contribution':
      return { ...common, period: '2025-Q3', payrollYuan: 1860000, paidYuan: 20460, rateClass: 5, rate: 0.011 };
    case 'benefit':
      return { ...common, personId: validCitizenId(n), paidAt: '2026-11-05', amountYuan: 23560.5, kind: 'DISABILITY' };
    case 'training':
      return { ...common, courseName: '粉尘防爆与有限空间作业安全培训', heldAt: '2026-09-18', trainees: 46, keyPostTrainees: 12, keyPostTotal: 15 };
    case 'inspection':
      return { ...common, inspectedAt: '2026-10-21', origin: 'RANDOM', finding: 'HAZARD_FOUND', note: '破碎车间除尘设施未正常运行' };
  }
}

/** The contract's file header of each type and one valid row for it. */
export function fileTable(type: EventType, id: string, n = 1): { headers: string[]; row: unknown[] } {
  const c = ['统一社会信用代码', '单位名称', '行政区划代码'];
  const cv = [validUscc(n), '宿迁示例建材有限公司', '321302'];
  switch (type) {
    case 'employer':
      return { headers: ['登记编号', ...c, '行业代码', '职工人数', '统计日期'], row: [id, ...cv, 'C3011', '120', '2026/9/30'] };
    case 'enrollment':
      return {
        headers: ['参保流水号', ...c, '身份证号', '参保操作(参保/停保)', '生效日期', '接尘岗位(是/否)', '项目编号'],
        row: [id, ...cv, validCitizenId(n), '参保', '2026-01-01', '是', ''],
      };
    case 'accident':
      return {
        headers: ['事故编号', ...c, '发生时间', '事故类别', '死亡人数', '重伤人数', '轻伤人数', '直接经济损失(元)', '事故简况', '项目编号'],
        row: [id, ...cv, '2026-10-12 09:30', '3', '0', '1', '2', '182000.5', '清理堵料时发生机械伤害', ''],
      };
    case 'hazard':
      return {
        headers: ['检测编号', ...c, '危害因素', '岗位', '检测值', '限值', '单位', '限值类型', '采样日期', '接害人数'],
        row: [id, ...cv, '矽尘', '破碎工', '2.4', '0.7', 'mg/m³', 'PC-TWA', '2026/8/15', '12'],
      };
    case 'disease':
      return {
        headers: ['诊断编号', ...c, '身份证号', '职业病类别', '病名', '诊断日期', '接害工龄(年)'],
        row: [id, ...cv, validCitizenId(n), '1', '矽肺壹期', '2026-06-03', '4.5'],
      };
    case 'injury':
      return {
        headers: ['认定编号', ...c, '身份证号', '受伤日期', '认定结论(认定/不予认定)', '受伤时是否参保(是/否)', '认定日期'],
        row: [id, ...cv, validCitizenId(n), '2026-10-12', '认定', '否', '2026-11-02'],
      };
    case 'project':
      return {
        headers: ['项目编号', ...c, '项目名称', '开工日期', '合同金额(元)', '参保证明编号'],
        row: [id, ...cv, '宿城区安置房二期', '2026/3/1', '56000000', ''],
      };
    case 'rectification':
      return {
        headers: ['复查编号', ...c, '建议书编号', '复查结果(合格/不合格)', '复查日期', '说明'],
        row: [id, ...cv, 'WHP-REC-2026-000001', '合格', '2026-11-10', '复测合格'],
      };
    case 'contribution':
      return {
        headers: ['缴费记录号', ...c, '所属期', '缴费工资总额(元)', '实缴工伤保险费(元)', '行业风险类别', '执行费率'],
        row: [id, ...cv, '2025年第3季度', '1860000', '20460', '5', '1.1%'],
      };
    case 'benefit':
      return {
        headers: ['支付流水号', ...c, '身份证号', '支付日期', '支付金额(元)', '待遇类别'],
        row: [id, ...cv, validCitizenId(n), '2026/11/5', '23560.5', '伤残'],
      };
    case 'training':
      return {
        headers: ['培训编号', ...c, '培训名称', '培训日期', '参训人数', '重点岗位参训人数', '重点岗位总人数'],
        row: [id, ...cv, '粉尘防爆与有限空间作业安全培训', '2026/9/18', '46', '12', '15'],
      };
    case 'inspection':
      return {
        headers: ['检查编号', ...c, '检查日期', '检查来源', '检查结论', '说明'],
        row: [id, ...cv, '2026-10-21', '双随机', '发现隐患', '破碎车间除尘设施未正常运行'],
      };
  }
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvText(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function writeCsv(file: string, rows: unknown[][], encoding: 'utf8' | 'gbk' = 'utf8', bom = false): void {
  const text = csvText(rows);
  const body = encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
  fs.writeFileSync(file, bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
}

/** A small XLSX; Date values become real Excel date cells (with a date number format). */
export async function writeXlsx(file: string, rows: unknown[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) {
    const added = ws.addRow(r);
    added.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = cell.value.getUTCHours() || cell.value.getUTCMinutes() ? 'yyyy-mm-dd hh:mm' : 'yyyy-mm-dd';
    });
  }
  await wb.xlsx.writeFile(file);
}

/** A workbook of several sheets, in order (填表说明 first, data second, as staff keep them). */
export async function writeWorkbook(file: string, sheets: { name: string; rows: unknown[][] }[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name);
    for (const r of sheet.rows) {
      ws.addRow(r).eachCell((cell) => {
        if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      });
    }
  }
  await wb.xlsx.writeFile(file);
}

/** Streams `count` generated rows into a CSV without holding them (for the large-file tests). */
export async function writeLargeCsv(file: string, headers: string[], count: number, row: (i: number) => unknown[]): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write(csvText([headers]));
  for (let i = 0; i < count; i++) {
    if (!out.write(csvText([row(i)]))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function writeLargeXlsx(file: string, headers: string[], count: number, row: (i: number) => unknown[]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(headers).commit();
  for (let i = 0; i < count; i++) {
    const r = ws.addRow(row(i));
    r.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
    });
    r.commit();
  }
  ws.commit();
  await wb.commit();
}
