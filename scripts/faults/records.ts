import { Department, EventType } from '../../services/shared/contract';
import { addDays } from '../../services/shared/time';
import { benchUscc, citizenId } from '../bench/records';

/**
 * What departments submit during the fault suite, as they would through the API (citizen ID
 * numbers in clear: the gateway pseudonymises them). Per employer: its register record and a
 * roster of enrollments, and across the population hazard measurements (some over the limit),
 * accidents and injury decisions (some uninsured), so that the correlator has alerts and
 * recommendations to get right. Deterministic for a run and an employer range.
 */
export interface Submission {
  type: EventType;
  department: Department;
  record: Record<string, unknown>;
}

export function* cityRecords(run: string, employers: number, first = 0): Generator<Submission> {
  let n = 0;
  for (let e = first; e < first + employers; e++) {
    const head = { regionCode: '321302', uscc: benchUscc(e + 2_000_000), employerName: `宿迁故障演练第${e}建材有限公司` };
    const rec = (type: EventType, department: Department, fields: Record<string, unknown>): Submission => ({
      type,
      department,
      record: { eventId: `${run}-${type}-${n++}`, ...head, ...fields },
    });
    const headcount = 12 + (e % 20);
    yield rec('employer', 'hrss', { industryCode: e % 5 === 0 ? 'B0610' : 'C3011', headcount, asOf: '2026-09-30' });
    // Every seventh employer insures half of its workers: 未依法参保 / 参保不足.
    const enrolled = e % 7 === 0 ? Math.floor(headcount / 2) : headcount;
    for (let p = 0; p < enrolled; p++) {
      yield rec('enrollment', 'hrss', { personId: citizenId(e * 40 + p), action: 'ENROLL', effectiveDate: addDays('2025-01-01', (e + p) % 500), dustExposed: p % 3 === 0 });
    }
    if (e % 2 === 0) {
      const over = e % 6 === 0;
      yield rec('hazard', 'health', { factor: '矽尘', post: '破碎工', measured: over ? 2.4 : 0.5, limit: 1, unit: 'mg/m³', limitType: 'PC-TWA', sampledAt: addDays('2026-03-01', e % 200), exposedWorkers: 8 });
    }
    if (e % 5 === 0) {
      for (let k = 0; k < (e % 15 === 0 ? 3 : 1); k++) {
        yield rec('accident', 'emergency', {
          occurredAt: `${addDays('2026-02-01', (e + k * 20) % 250)}T10:00:00+08:00`, category: 3, categoryStandard: 'GB6441-1986', deaths: 0,
          seriousInjuries: 1, minorInjuries: 1, directLossYuan: 30000, summary: '清理堵料时发生机械伤害',
        });
      }
    }
    if (e % 11 === 0) {
      yield rec('injury', 'hrss', { personId: citizenId(e * 40 + 39), injuryDate: addDays('2026-04-01', e % 150), decision: 'RECOGNIZED', insuredAtInjury: false, decidedAt: addDays('2026-06-01', e % 150) });
    }
  }
}

/** Groups submissions by type (and the department that sends that type), in order. */
export function byType(subs: Iterable<Submission>): Map<EventType, { department: Department; records: Record<string, unknown>[] }> {
  const out = new Map<EventType, { department: Department; records: Record<string, unknown>[] }>();
  for (const s of subs) {
    const g = out.get(s.type) ?? { department: s.department, records: [] };
    g.records.push(s.record);
    out.set(s.type, g);
  }
  return out;
}

/** Types in the order the hub wants them (employers before facts about them). */
export const SUBMIT_ORDER: EventType[] = ['employer', 'enrollment', 'hazard', 'accident', 'injury'];

/** Enrollment rows as a CSV file of the contract's headers (the large upload the gateway is killed in). */
export function enrollmentCsv(run: string, rows: number, firstPerson: number): { csv: string; eventIds: string[] } {
  const header = '参保流水号,统一社会信用代码,单位名称,行政区划代码,身份证号,参保操作(参保/停保),生效日期,接尘岗位(是/否),项目编号';
  const lines = [header];
  const eventIds: string[] = [];
  for (let i = 0; i < rows; i++) {
    const e = 5_000 + (i % 400);
    const id = `${run}-csv-${i}`;
    eventIds.push(id);
    lines.push([id, benchUscc(e + 2_000_000), `宿迁故障演练第${e}建材有限公司`, '321302', citizenId(firstPerson + i), '参保', addDays('2025-06-01', i % 400), i % 3 === 0 ? '是' : '否', ''].join(','));
  }
  return { csv: lines.join('\n') + '\n', eventIds };
}
