import ExcelJS from 'exceljs';
import { assertNoPersonalData } from './privacy';
import { safeCell } from '../../shared/spreadsheetSafety';

/**
 * Plain tabular reports as XLSX (浮动费率建议, 检查计划, 清单命中率, 培训覆盖率): a title row, a
 * frozen header with filters, one sheet per table, streamed to a file so that a province's
 * rows never sit in memory as a workbook. Formula-like text is neutralised (shared/spreadsheetSafety.ts).
 */
export interface TableColumn<T> {
  header: string;
  width: number;
  value: (row: T) => string | number | null;
  numFmt?: string;
}

export interface TableSheet<T> {
  name: string;
  title: string;
  columns: TableColumn<T>[];
  rows: Iterable<T>;
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const FONT = 'Microsoft YaHei';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function writeTablesXlsx(file: string, sheets: TableSheet<any>[]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = 'WHP Hub';
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.columns = s.columns.map((c) => ({ width: c.width, style: { font: { name: FONT, size: 10 }, ...(c.numFmt ? { numFmt: c.numFmt } : {}) } }));
    const title = ws.addRow([s.title]);
    title.font = { name: FONT, size: 13, bold: true };
    title.commit();
    const header = ws.addRow(s.columns.map((c) => c.header));
    header.eachCell((cell) => {
      cell.fill = HEADER_FILL;
      cell.font = { name: FONT, size: 10, bold: true };
      cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    });
    header.commit();
    let n = 0;
    for (const r of s.rows) {
      const values = s.columns.map((c) => safeCell(c.value(r)));
      assertNoPersonalData(values.filter((v): v is string => typeof v === 'string'), s.name);
      ws.addRow(values).commit();
      if (++n % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2 + n, column: s.columns.length } };
    ws.commit();
  }
  await wb.commit();
}
