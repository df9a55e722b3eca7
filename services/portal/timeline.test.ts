import { citizenIdCheckChar } from '../shared/identifiers';
import { summarizeFact } from './timeline';
import { REDACTED, redactPersonalData, redactText } from '../shared/privacy';

const CLEAR_ID = '11010119900307123' + citizenIdCheckChar('11010119900307123');

describe('the Chinese line of each timeline entry', () => {
  test('an accident reads as its category and casualties', () => {
    expect(summarizeFact('accident', { category: 3, deaths: 0, seriousInjuries: 1, minorInjuries: 0, directLossYuan: 0, summary: '无关' })).toBe('事故：机械伤害，重伤 1 人');
    expect(summarizeFact('accident', { category: 9, deaths: 1, seriousInjuries: 0, minorInjuries: 2, directLossYuan: 1_250_000 })).toBe(
      '事故：高处坠落，死亡 1 人、轻伤 2 人，直接经济损失 125 万元',
    );
  });

  test('a hazard measurement says whether and how far it exceeds the limit', () => {
    const line = summarizeFact('hazard', { factor: '矽尘', post: '破碎', measured: 2.6, limit: 1, unit: 'mg/m³', limitType: 'PC_TWA' });
    expect(line).toBe('危害因素检测：矽尘（岗位 破碎），检测值 2.6 mg/m³，限值 1 mg/m³（PC-TWA），超标 2.6 倍');
    expect(summarizeFact('hazard', { factor: '噪声', post: '冲压', measured: 80, limit: 85, unit: 'dB(A)', limitType: 'LEQ_8H' })).toMatch(/8h-Leq）.*未超标$/);
  });

  test('events about a person never mention the person', () => {
    for (const [type, p] of [
      ['enrollment', { personId: 'psn_x1', action: 'ENROLL', effectiveDate: '2026-01-01', dustExposed: true }],
      ['injury', { personId: CLEAR_ID, decision: 'RECOGNIZED', insuredAtInjury: false, decidedAt: '2026-03-01' }],
      ['disease', { personId: 'psn_x2', category: 1, diseaseName: '矽肺', exposureYears: 3 }],
    ] as const) {
      const line = summarizeFact(type, p);
      expect(line).not.toMatch(/psn_|\d{17}/);
    }
    expect(summarizeFact('injury', { personId: 'psn_x', decision: 'RECOGNIZED', insuredAtInjury: false, decidedAt: '2026-03-01' })).toBe('工伤认定：认定为工伤，受伤时未参保（认定日期 2026-03-01）');
  });
});

describe('the personal-data filter on every response', () => {
  test('blanks valid citizen IDs and pseudonyms, keeps USCCs and other numbers', () => {
    expect(redactText(`身份证 ${CLEAR_ID}，编号 psn_abc-123`)).toBe(`身份证 ${REDACTED}，编号 ${REDACTED}`);
    expect(redactText('91321302MA1P7K9X3Q 与 123456789012345678')).toBe('91321302MA1P7K9X3Q 与 123456789012345678');
  });

  test('walks nested objects and drops personId fields', () => {
    expect(redactPersonalData({ a: [{ personId: 'psn_1', note: CLEAR_ID }], n: 3, d: null })).toEqual({ a: [{ note: REDACTED }], n: 3, d: null });
  });
});
