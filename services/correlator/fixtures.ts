import { employerKey, usccCheckChar } from '../shared/identifiers';
import { EventType } from '../shared/contract';

/**
 * Test fixtures: a small population of employers with known patterns, as events exactly as the
 * gateway would publish them (department, employerKey, pseudonymised personId filled in).
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export function makeUscc(seed: string, region = '321302'): string {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  let body = '91' + region;
  for (let i = 0; i < 9; i++) {
    body += ALPHABET[h % 31];
    h = Math.imul(h ^ (i + 7), 2654435761) >>> 0;
  }
  return body + usccCheckChar(body);
}

export interface TypedEvent {
  type: EventType;
  value: Record<string, unknown>;
}

const INGESTED = '2026-11-20T02:00:00.000Z';

export function eventsFor(run: string, employers: number): TypedEvent[] {
  const out: TypedEvent[] = [];
  for (let i = 0; i < employers; i++) {
    const uscc = makeUscc(`${run}-${i}`);
    const name = `测试${run}第${i}建材有限公司`;
    const head = { regionCode: '321302', uscc, employerName: name, employerKey: uscc, source: 'API', ingestedAt: INGESTED };
    const id = (t: string, n = 0) => `${run}-${t}-${i}-${n}`;
    const pattern = i % 5;
    out.push({ type: 'employer', value: { ...head, eventId: id('emp'), department: 'hrss', industryCode: 'C3011', headcount: 20, asOf: '2026-11-01' } });
    const insured = pattern === 0 || pattern === 3 ? 20 : pattern === 1 ? 0 : 12;
    for (let p = 0; p < insured; p++) {
      out.push({
        type: 'enrollment',
        value: { ...head, eventId: id('enr', p), department: 'hrss', personId: `psn_${run}_${i}_${p}`, action: 'ENROLL', effectiveDate: '2026-11-02', dustExposed: p % 2 === 0, projectId: null },
      });
    }
    if (pattern === 0 || pattern === 1) {
      out.push({
        type: 'hazard',
        value: { ...head, eventId: id('haz'), department: 'health', factor: '水泥粉尘', post: '包装工', measured: 6 + (i % 3), limit: 4, unit: 'mg/m³', limitType: 'PC_TWA', sampledAt: '2026-11-10' },
      });
    }
    if (pattern === 2 || pattern === 3) {
      for (let a = 0; a < 3; a++) {
        out.push({
          type: 'accident',
          value: {
            ...head, eventId: id('acc', a), department: 'emergency', occurredAt: `2026-${String(4 + a * 3).padStart(2, '0')}-15T02:00:00.000Z`,
            category: 3, categoryStandard: 'GB6441_1986', deaths: 0, seriousInjuries: 1, minorInjuries: 0, directLossYuan: 50000, summary: '设备检修时发生机械伤害', projectId: null,
          },
        });
      }
    }
    if (pattern === 4) {
      // Name-only report from another department, with a form variant of the name.
      const variant = name.replace('有限公司', '有限责任公司');
      out.push({
        type: 'injury',
        value: {
          regionCode: '321302', uscc: null, employerName: variant, employerKey: employerKey(null, variant, '321302'), source: 'FILE', ingestedAt: INGESTED,
          eventId: id('inj'), department: 'hrss', personId: `psn_${run}_${i}_x`, injuryDate: '2026-11-05', decision: 'RECOGNIZED', insuredAtInjury: false, decidedAt: '2026-11-18',
        },
      });
    }
  }
  return out;
}
