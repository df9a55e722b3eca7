import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { Department, EventType } from '../../services/shared/contract';
import { Cell, CellKind, CityRecord, cellsOf, headersOf, kindsOf } from './columns';

/**
 * File writers for the city's department feeds: streaming CSV (UTF-8 with BOM, or GBK like many
 * real 报表) and streaming XLSX (exceljs WorkbookWriter, dates as real Excel date cells).
 */

export type Format = 'csv' | 'xlsx';

/** The department files a city has, always written (header-only when a size yields no rows). */
export const CITY_FILES: readonly { dept: Department; type: EventType }[] = [
  { dept: 'market', type: 'employer' },
  { dept: 'hrss', type: 'employer' },
  { dept: 'hrss', type: 'enrollment' },
  { dept: 'hrss', type: 'injury' },
  { dept: 'housing', type: 'project' },
  { dept: 'housing', type: 'accident' },
  { dept: 'transport', type: 'project' },
  { dept: 'transport', type: 'accident' },
  { dept: 'emergency', type: 'accident' },
  { dept: 'emergency', type: 'rectification' },
  { dept: 'health', type: 'hazard' },
  { dept: 'health', type: 'disease' },
  { dept: 'health', type: 'rectification' },
  // The plan's other instruments: 缴费 and 待遇支付 (人社), 培训 (人社, 应急管理, 总工会), 检查.
  { dept: 'hrss', type: 'contribution' },
  { dept: 'hrss', type: 'benefit' },
  { dept: 'hrss', type: 'training' },
  { dept: 'emergency', type: 'training' },
  { dept: 'union', type: 'training' },
  { dept: 'emergency', type: 'inspection' },
  { dept: 'health', type: 'inspection' },
  { dept: 'housing', type: 'inspection' },
  { dept: 'transport', type: 'inspection' },
];

/** A sink a record writer returns: undefined when it can take more now, a promise when it must drain. */
type Backpressure = Promise<void> | undefined;

const CHUNK = 1 << 16;

export function csvLine(cells: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    const s = typeof c === 'number' ? String(c) : c;
    if (i) line += ',';
    line += /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }
  return line + '\r\n';
}

export class CsvFileWriter {
  private readonly stream: fs.WriteStream;
  private buf = '';
  rows = 0;

  constructor(readonly file: string, type: EventType, private readonly gbk = false) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.stream = fs.createWriteStream(file);
    // UTF-8 gets a BOM so Excel opens it right; GBK files have none, as real ones.
    if (!gbk) this.stream.write(Buffer.from([0xef, 0xbb, 0xbf]));
    this.buf = csvLine(headersOf(type));
  }

  write(cells: readonly Cell[]): Backpressure {
    this.buf += csvLine(cells);
    this.rows++;
    if (this.buf.length < CHUNK) return undefined;
    return this.flush();
  }

  private flush(): Backpressure {
    const text = this.buf;
    this.buf = '';
    // GBK has no superscript ³: such reports write mg/m3.
    const bytes = this.gbk ? iconv.encode(text.replace(/³/g, '3'), 'gbk') : Buffer.from(text, 'utf8');
    return this.stream.write(bytes) ? undefined : once(this.stream, 'drain').then(() => undefined);
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

type ZipLike = { append: (src: unknown, data: Record<string, unknown>) => unknown; fixedDate?: Date };

/**
 * exceljs's streaming writer stamps every zip entry with the current time, some of them already
 * in its constructor (theme, rels). Fixing the entry date makes the same city byte-identical.
 */
function fixZipDates(zip: ZipLike, date: Date): void {
  if (zip.fixedDate) return;
  zip.fixedDate = date;
  const append = zip.append.bind(zip);
  zip.append = (src, data) => append(src, { ...data, date });
}

const BaseWriter = ExcelJS.stream.xlsx.WorkbookWriter as unknown as new (o: object) => {
  zip: ZipLike; zipOptions: { whpFixedDate: Date }; addThemes(): Promise<void>; addOfficeRels(): Promise<void>;
};
class FixedDateWorkbookWriter extends BaseWriter {
  addThemes(): Promise<void> {
    fixZipDates(this.zip, this.zipOptions.whpFixedDate);
    return super.addThemes();
  }
  addOfficeRels(): Promise<void> {
    fixZipDates(this.zip, this.zipOptions.whpFixedDate);
    return super.addOfficeRels();
  }
}

function deterministicWorkbookWriter(filename: string, date: Date): ExcelJS.stream.xlsx.WorkbookWriter {
  // `zip` options go to archiver, which ignores what it does not know; the constructor keeps them.
  const wb = new FixedDateWorkbookWriter({ filename, useStyles: true, useSharedStrings: false, zip: { whpFixedDate: date } });
  return wb as unknown as ExcelJS.stream.xlsx.WorkbookWriter;
}

const DATE_FMT = 'yyyy-mm-dd';
const DATETIME_FMT = 'yyyy-mm-dd hh:mm';

/** Excel date cells carry no zone: a 发生时间 is stored as its Beijing wall-clock time. */
export function excelDate(value: string, kind: CellKind): Date {
  if (kind === 'date') return new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return new Date(`${value.slice(0, 19)}Z`);
}

export class XlsxFileWriter {
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly ws: ExcelJS.Worksheet;
  private readonly kinds: CellKind[];
  rows = 0;

  constructor(readonly file: string, type: EventType, fixedDate: Date) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.wb = deterministicWorkbookWriter(file, fixedDate);
    this.wb.created = fixedDate;
    this.wb.modified = fixedDate;
    this.wb.creator = 'WHP Hub synthetic city';
    this.ws = this.wb.addWorksheet(type);
    this.kinds = kindsOf(type);
    this.ws.columns = headersOf(type).map((header, i) => ({
      header,
      width: Math.max(12, header.length * 2 + 2),
      style: this.kinds[i] === 'date' ? { numFmt: DATE_FMT } : this.kinds[i] === 'datetime' ? { numFmt: DATETIME_FMT } : {},
    }));
  }

  write(cells: readonly Cell[]): Backpressure {
    const values: (string | number | Date | null)[] = cells.map((c, i) => {
      const k = this.kinds[i];
      if ((k === 'date' || k === 'datetime') && typeof c === 'string' && c) return excelDate(c, k);
      return c === '' ? null : c;
    });
    this.ws.addRow(values).commit();
    this.rows++;
    return undefined;
  }

  async close(): Promise<void> {
    this.ws.commit();
    await this.wb.commit();
  }
}

export interface WrittenFile {
  dept: Department;
  type: EventType;
  rows: number;
  files: string[];
}

/** All of a city's department files, open at once; records are appended as they are generated. */
export class CityWriter {
  private readonly csv = new Map<string, CsvFileWriter>();
  private readonly xlsx = new Map<string, XlsxFileWriter>();

  constructor(readonly outDir: string, readonly formats: readonly Format[], opts: { gbk?: boolean; fixedDate: Date }) {
    for (const { dept, type } of CITY_FILES) {
      const key = `${dept}/${type}`;
      if (formats.includes('csv')) this.csv.set(key, new CsvFileWriter(path.join(outDir, dept, `${type}.csv`), type, opts.gbk));
      if (formats.includes('xlsx')) this.xlsx.set(key, new XlsxFileWriter(path.join(outDir, dept, `${type}.xlsx`), type, opts.fixedDate));
    }
  }

  write(rec: CityRecord): Backpressure {
    const key = `${rec.dept}/${rec.type}`;
    const cells = cellsOf(rec);
    const c = this.csv.get(key);
    const x = this.xlsx.get(key);
    if (!c && !x) throw new Error(`no file for ${key}`);
    const a = c?.write(cells);
    const b = x?.write(cells);
    return a && b ? Promise.all([a, b]).then(() => undefined) : a ?? b;
  }

  async close(): Promise<WrittenFile[]> {
    const out: WrittenFile[] = [];
    for (const { dept, type } of CITY_FILES) {
      const key = `${dept}/${type}`;
      const c = this.csv.get(key);
      const x = this.xlsx.get(key);
      if (c) await c.close();
      if (x) await x.close();
      const files = [c && path.relative(this.outDir, c.file), x && path.relative(this.outDir, x.file)].filter((f): f is string => !!f);
      out.push({ dept, type, rows: c?.rows ?? x?.rows ?? 0, files });
    }
    return out;
  }
}
