import { EventType } from '../../services/shared/contract';
import { employerKey, pseudonymize } from '../../services/shared/identifiers';
import { DEV_PSEUDONYM_KEY } from '../../services/shared/config';
import { addDays } from '../../services/shared/time';
import { benchUscc, citizenId } from './records';

/**
 * A realistic mix of events as the gateway publishes them, over many employers: per employer a
 * register record and a roster of enrollments, and across the population hazard measurements
 * (some over the limit), accidents, injury decisions, diagnoses and projects.
 */
export interface MixEvent {
  type: EventType;
  key: string;
  value: Record<string, unknown>;
}

const INDUSTRIES = ['C3011', 'C3032', 'B0610', 'E4710', 'G5430', 'C2614', 'F5211', 'C3311'];

export function* eventMix(run: string, employers: number, offsetEmployers = 0): Generator<MixEvent> {
  const ingestedAt = new Date().toISOString();
  let n = 0;
  for (let e = offsetEmployers; e < offsetEmployers + employers; e++) {
    const uscc = benchUscc(e + 1_000_000);
    const name = `宿迁基准关联第${e}有限公司`;
    const head = { regionCode: '321302', uscc, employerName: name, employerKey: employerKey(uscc, name, '321302'), source: 'API', ingestedAt, revision: 1, firstIngestedAt: ingestedAt };
    const ev = (type: EventType, department: string, fields: Record<string, unknown>): MixEvent => ({ type, key: uscc, value: { ...head, eventId: `${run}-${type}-${n++}`, department, ...fields } });
    const industry = INDUSTRIES[e % INDUSTRIES.length];
    const headcount = 10 + (e % 25);
    yield ev('employer', 'hrss', { industryCode: industry, headcount, asOf: '2026-01-01' });
    const enrolled = e % 7 === 0 ? Math.floor(headcount / 2) : headcount - (e % 3);
    for (let p = 0; p < enrolled; p++) {
      yield ev('enrollment', 'hrss', { personId: pseudonymize(citizenId(e * 40 + p), DEV_PSEUDONYM_KEY), action: 'ENROLL', effectiveDate: addDays('2025-01-01', (e + p) % 500), dustExposed: p % 3 === 0, projectId: null });
    }
    if (e % 2 === 0) {
      const over = e % 10 === 0;
      yield ev('hazard', 'health', { factor: e % 4 === 0 ? '矽尘' : '噪声', post: '破碎', measured: over ? 2.5 : 0.6, limit: 1, unit: 'mg/m³', limitType: 'PC_TWA', sampledAt: addDays('2026-03-01', e % 200), exposedWorkers: 8 });
    }
    if (e % 9 === 0) {
      yield ev('accident', 'emergency', {
        occurredAt: `${addDays('2026-02-01', e % 250)}T02:00:00.000Z`, category: 1 + (e % 20), categoryStandard: 'GB6441_1986', deaths: e % 450 === 0 ? 1 : 0, seriousInjuries: 1, minorInjuries: 0, directLossYuan: 30_000, summary: '', projectId: null,
      });
    }
    if (e % 13 === 0) yield ev('injury', 'hrss', { personId: pseudonymize(citizenId(e * 40 + 39), DEV_PSEUDONYM_KEY), injuryDate: addDays('2026-04-01', e % 150), decision: 'RECOGNIZED', insuredAtInjury: e % 26 !== 0, decidedAt: addDays('2026-06-01', e % 150) });
    if (e % 50 === 0) yield ev('disease', 'health', { personId: pseudonymize(citizenId(e * 40 + 38), DEV_PSEUDONYM_KEY), category: 1, diseaseName: '矽肺壹期', diagnosedAt: addDays('2026-05-01', e % 150), exposureYears: 3 + (e % 10) });
    if (industry.startsWith('E') && e % 3 === 0) {
      yield ev('project', 'housing', { projectId: `${run}-XM-${e}`, projectName: `基准工程${e}`, startDate: '2026-03-01', contractValueYuan: 5_000_000, insuranceCertificate: e % 6 === 0 ? '' : 'SQGS-1' });
    }
  }
}
