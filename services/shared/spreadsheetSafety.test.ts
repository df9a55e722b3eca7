import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { csvLine, neutralizeFormula, safeCell } from './spreadsheetSafety';

/** The formula-injection rule (OWASP): what a spreadsheet program would evaluate is made inert; the rest is unchanged. */
const runs = Number(process.env.WHP_FUZZ_RUNS ?? 500);
const formulaLike = fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string()).map(([c, s]) => c + s);

test('formula-like text gets one leading apostrophe; other text and non-text values are unchanged', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), formulaLike), (s) => {
      const out = neutralizeFormula(s);
      expect(/^[=+\-@\t\r]/.test(out)).toBe(false);
      expect(out).toBe(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
    }),
    { numRuns: runs },
  );
  expect(safeCell(-3)).toBe(-3);
  expect(safeCell(null)).toBeNull();
  expect(safeCell('=HYPERLINK("http://x","y")')).toBe('\'=HYPERLINK("http://x","y")');
});

test('a CSV line reads back, field by field, as the neutralised values', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), formulaLike), { minLength: 1, maxLength: 6 }), (values) => {
      const [row] = parse(csvLine(values), { relax_column_count: true }) as string[][];
      expect(row).toEqual(values.map(neutralizeFormula));
    }),
    { numRuns: runs },
  );
});

test('exceljs writes a string that begins with = as a string cell, never a formula, and with the apostrophe it stays inert', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('s');
  ws.addRow(['=HYPERLINK("http://x","y")', safeCell("=cmd|' /C calc'!A0")]);
  const back = new ExcelJS.Workbook();
  await back.xlsx.load((await wb.xlsx.writeBuffer()) as never);
  const row = back.getWorksheet('s')!.getRow(1);
  for (const c of [1, 2]) {
    expect(row.getCell(c).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(c).formula).toBeUndefined();
  }
  expect(row.getCell(2).value).toBe("'=cmd|' /C calc'!A0");
});
