import { EventType } from '../shared/contract';
import { HubError } from '../shared/errors';
import { UnitSpec, fieldsOf } from './fields';
import { Problem, baseHeader } from './validate';

/**
 * The Chinese header row of a department's file → which contract field each column holds.
 * Real files differ from the contract by spaces, full-width brackets and the hint in brackets
 * (参保操作 vs 参保操作(参保/停保)); columns come in any order and unknown ones are ignored.
 */
export function normalizeHeader(h: unknown): string {
  return String(h ?? '')
    .normalize('NFKC') // full-width （） → ()
    .replace(/[【\[]/g, '(')
    .replace(/[】\]]/g, ')')
    .replace(/\s+/g, '');
}

export interface ColumnMap {
  /** Column index → the field names it fills (项目编号 of a project file fills eventId and projectId). */
  fields: Map<number, string[]>;
  /** Field → the header as written in the file, for rejections. */
  headerOf: Map<string, string>;
  /** Column index → header as written, for dead-letter payloads. */
  headers: Map<number, string>;
  /** Required fields with no column in the file. */
  missing: string[];
  /** Headers of columns that hold a citizen ID number. */
  personHeaders: Set<string>;
  /** Field → the unit its header names (万元, 月), for columns that take units. */
  units: Map<string, string>;
}

function namesOf(header: string, aliases: string[] = []): { full: Set<string>; base: Set<string> } {
  const all = [header, ...aliases].map(normalizeHeader);
  return { full: new Set(all), base: new Set(all.map(baseHeader)) };
}

/** The record id column of each type: the first column named in the contract table. */
export function recordIdHeader(type: EventType): string {
  return fieldsOf(type)[0].header;
}

/** Is this row the header row? It names the record id column. */
export function isHeaderRow(type: EventType, cells: unknown[]): boolean {
  const id = normalizeHeader(recordIdHeader(type));
  return cells.some((c) => normalizeHeader(c) === id);
}

export function mapColumns(type: EventType, cells: unknown[]): ColumnMap {
  const specs = fieldsOf(type);
  const fields = new Map<number, string[]>();
  const headerOf = new Map<string, string>();
  const headers = new Map<number, string>();
  const personHeaders = new Set<string>();
  const units = new Map<string, string>();
  const normalized = cells.map(normalizeHeader);
  for (const spec of specs) {
    const names = namesOf(spec.header, spec.aliases);
    let col = normalized.findIndex((h) => names.full.has(h));
    if (col < 0) col = normalized.findIndex((h) => h !== '' && names.base.has(baseHeader(h)));
    if (col < 0) continue;
    const written = String(cells[col]).trim();
    fields.set(col, [...(fields.get(col) ?? []), spec.name]);
    headerOf.set(spec.name, written);
    if (spec.kind === 'personId') personHeaders.add(written);
    if (spec.units) units.set(spec.name, unitOf(spec.units, normalized[col], written));
  }
  cells.forEach((c, i) => {
    if (normalizeHeader(c) !== '') headers.set(i, String(c).trim());
  });
  const missing = specs.filter((s) => s.required && !headerOf.has(s.name)).map((s) => s.name);
  return { fields, headerOf, headers, missing, personHeaders, units };
}

/**
 * The unit a header names in its trailing brackets (直接经济损失(万元) → 万元), the contract's unit
 * when it names none. A unit the column does not take refuses the whole file: its values would
 * otherwise be stored in a unit other than the one the header says.
 */
function unitOf(spec: UnitSpec, header: string, written: string): string {
  const unit = /\(([^()]*)\)$/.exec(header)?.[1] ?? spec.base;
  if (unit in spec.accepts) return unit;
  const accepts = Object.keys(spec.accepts);
  throw new HubError(
    'BAD_REQUEST',
    `“${written}”列的单位“${unit}”不受支持：${baseHeader(header)}只接受 ${accepts.join('、')}（见契约第 2 节“表头中的单位”）`,
    { column: written, accepts },
  );
}

/** A data row → the record with JSON field names (what validateRecord reads). */
export function rowRecord(map: ColumnMap, cells: unknown[]): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  for (const [col, names] of map.fields) for (const name of names) rec[name] = cells[col];
  return rec;
}

/** A data row as the department wrote it, header → cell, for the dead letter. */
export function rowPayload(map: ColumnMap, cells: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  cells.forEach((c, i) => {
    if (c === null || c === undefined || c === '') return;
    out[map.headers.get(i) ?? `第${i + 1}列`] = c;
  });
  return out;
}

/** The column a rejection names: as written in the file, or the contract header when missing. */
export function columnLabel(type: EventType, map: ColumnMap, field: string): string {
  return map.headerOf.get(field) ?? fieldsOf(type).find((s) => s.name === field)?.header ?? field;
}

/**
 * Cells holding U+FFFD: bytes the decoder could not read. The whole row is refused (a record is
 * never stored with replacement characters), naming each such column.
 */
export function undecodable(map: ColumnMap, cells: unknown[], encoding: string): Problem[] | undefined {
  const problems: Problem[] = [];
  cells.forEach((c, i) => {
    if (typeof c !== 'string' || !c.includes('\ufffd')) return;
    const header = map.headers.get(i) ?? `第${i + 1}列`;
    problems.push({
      field: map.fields.get(i)?.[0] ?? header,
      reason: `${header}：含有无法按 ${encoding} 解码的字节（已显示为“\ufffd”），该行未接收；请检查文件编码（应为 UTF-8 或 GB 18030）后重新报送`,
    });
  });
  return problems.length ? problems : undefined;
}

export function isEmptyRow(cells: unknown[]): boolean {
  return cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));
}

/** The header row is looked for in the first rows of a sheet (title lines may come above it). */
export const HEADER_SEARCH_ROWS = 10;

export function noHeaderError(type: EventType, workbook = false): HubError {
  return new HubError(
    'BAD_REQUEST',
    `文件中未找到表头：前 ${HEADER_SEARCH_ROWS} 行中应有一行包含“${recordIdHeader(type)}”等列（见契约第 2 节）` +
      (workbook ? '；XLSX 文件的每个工作表都已查找' : ''),
  );
}

const TOTAL_WORDS = new Set(['合计', '总计', '小计']);

/**
 * A 合计 / 总计 / 小计 row (a sum under the data, not a record): its record-id cell, or its first
 * non-empty cell, is one of those words (spaces and a trailing colon aside). Returns the word.
 */
export function totalRowWord(map: ColumnMap, cells: unknown[]): string | null {
  const idCol = [...map.fields].find(([, names]) => names.includes('eventId'))?.[0];
  const word = (c: unknown) => (typeof c === 'string' ? c.normalize('NFKC').replace(/\s+/g, '').replace(/:$/, '') : '');
  if (idCol !== undefined && TOTAL_WORDS.has(word(cells[idCol]))) return word(cells[idCol]);
  const first = cells.find((c) => c !== null && c !== undefined && String(c).trim() !== '');
  return TOTAL_WORDS.has(word(first)) ? word(first) : null;
}
