/**
 * Spreadsheet (CSV/formula) injection, the rule every writer of tables follows (OWASP “CSV
 * Injection”): text that comes from departments — employer names, posts, reasons — and begins
 * with = + - @, a tab or a carriage return is read by Excel, WPS and LibreOffice as a formula
 * (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`). Such text gets a leading apostrophe.
 *
 * XLSX: exceljs writes a JavaScript string as a string cell (shared or inline string), never as
 * a formula — a formula is only ever written from a `{ formula }` value, which no writer of ours
 * builds from data. The apostrophe is added there too: a string cell turns into a live formula as
 * soon as someone edits it and presses Enter, or saves the sheet as CSV and opens it again.
 * DOCX/PDF: text runs are never evaluated (only field codes are, and the documents have none
 * built from data), so documents need no prefix.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function isFormulaLike(text: string): boolean {
  return FORMULA_START.test(text);
}

/** Text as a cell may safely show it: formula-like text behind an apostrophe, the rest unchanged. */
export function neutralizeFormula(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}

/** A cell value for exceljs: strings neutralised; numbers, dates, booleans and empty cells unchanged. */
export function safeCell<T>(v: T): T {
  return (typeof v === 'string' ? neutralizeFormula(v) : v) as T;
}

/** One CSV field (RFC 4180 quoting) with the same neutralisation. */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? neutralizeFormula(v) : String(v);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (CRLF-terminated, as Excel writes it). */
export function csvLine(values: (string | number | boolean | null | undefined)[]): string {
  return values.map(csvField).join(',') + '\r\n';
}
