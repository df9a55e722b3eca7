import ExcelJS from 'exceljs';
import { HubError } from '../../shared/errors';
import { RULE_LABELS, type RuleId } from '../../shared/catalog';
import { LIST_CHANGE_LABELS, type EvidenceSummary, type ListChange, type RiskList, type RiskListRow } from '../../shared/documents';
import { assertNoPersonalData } from './privacy';
import { safeCell } from '../../shared/spreadsheetSafety';

/**
 * The weekly risk list (风险清单) as XLSX: sheets 风险清单, 移出名单, 汇总.
 *
 * Written with exceljs's streaming WorkbookWriter: rows go to the zip as they come, so a
 * province-sized list (~100,000 rows) never sits in memory as a workbook. `rows` may be an
 * array or an (async) iterable straight from the query cursor.
 */
export type RowSource = Iterable<RiskListRow> | AsyncIterable<RiskListRow>;
export type RiskListInput = Omit<RiskList, 'rows'> & { rows: RowSource };

export const MAIN_SHEET = '风险清单';
export const REMOVED_SHEET = '移出名单';
export const SUMMARY_SHEET = '汇总';

const CHANGE_LABELS = LIST_CHANGE_LABELS;

const MAIN_COLUMNS: { header: string; width: number; numFmt?: string; wrap?: boolean; center?: boolean }[] = [
  { header: '排名', width: 7, numFmt: '0', center: true },
  { header: '统一社会信用代码', width: 22 },
  { header: '单位名称', width: 34, wrap: true },
  { header: '区县', width: 10 },
  { header: '行业代码', width: 9, center: true },
  { header: '触发规则', width: 30, wrap: true },
  { header: '风险分值', width: 9, numFmt: '0.0' },
  { header: '重点单位', width: 10, center: true },
  { header: '关键证据', width: 72, wrap: true },
  { header: '未结整改建议及期限', width: 42, wrap: true },
  { header: '较上周变化', width: 11, center: true },
];
const REMOVED_COLUMNS = [
  { header: '统一社会信用代码', width: 22 },
  { header: '单位名称', width: 34 },
  { header: '行政区划代码', width: 13 },
  { header: '原因', width: 50 },
];

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const PRIORITY_ARGB = 'FFFCE4E4';
const PRIORITY_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: PRIORITY_ARGB } };
const FONT = 'Microsoft YaHei'; // Excel on the departments' desktops; LibreOffice falls back to a CJK sans
// Let the zip stream drain every so many rows, so memory stays bounded (see writeRiskListXlsx).
const DRAIN_EVERY = 500;

function colLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** Measured values without float noise: 1.2500 → 1.25. */
function num(x: number): string {
  return String(Number(x.toFixed(3)));
}

/** Key evidence as counts and dates per department; never anything about a person. */
export function evidenceText(e: EvidenceSummary): string {
  const parts: string[] = [];
  if (e.accidents365d > 0 || e.deaths365d > 0) {
    parts.push(
      `应急管理：近一年事故 ${e.accidents365d} 起/死亡 ${e.deaths365d} 人` +
        (e.lastAccidentDate ? `（最近 ${e.lastAccidentDate}）` : ''),
    );
  }
  const health: string[] = [];
  if (e.hazardExceedances > 0) {
    let s = `超标 ${e.hazardExceedances} 次`;
    if (e.lastExceedanceDate) s += `，最近超标 ${e.lastExceedanceDate}`;
    const w = e.worstExceedance;
    if (w) s += ` ${w.factor} ${num(w.measured)}/${num(w.limit)} ${w.unit}`.trimEnd();
    health.push(s);
  }
  if (e.pneumoconiosisCases > 0) health.push(`尘肺 ${e.pneumoconiosisCases} 例`);
  if (health.length) parts.push(`卫生健康：${health.join('，')}`);
  const hrss: string[] = [];
  if (e.headcount !== null && e.headcount !== undefined) {
    const cov = e.coverage ?? (e.headcount > 0 ? e.enrolledWorkers / e.headcount : null);
    hrss.push(`参保 ${e.enrolledWorkers}/职工 ${e.headcount}` + (cov !== null ? `（${Math.round(cov * 100)}%）` : ''));
  } else {
    hrss.push(`参保 ${e.enrolledWorkers}`);
  }
  if (e.uninsuredInjuries > 0) hrss.push(`未参保工伤 ${e.uninsuredInjuries} 起`);
  parts.push(`人社：${hrss.join('，')}`);
  if (e.projectsWithoutCertificate > 0) parts.push(`住建/交通：未提交参保证明项目 ${e.projectsWithoutCertificate} 个`);
  return parts.join('；');
}

/** 宿工预建〔2026〕3号 联合督办建议（卫生健康委员会、人力资源和社会保障局） 期限 2026-12-20 */
export function openRecommendationsText(row: RiskListRow): string {
  return row.openRecommendations
    .map((r) => {
      const due = r.deadline ? `期限 ${r.deadline}` : '未设期限';
      const depts = r.departmentNames.length ? `（${r.departmentNames.join('、')}）` : '';
      return `${r.documentNumber ?? '（文号待定）'} ${r.kindLabel}${depts} ${due}`;
    })
    .join('；');
}

function rulesText(rules: RuleId[]): string {
  return rules.map((r) => RULE_LABELS[r] ?? r).join('、');
}

/** Asia/Shanghai has no DST: UTC+8 is exact, and keeps the output free of the machine's zone. */
function beijing(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') + '（北京时间）';
}

function styleHeader(row: ExcelJS.Row, n: number): void {
  row.height = 30;
  for (let c = 1; c <= n; c++) {
    const cell = row.getCell(c);
    cell.font = { name: FONT, bold: true, size: 11 };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF808080' } } };
  }
}

const drain = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function writeRiskListXlsx(list: RiskListInput, file: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = 'WHP Hub 工伤预防数据交换枢纽';
  wb.created = new Date(list.generatedAt);
  wb.modified = new Date(list.generatedAt);

  // 1. 风险清单 — frozen header, filter over all rows, PRIORITY rows shaded.
  const ws = wb.addWorksheet(MAIN_SHEET, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    properties: { defaultRowHeight: 18 },
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = MAIN_COLUMNS.map((c, i) => ({
    key: String(i),
    width: c.width,
    style: {
      font: { name: FONT, size: 10 },
      numFmt: c.numFmt,
      alignment: { vertical: 'top', wrapText: c.wrap ?? false, horizontal: c.center ? 'center' : undefined },
    },
  }));
  const header = ws.addRow(MAIN_COLUMNS.map((c) => c.header));
  styleHeader(header, MAIN_COLUMNS.length);
  header.commit();

  let listed = 0;
  let priority = 0;
  let fresh = 0;
  for await (const r of list.rows) {
    const evidence = evidenceText(r.evidence);
    const recs = openRecommendationsText(r);
    assertNoPersonalData([r.employerName, evidence, recs], '风险清单');
    // Names, evidence and reasons come from department data: formula-like text is made inert.
    const row = ws.addRow([
      r.rank,
      r.uscc ?? '',
      r.employerName,
      r.districtName,
      r.industryCode ?? '',
      rulesText(r.rules),
      r.score,
      r.priority ? '是' : '',
      evidence,
      recs,
      CHANGE_LABELS[r.change] ?? r.change,
    ].map(safeCell));
    if (r.priority) {
      row.eachCell({ includeEmpty: true }, (cell) => {
        cell.fill = PRIORITY_FILL;
      });
      row.getCell(8).font = { name: FONT, size: 10, bold: true, color: { argb: 'FFC00000' } };
    }
    row.commit();
    listed++;
    if (r.priority) priority++;
    if (r.change === 'NEW') fresh++;
    if (listed % DRAIN_EVERY === 0) await drain();
  }
  ws.autoFilter = `A1:${colLetter(MAIN_COLUMNS.length)}${listed + 1}`;
  ws.commit();

  // 2. 移出名单 — on last week's list, not on this one, and why.
  const rs = wb.addWorksheet(REMOVED_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2' }] });
  rs.columns = REMOVED_COLUMNS.map((c, i) => ({
    key: String(i),
    width: c.width,
    style: { font: { name: FONT, size: 10 }, alignment: { vertical: 'top', wrapText: true } },
  }));
  const rh = rs.addRow(REMOVED_COLUMNS.map((c) => c.header));
  styleHeader(rh, REMOVED_COLUMNS.length);
  rh.commit();
  for (const r of list.removed) {
    assertNoPersonalData([r.employerName, r.reason], '移出名单');
    rs.addRow([r.uscc ?? '', r.employerName, r.regionCode, r.reason].map(safeCell)).commit();
  }
  rs.autoFilter = `A1:${colLetter(REMOVED_COLUMNS.length)}${list.removed.length + 1}`;
  rs.commit();

  // 3. 汇总 — written last, because its counts come from streaming the rows above.
  const ss = wb.addWorksheet(SUMMARY_SHEET);
  ss.columns = [{ width: 16 }, { width: 30 }, { width: 14 }, { width: 12 }].map((c) => ({
    ...c,
    style: { font: { name: FONT, size: 11 } },
  }));
  const title = ss.addRow([`${list.regionName}工伤预防风险清单汇总（${list.week}）`]);
  ss.mergeCells(`A${title.number}:D${title.number}`);
  title.getCell(1).font = { name: FONT, size: 14, bold: true };
  title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
  title.height = 28;
  title.commit();
  const info: [string, string | number][] = [
    ['周次', list.week],
    ['统计期间', `${list.weekStart} 至 ${list.weekEnd}`],
    ['数据截至', beijing(list.asOf)],
    ['生成时间', beijing(list.generatedAt)],
    ['比较基准', list.comparison],
    ['上榜单位', listed],
    ['其中重点', priority],
    ['新上榜', fresh],
    ['移出', list.removed.length],
  ];
  for (const [k, v] of info) {
    const row = ss.addRow([k, v]);
    row.getCell(1).font = { name: FONT, size: 11, bold: true };
    if (typeof v === 'number') {
      row.getCell(2).numFmt = '#,##0';
      row.getCell(2).alignment = { horizontal: 'left' };
    }
    row.commit();
  }
  const table = (
    caption: string,
    headers: string[],
    data: { key: string; name: string; employers: number; priority: number }[],
  ): void => {
    ss.addRow([]).commit();
    const cap = ss.addRow([caption]);
    cap.getCell(1).font = { name: FONT, size: 12, bold: true };
    cap.commit();
    const h = ss.addRow(headers);
    styleHeader(h, headers.length);
    h.commit();
    let te = 0;
    let tp = 0;
    for (const d of data) {
      const row = ss.addRow([d.key, d.name, d.employers, d.priority].map(safeCell));
      row.getCell(3).numFmt = '#,##0';
      row.getCell(4).numFmt = '#,##0';
      row.commit();
      te += d.employers;
      tp += d.priority;
    }
    const total = ss.addRow(['合计', '', te, tp]);
    for (let c = 1; c <= 4; c++) {
      total.getCell(c).font = { name: FONT, size: 11, bold: true };
      total.getCell(c).border = { top: { style: 'thin' } };
    }
    total.getCell(3).numFmt = '#,##0';
    total.getCell(4).numFmt = '#,##0';
    total.commit();
  };
  table(
    '按区县',
    ['行政区划代码', '区县', '上榜单位数', '其中重点'],
    list.byDistrict.map((d) => ({ key: d.regionCode, name: d.districtName, employers: d.employers, priority: d.priority })),
  );
  table(
    '按行业门类',
    ['门类', '门类名称', '上榜单位数', '其中重点'],
    list.byIndustry.map((d) => ({ key: d.section, name: d.sectionName, employers: d.employers, priority: d.priority })),
  );
  ss.commit();
  await wb.commit();
}

// ---------------------------------------------------------------------------------------------
// Reading back (tests, and the reporter checking what it stored). Loads the whole workbook:
// meant for test-sized lists, not for the 100,000-row province.

export interface RiskListXlsxRow {
  rank: number;
  uscc: string | null;
  employerName: string;
  districtName: string;
  industryCode: string | null;
  rules: RuleId[];
  rulesText: string;
  score: number;
  priority: boolean;
  evidence: string;
  openRecommendations: string;
  change: ListChange;
}

export interface RiskListXlsxContent {
  sheetNames: string[];
  headers: string[];
  rows: RiskListXlsxRow[];
  removed: { uscc: string | null; employerName: string; regionCode: string; reason: string }[];
  summary: {
    title: string;
    info: Record<string, string | number>;
    byDistrict: { key: string; name: string; employers: number; priority: number }[];
    byIndustry: { key: string; name: string; employers: number; priority: number }[];
    totals: { employers: number; priority: number }[]; // 合计 of each table
  };
  layout: {
    frozenRows: number; // ySplit of the main sheet
    autoFilter: string | null;
    columnWidths: number[];
    priorityRowsFilled: boolean; // every PRIORITY row carries the highlight fill
    numFmts: { rank: string | undefined; score: string | undefined };
  };
}

const LABEL_TO_RULE = new Map(Object.entries(RULE_LABELS).map(([id, label]) => [label, id as RuleId]));
const LABEL_TO_CHANGE = new Map(Object.entries(CHANGE_LABELS).map(([id, label]) => [label, id as ListChange]));

function text(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  return String(v);
}

export async function readRiskListXlsx(file: string): Promise<RiskListXlsxContent> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet(MAIN_SHEET);
  const rs = wb.getWorksheet(REMOVED_SHEET);
  const ss = wb.getWorksheet(SUMMARY_SHEET);
  if (!ws || !rs || !ss) {
    throw new HubError('BAD_REQUEST', `不是风险清单文件（缺少工作表）/ not a risk list workbook: ${file}`, { file });
  }
  const headers = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(text);
  const rows: RiskListXlsxRow[] = [];
  let priorityRowsFilled = true;
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const v = (c: number) => row.getCell(c).value;
    const rulesLabel = text(v(6));
    const priority = text(v(8)) === '是';
    if (priority) {
      const fill = row.getCell(1).fill as ExcelJS.FillPattern | undefined;
      if (!fill || fill.type !== 'pattern' || fill.fgColor?.argb !== PRIORITY_ARGB) priorityRowsFilled = false;
    }
    rows.push({
      rank: Number(v(1)),
      uscc: text(v(2)) || null,
      employerName: text(v(3)),
      districtName: text(v(4)),
      industryCode: text(v(5)) || null,
      rules: rulesLabel ? rulesLabel.split('、').map((l) => LABEL_TO_RULE.get(l) ?? (l as RuleId)) : [],
      rulesText: rulesLabel,
      score: Number(v(7)),
      priority,
      evidence: text(v(9)),
      openRecommendations: text(v(10)),
      change: LABEL_TO_CHANGE.get(text(v(11))) ?? (text(v(11)) as ListChange),
    });
  });
  const removed: RiskListXlsxContent['removed'] = [];
  rs.eachRow((row, n) => {
    if (n === 1) return;
    const v = (c: number) => text(row.getCell(c).value);
    removed.push({ uscc: v(1) || null, employerName: v(2), regionCode: v(3), reason: v(4) });
  });

  const summary: RiskListXlsxContent['summary'] = {
    title: text(ss.getRow(1).getCell(1).value),
    info: {},
    byDistrict: [],
    byIndustry: [],
    totals: [],
  };
  let section: 'info' | 'byDistrict' | 'byIndustry' = 'info';
  ss.eachRow((row, n) => {
    if (n === 1) return;
    const a = text(row.getCell(1).value);
    const b = row.getCell(2).value;
    if (a === '按区县') section = 'byDistrict';
    else if (a === '按行业门类') section = 'byIndustry';
    else if (section === 'info' && a) summary.info[a] = typeof b === 'number' ? b : text(b);
    else if (a === '合计') {
      summary.totals.push({ employers: Number(row.getCell(3).value), priority: Number(row.getCell(4).value) });
    } else if (section !== 'info' && a && a !== '行政区划代码' && a !== '门类') {
      summary[section].push({
        key: a,
        name: text(b),
        employers: Number(row.getCell(3).value),
        priority: Number(row.getCell(4).value),
      });
    }
  });

  const view = ws.views?.[0] as { state?: string; ySplit?: number } | undefined;
  const af = ws.autoFilter as unknown;
  return {
    sheetNames: wb.worksheets.map((w) => w.name),
    headers,
    rows,
    removed,
    summary,
    layout: {
      frozenRows: view?.state === 'frozen' ? (view.ySplit ?? 0) : 0,
      autoFilter: typeof af === 'string' ? af : af ? JSON.stringify(af) : null,
      columnWidths: (ws.columns ?? []).map((c) => c.width ?? 0),
      priorityRowsFilled,
      numFmts: { rank: ws.getRow(2).getCell(1).numFmt, score: ws.getRow(2).getCell(7).numFmt },
    },
  };
}
