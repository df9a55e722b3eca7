import { EmployerFacts, Fact, RuleId, evaluateEmployer, recommendationIdFor, alertIdFor, SectionRates } from './rules';
import { loadRegionConfig } from '../shared/regionConfig';

const region = loadRegionConfig({});
const ASOF = '2026-11-24T04:00:00.000Z';
let seq = 0;
const fact = (eventType: string, department: string, payload: Record<string, unknown>, eventTime: string): Fact => ({
  department,
  eventType,
  eventId: `${eventType}-${++seq}`,
  eventTime,
  payload,
});
const employer = (industryCode: string, headcount: number, asOf = '2026-11-01') =>
  fact('employer', 'hrss', { industryCode, headcount, asOf }, `${asOf}T00:00:00+08:00`);
const enroll = (personId: string, effectiveDate: string, action: 'ENROLL' | 'TERMINATE' = 'ENROLL', dustExposed = false) =>
  fact('enrollment', 'hrss', { personId, action, effectiveDate, dustExposed }, `${effectiveDate}T00:00:00+08:00`);
const staff = (n: number, from = '2026-11-01') => Array.from({ length: n }, (_, i) => enroll(`psn_${i}`, from));
const accident = (occurredAt: string, extra: Record<string, unknown> = {}) =>
  fact('accident', 'emergency', { occurredAt, category: 3, deaths: 0, seriousInjuries: 1, minorInjuries: 0, directLossYuan: 1000, summary: '', projectId: null, ...extra }, occurredAt);
const hazard = (sampledAt: string, measured: number, limit = 1, factor = '矽尘', post = '破碎工') =>
  fact('hazard', 'health', { factor, post, measured, limit, unit: 'mg/m³', limitType: 'PC_TWA', sampledAt }, `${sampledAt}T00:00:00+08:00`);
const disease = (diagnosedAt: string, category: number, exposureYears: number) =>
  fact('disease', 'health', { personId: 'psn_x', category, diseaseName: '矽肺壹期', diagnosedAt, exposureYears }, `${diagnosedAt}T00:00:00+08:00`);
const injury = (injuryDate: string, insuredAtInjury: boolean, personId = 'psn_inj') =>
  fact('injury', 'hrss', { personId, injuryDate, decision: 'RECOGNIZED', insuredAtInjury, decidedAt: injuryDate }, `${injuryDate}T00:00:00+08:00`);
const project = (projectId: string, insuranceCertificate: string | null, department = 'housing') =>
  fact('project', department, { projectId, projectName: `项目${projectId}`, startDate: '2026-03-01', contractValueYuan: 1e7, insuranceCertificate }, '2026-03-01T00:00:00+08:00');
const rectification = (recommendationId: string, result: 'PASSED' | 'FAILED', verifiedAt: string) =>
  fact('rectification', 'health', { recommendationId, result, verifiedAt, note: '' }, `${verifiedAt}T00:00:00+08:00`);

const firm = (facts: Fact[], industryCode: string | null = 'C3011'): EmployerFacts => ({
  employerKey: '91321302MA1XYW001J',
  uscc: '91321302MA1XYW001J',
  name: '宿迁示例建材有限公司',
  regionCode: '321302',
  industryCode,
  facts,
});
const rulesOf = (facts: Fact[], opts: { sectionRates?: SectionRates; industryCode?: string | null } = {}) =>
  evaluateEmployer(firm(facts, opts.industryCode ?? 'C3011'), { region, asOf: ASOF, sectionRates: opts.sectionRates }).map((h) => h.rule).sort();
const hit = (facts: Fact[], rule: RuleId) => evaluateEmployer(firm(facts), { region, asOf: ASOF }).find((h) => h.rule === rule);

describe('HAZARD_EXCEEDED', () => {
  test('a measurement above its limit flags the employer and asks health for rectification within 30 days', () => {
    const h = hit([employer('C3011', 10), ...staff(10), hazard('2026-11-01', 2.4, 0.7)], 'HAZARD_EXCEEDED')!;
    expect(h).toBeDefined();
    expect(h.routedTo).toEqual(['health']);
    expect(h.recommendation).toMatchObject({ kind: 'RECTIFY', departments: ['health'], issuedAt: '2026-11-01', deadline: '2026-12-01' });
    expect(h.explanation).toContain('矽尘');
    expect(h.explanation).toContain('2.4');
    expect(h.severity).toBe('CRITICAL'); // 3.4 × the limit
  });
  test('a measurement exactly at its limit is not an exceedance', () => {
    expect(rulesOf([employer('C3011', 10), ...staff(10), hazard('2026-11-01', 0.7, 0.7)])).toEqual([]);
  });
  test('a passed re-check of its recommendation closes it', () => {
    const ex = hazard('2026-11-01', 2, 1);
    const rec = recommendationIdFor(alertIdFor('91321302MA1XYW001J', 'HAZARD_EXCEEDED', '2026-11-01'));
    expect(rulesOf([employer('C3011', 10), ...staff(10), ex, rectification(rec, 'PASSED', '2026-11-20')])).toEqual([]);
  });
  test('a within-limit re-measurement of the same post cures it', () => {
    expect(rulesOf([employer('C3011', 10), ...staff(10), hazard('2026-10-01', 2, 1), hazard('2026-10-20', 0.5, 1)])).toEqual([]);
  });
});

test('a condition that started long ago gets its deadline from the day the hub learned of it', () => {
  const old = { ...hazard('2026-03-01', 2, 1), payload: { ...hazard('2026-03-01', 2, 1).payload, ingestedAt: '2026-11-20T02:00:00.000Z' } };
  const h = hit([employer('C3011', 10), ...staff(10), old], 'HAZARD_EXCEEDED')!;
  expect(h.openedAt).toBe('2026-03-01');
  expect(h.recommendation).toMatchObject({ issuedAt: '2026-11-20', deadline: '2026-12-20' });
  expect(hit([employer('C3011', 10), ...staff(10), old], 'OVERDUE')).toBeUndefined();
});

describe('ACCIDENT_PRONE', () => {
  const base = [employer('C3011', 100), ...staff(100)];
  test('exactly 3 accidents within 365 days flag the employer for emergency monitoring', () => {
    const h = evaluateEmployer(firm([...base, accident('2025-12-01T02:00:00Z'), accident('2026-05-01T02:00:00Z'), accident('2026-11-01T02:00:00Z')]), { region, asOf: ASOF }).find(
      (x) => x.rule === 'ACCIDENT_PRONE',
    )!;
    expect(h).toBeDefined();
    expect(h.openedAt).toBe('2026-11-01T02:00:00Z'); // when the third accident made it true
    expect(h.routedTo).toEqual(['emergency']);
    expect(h.evidence).toHaveLength(3);
  });
  test('2 accidents in a year are not enough', () => {
    expect(rulesOf([...base, accident('2026-05-01T02:00:00Z'), accident('2026-11-01T02:00:00Z')])).toEqual([]);
  });
  test('3 accidents spread over more than 365 days are not a pattern', () => {
    expect(rulesOf([...base, accident('2025-01-01T02:00:00Z'), accident('2025-06-01T02:00:00Z'), accident('2026-11-01T02:00:00Z')])).toEqual([]);
  });
  test('a single accident with a death is enough (and is a typical accident)', () => {
    expect(rulesOf([...base, accident('2026-11-01T02:00:00Z', { deaths: 1 })])).toEqual(['ACCIDENT_PRONE', 'TYPICAL_ACCIDENT']);
  });
  const rates: SectionRates = { C: { accidents: 100, insuredWorkers: 10_000 } }; // 1 per 100 workers
  test('a three-person firm with one accident does not outrank its industry by rate', () => {
    expect(rulesOf([employer('C3011', 3), ...staff(3), accident('2026-11-01T02:00:00Z')], { sectionRates: rates })).toEqual([]);
  });
  test('a firm whose smoothed accident rate is twice its section average is flagged', () => {
    // 50 insured, 2 accidents: (2 + 100 × 0.01) / (50 + 100) = 0.02 = 2 × 0.01.
    expect(rulesOf([employer('C3011', 50), ...staff(50), accident('2026-06-01T02:00:00Z'), accident('2026-11-01T02:00:00Z')], { sectionRates: rates })).toEqual(['ACCIDENT_PRONE']);
  });
  test('a large firm with two accidents stays below twice the average', () => {
    expect(rulesOf([employer('C3011', 1000), ...staff(1000), accident('2026-06-01T02:00:00Z'), accident('2026-11-01T02:00:00Z')], { sectionRates: rates })).toEqual([]);
  });
});

describe('UNINSURED', () => {
  test('an accident at an employer with nobody enrolled on that date flags it for hrss', () => {
    const h = hit([accident('2026-10-01T02:00:00Z')], 'UNINSURED')!;
    expect(h).toBeDefined();
    expect(h.routedTo).toEqual(['hrss']);
    expect(h.recommendation?.kind).toBe('EXPAND_COVERAGE');
  });
  test('enrollment that covers the accident date, even if reported later, means it is not uninsured', () => {
    expect(rulesOf([accident('2026-10-01T02:00:00Z'), enroll('psn_1', '2026-01-01')], { industryCode: 'F5211' })).toEqual([]);
  });
  test('enrollment restored after the accident closes it', () => {
    expect(rulesOf([accident('2026-10-01T02:00:00Z'), enroll('psn_1', '2026-11-01')], { industryCode: 'F5211' })).toEqual([]);
  });
  test('an injury recorded as uninsured flags the employer even when others are enrolled', () => {
    expect(rulesOf([enroll('psn_1', '2026-01-01'), injury('2026-11-01', false)], { industryCode: 'F5211' })).toEqual(['UNINSURED']);
  });
  test('all workers terminated is workers in evidence with nobody insured', () => {
    expect(rulesOf([enroll('psn_1', '2026-01-01'), enroll('psn_1', '2026-11-01', 'TERMINATE')], { industryCode: 'F5211' })).toEqual(['UNINSURED']);
  });
});

describe('UNDER_INSURED', () => {
  test('89 of 100 workers enrolled in a key industry is under-insured', () => {
    expect(rulesOf([employer('C3011', 100), ...staff(89)])).toEqual(['UNDER_INSURED']);
  });
  test('exactly 90% coverage meets the requirement', () => {
    expect(rulesOf([employer('C3011', 100), ...staff(90)])).toEqual([]);
  });
  test('outside the key industries coverage is not judged', () => {
    expect(rulesOf([employer('F5211', 100), ...staff(10)], { industryCode: 'F5211' })).toEqual([]);
  });
});

describe('PRIORITY', () => {
  test('nobody insured at a dusty firm with workers in evidence is UNINSURED and UNDER_INSURED, and PRIORITY', () => {
    const facts = [employer('C3011', 30), hazard('2026-11-01', 3, 1), accident('2026-11-05T02:00:00Z')];
    expect(rulesOf(facts)).toEqual(['HAZARD_EXCEEDED', 'PRIORITY', 'UNDER_INSURED', 'UNINSURED']);
    expect(hit(facts, 'PRIORITY')!.explanation).toContain('未依法参保');
  });
  test('hazard exceeded and uninsured at once is PRIORITY with a joint recommendation', () => {
    const facts = [employer('C3011', 100), ...staff(50), hazard('2026-11-01', 3, 1)];
    const h = hit(facts, 'PRIORITY')!;
    expect(rulesOf(facts)).toEqual(['HAZARD_EXCEEDED', 'PRIORITY', 'UNDER_INSURED']);
    expect(h.recommendation).toMatchObject({ kind: 'JOINT', departments: ['hrss', 'health'] });
    expect(h.score).toBeGreaterThan(100);
  });
  test('hazard exceeded but fully insured is not PRIORITY', () => {
    expect(rulesOf([employer('C3011', 100), ...staff(100), hazard('2026-11-01', 3, 1)])).toEqual(['HAZARD_EXCEEDED']);
  });
  test('uninsured but not dangerous is not PRIORITY', () => {
    expect(rulesOf([employer('C3011', 100), ...staff(10)])).toEqual(['UNDER_INSURED']);
  });
});

describe('PROJECT_UNINSURED', () => {
  test('a project without an insurance certificate asks housing to supervise', () => {
    const h = evaluateEmployer(firm([project('P1', null)], 'E4710'), { region, asOf: ASOF }).find((x) => x.rule === 'PROJECT_UNINSURED')!;
    expect(h.severity).toBe('MEDIUM');
    expect(h.routedTo).toEqual(['housing']);
  });
  test('an accident on such a project escalates it', () => {
    const facts = [project('P1', null, 'transport'), accident('2026-10-01T02:00:00Z', { projectId: 'P1' }), enroll('psn_1', '2026-01-01')];
    const h = evaluateEmployer(firm(facts, 'E4810'), { region, asOf: ASOF }).find((x) => x.rule === 'PROJECT_UNINSURED')!;
    expect(h.severity).toBe('HIGH');
    expect(h.routedTo).toEqual(['transport']);
    expect(h.evidence.map((e) => e.eventType).sort()).toEqual(['accident', 'project']);
  });
  test('a later record with the certificate ends it', () => {
    expect(rulesOf([project('P1', null), project('P1', 'CERT-1')], { industryCode: 'F5211' })).toEqual([]);
  });
});

describe('EARLY_PNEUMOCONIOSIS', () => {
  test('pneumoconiosis after 4.5 years of exposure alerts health', () => {
    expect(rulesOf([enroll('psn_1', '2020-01-01'), disease('2026-06-01', 1, 4.5)], { industryCode: 'F5211' })).toEqual(['EARLY_PNEUMOCONIOSIS']);
  });
  test('exactly 5 years is not early', () => {
    expect(rulesOf([enroll('psn_1', '2020-01-01'), disease('2026-06-01', 1, 5)], { industryCode: 'F5211' })).toEqual([]);
  });
  test('another disease category is not pneumoconiosis', () => {
    expect(rulesOf([enroll('psn_1', '2020-01-01'), disease('2026-06-01', 2, 1)], { industryCode: 'F5211' })).toEqual([]);
  });
});

describe('OVERDUE', () => {
  const base = [employer('C3011', 10), ...staff(10)];
  const recOf = (opened: string) => recommendationIdFor(alertIdFor('91321302MA1XYW001J', 'HAZARD_EXCEEDED', opened));
  test('a recommendation past its deadline without a passed re-check escalates', () => {
    const h = hit([...base, hazard('2026-09-01', 2, 1)], 'OVERDUE')!;
    expect(h).toBeDefined();
    expect(h.recommendation).toMatchObject({ kind: 'ESCALATE', deadline: null });
    expect(h.explanation).toContain('逾期');
  });
  test('a failed re-check after the deadline escalates and says so', () => {
    const h = hit([...base, hazard('2026-09-01', 2, 1), rectification(recOf('2026-09-01'), 'FAILED', '2026-10-05')], 'OVERDUE')!;
    expect(h.explanation).toContain('复查不合格');
  });
  test('a passed re-check within the deadline ends both the alert and the escalation', () => {
    expect(rulesOf([...base, hazard('2026-09-01', 2, 1), rectification(recOf('2026-09-01'), 'PASSED', '2026-09-20')])).toEqual([]);
  });
  test('a new exceedance of the same factor after the deadline escalates', () => {
    const h = hit([...base, hazard('2026-09-01', 2, 1), hazard('2026-10-15', 3, 1, '矽尘', '包装工')], 'OVERDUE')!;
    expect(h.explanation).toContain('再次检测超标');
  });
  test('a recommendation still within its deadline is not overdue', () => {
    expect(rulesOf([...base, hazard('2026-11-10', 2, 1)])).toEqual(['HAZARD_EXCEEDED']);
  });
});

describe('TYPICAL_ACCIDENT', () => {
  const base = [employer('C3011', 10), ...staff(10)];
  test('10 serious injuries make a 较大 accident worth a circular even without deaths', () => {
    expect(rulesOf([...base, accident('2026-10-01T02:00:00Z', { seriousInjuries: 10 })])).toEqual(['TYPICAL_ACCIDENT']);
  });
  test('an ordinary accident is not typical', () => {
    expect(rulesOf([...base, accident('2026-10-01T02:00:00Z')])).toEqual([]);
  });
});

test('the same facts in any order give the same alerts', () => {
  const facts = [
    employer('C3011', 100),
    ...staff(40),
    hazard('2026-09-01', 2, 1),
    accident('2026-01-01T02:00:00Z'),
    accident('2026-05-01T02:00:00Z'),
    accident('2026-10-01T02:00:00Z', { deaths: 1 }),
    injury('2026-10-01', false),
    project('P9', null),
    disease('2026-08-01', 1, 3),
  ];
  const a = evaluateEmployer(firm(facts), { region, asOf: ASOF });
  const shuffled = [...facts].reverse();
  shuffled.push(shuffled.shift()!);
  const b = evaluateEmployer(firm(shuffled), { region, asOf: ASOF });
  expect(b).toEqual(a);
  expect(a.map((h) => h.rule).sort()).toEqual(
    ['ACCIDENT_PRONE', 'EARLY_PNEUMOCONIOSIS', 'HAZARD_EXCEEDED', 'OVERDUE', 'PRIORITY', 'PROJECT_UNINSURED', 'TYPICAL_ACCIDENT', 'UNDER_INSURED', 'UNINSURED'].sort(),
  );
});
