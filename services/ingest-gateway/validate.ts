import { Department, EventType } from '../shared/contract';
import { citizenIdProblem, employerKey, pseudonymize, regionCodeProblem, usccProblem } from '../shared/identifiers';
import { RegionCodes, regionCodeOutsideProvince } from '../shared/divisions';
import { industryCodeProblem } from '../shared/industry';
import { scrubIdNumbers } from '../shared/privacy';
import { FieldSpec, GB6441_1986_CATEGORIES, fieldsOf } from './fields';
import { DateContext, Read, inRange, isBlank, readBool, readCode, readDate, readEnum, readNumber, readPeriod, readRate, readText, readTimestamp } from './values';

/**
 * One record in, one verdict out: the Avro value ready for its topic, or every problem with
 * the field it concerns and a precise Chinese reason. Pure: time and the pseudonym key come in.
 */
export type Source = 'API' | 'FILE';

export interface Problem {
  field: string;
  reason: string;
}

export interface ValidationContext {
  department: Department;
  source: Source;
  now: Date;
  pseudonymKey: string;
  /** The key being retired during a rotation: the person's old pseudonym travels beside the new. */
  pseudonymPreviousKey?: string;
  /** Field → the unit a file's header names (万元, 月); values are converted to the contract's unit. */
  units?: ReadonlyMap<string, string>;
  /** The GB/T 2260 codes of the configured province (and its districts). */
  regions: RegionCodes;
}

export type Verdict =
  | { ok: true; eventId: string; key: string; value: Record<string, unknown> }
  | { ok: false; eventId: string | null; problems: Problem[] };

export const GB6441_2025_NOT_CONFIGURED =
  '事故类别标准 GB6441-2025 的分类表尚未配置，暂不接收；请按 GB6441-1986 填报事故类别（1–20）';

/** GB 6441-1986 category: its code 1–20, or its name (机械伤害), or "3 机械伤害". */
export function readAccidentCategory(v: unknown): Read<number> {
  if (typeof v === 'string') {
    // 其它 and 其他 are both in use for categories 18 and 20.
    const s = v.normalize('NFKC').trim().replace(/其它/g, '其他');
    const byName = GB6441_1986_CATEGORIES.indexOf(s.replace(/^\d+\s*[-.、:：]?\s*/, '') as (typeof GB6441_1986_CATEGORIES)[number]);
    const lead = /^(\d+)\s*[-.、:：]?\s*\D/.exec(s);
    if (byName >= 0 && (!lead || Number(lead[1]) === byName + 1)) return { ok: true, value: byName + 1 };
    if (/[^\d\s.+-]/.test(s)) {
      return { ok: false, reason: `事故类别“${s}”不是 GB6441-1986 的类别名称或代码（1 物体打击 … 20 其他伤害）` };
    }
  }
  const n = readNumber(v, { integer: true });
  if (!n.ok) return n;
  if (n.value < 1 || n.value > 20) return { ok: false, reason: `事故类别代码应为 1–20（GB6441-1986），实际为 ${n.value}` };
  return n;
}

function readField(spec: FieldSpec, raw: unknown, dates: DateContext, ctx: ValidationContext): Read<unknown> {
  const unit = ctx.units?.get(spec.name);
  switch (spec.kind) {
    case 'id':
    case 'code':
    case 'string':
    case 'text': {
      const t = spec.kind === 'string' || spec.kind === 'text' ? readText(raw) : readCode(raw);
      // Characters, not UTF-16 units (𠮷 is one); no text has more characters than units, so
      // only a text longer in units is counted.
      if (t.ok && spec.maxLength && t.value.length > spec.maxLength) {
        const length = [...t.value].length;
        if (length > spec.maxLength) return { ok: false, reason: `长度不能超过 ${spec.maxLength} 个字符，实际为 ${length}` };
      }
      return t;
    }
    case 'int':
      return readNumber(raw, { integer: true, min: spec.min, max: spec.max });
    case 'number': {
      const convert = spec.units && unit && unit !== spec.units.base ? spec.units.accepts[unit] : undefined;
      if (!convert) return readNumber(raw, { min: spec.min, max: spec.max });
      const n = readNumber(raw);
      return n.ok ? inRange(convert(n.value), spec, `（由 ${n.value} ${unit}换算）`) : n;
    }
    case 'date':
      return readDate(raw, { ...dates, planned: spec.planned });
    case 'timestamp':
      return readTimestamp(raw, dates);
    case 'bool':
      return readBool(raw);
    case 'enum':
      return readEnum(raw, spec.symbols ?? {}, spec.display);
    case 'accidentCategory':
      return readAccidentCategory(raw);
    case 'period':
      return readPeriod(raw, dates);
    case 'rate': {
      const convert = spec.units && unit && unit !== spec.units.base ? spec.units.accepts[unit] : undefined;
      return readRate(raw, { max: spec.max ?? 1, unit, convert });
    }
    case 'uscc': {
      const t = readCode(raw);
      if (!t.ok) return t;
      const code = t.value.replace(/\s+/g, '').toUpperCase();
      const p = usccProblem(code);
      return p ? { ok: false, reason: p } : { ok: true, value: code };
    }
    case 'region': {
      const t = readCode(raw);
      if (!t.ok) return t;
      const p = regionCodeProblem(t.value) ?? regionCodeOutsideProvince(t.value, ctx.regions);
      return p ? { ok: false, reason: p } : t;
    }
    case 'industryCode': {
      const t = readCode(raw);
      if (!t.ok) return t;
      const code = t.value.toUpperCase();
      const p = industryCodeProblem(code);
      return p ? { ok: false, reason: p } : { ok: true, value: code };
    }
    case 'personId': {
      const t = readCode(raw);
      if (!t.ok) return { ok: false, reason: '身份证号应为文本' };
      const id = t.value.replace(/\s+/g, '').toUpperCase();
      const p = citizenIdProblem(id, dates.now);
      return p ? { ok: false, reason: p } : { ok: true, value: id };
    }
  }
}

/** 参保操作(参保/停保) → 参保操作: the name without the hint in brackets. */
export function baseHeader(header: string): string {
  return header.replace(/\(.*\)$/, '');
}

/** Rules between fields of one record. */
function crossFieldProblems(type: EventType, v: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  if (type === 'injury' && typeof v.decidedAt === 'string' && typeof v.injuryDate === 'string' && v.decidedAt < v.injuryDate) {
    problems.push({ field: 'decidedAt', reason: `认定日期 ${v.decidedAt} 早于受伤日期 ${v.injuryDate}` });
  }
  if (type === 'hazard' && v.limit === 0) problems.push({ field: 'limit', reason: '限值应大于 0' });
  if (type === 'accident' && v.categoryStandard === 'GB6441_2025') {
    problems.push({ field: 'categoryStandard', reason: GB6441_2025_NOT_CONFIGURED });
  }
  if (type === 'contribution' && typeof v.paidYuan === 'number' && typeof v.payrollYuan === 'number' && v.paidYuan > v.payrollYuan) {
    problems.push({ field: 'paidYuan', reason: `实缴工伤保险费 ${v.paidYuan} 元大于缴费工资总额 ${v.payrollYuan} 元：两列是否填反？` });
  }
  if (type === 'training' && typeof v.keyPostTrainees === 'number') {
    if (typeof v.trainees === 'number' && v.keyPostTrainees > v.trainees) {
      problems.push({ field: 'keyPostTrainees', reason: `重点岗位参训人数 ${v.keyPostTrainees} 大于参训人数 ${v.trainees}` });
    }
    if (typeof v.keyPostTotal === 'number' && v.keyPostTrainees > v.keyPostTotal) {
      problems.push({ field: 'keyPostTrainees', reason: `重点岗位参训人数 ${v.keyPostTrainees} 大于重点岗位总人数 ${v.keyPostTotal}` });
    }
  }
  return problems;
}

/** A record as the gateway received it (JSON field names) → its verdict. */
export function validateRecord(type: EventType, input: unknown, ctx: ValidationContext): Verdict {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, eventId: null, problems: [{ field: '', reason: '记录应为 JSON 对象' }] };
  }
  const rec = input as Record<string, unknown>;
  const dates: DateContext = { now: ctx.now, acceptSerial: ctx.source === 'FILE' };
  const value: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const spec of fieldsOf(type)) {
    const raw = rec[spec.name];
    if (isBlank(raw)) {
      if (spec.required) problems.push({ field: spec.name, reason: `${spec.header}（${spec.name}）为必填项，不能为空` });
      else value[spec.name] = spec.default ?? null;
      continue;
    }
    const read = readField(spec, raw, dates, ctx);
    if (read.ok) value[spec.name] = read.value;
    else problems.push({ field: spec.name, reason: read.reason.startsWith(baseHeader(spec.header)) ? read.reason : `${spec.header}：${read.reason}` });
  }
  const failed = new Set(problems.map((p) => p.field));
  if (isBlank(rec.uscc) && !failed.has('uscc') && isBlank(value.employerName)) {
    problems.push({ field: 'employerName', reason: '无统一社会信用代码时，单位名称为必填项' });
  }
  problems.push(...crossFieldProblems(type, value));
  if (problems.length > 0) {
    const eventId = typeof value.eventId === 'string' ? scrubIdNumbers(value.eventId, ctx.pseudonymKey) : null;
    // Reasons quote values ("实际为 …"): an ID number in the wrong column must not be quoted back.
    return { ok: false, eventId, problems: problems.map((p) => ({ ...p, reason: scrubIdNumbers(p.reason, ctx.pseudonymKey) })) };
  }

  if (typeof value.personId === 'string') {
    if (ctx.pseudonymPreviousKey) value.personIdPrevious = pseudonymize(value.personId, ctx.pseudonymPreviousKey);
    value.personId = pseudonymize(value.personId, ctx.pseudonymKey);
  }
  // An ID number typed into free text (病名, 事故简况, even the record id) must not pass either.
  for (const spec of fieldsOf(type)) {
    const v = value[spec.name];
    if ((spec.kind === 'id' || spec.kind === 'code' || spec.kind === 'string' || spec.kind === 'text') && typeof v === 'string') {
      value[spec.name] = scrubIdNumbers(v, ctx.pseudonymKey);
    }
  }
  const eventIdOut = value.eventId as string;
  const key = employerKey(value.uscc as string | null, value.employerName as string | null, value.regionCode as string);
  // Added in place (not a copy): at tens of thousands of records a second, every copy shows in GC.
  value.department = ctx.department;
  value.employerKey = key;
  value.source = ctx.source;
  value.ingestedAt = ctx.now.toISOString();
  return { ok: true, eventId: eventIdOut, key, value };
}

/** The one line a rejected record gets in the HTTP answer: its fields and reasons together. */
export function summarizeProblems(problems: Problem[]): Problem {
  return {
    field: [...new Set(problems.map((p) => p.field))].join(','),
    reason: problems.map((p) => p.reason).join('；'),
  };
}
