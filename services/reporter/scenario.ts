import { Knex } from 'knex';

/**
 * A known correlator state for the reporter's tests, inserted directly into the tables:
 * weeks 2026-W46 (ends 2026-11-15T16:00Z) and 2026-W47 (ends 2026-11-22T16:00Z).
 *
 *  A 宿迁甲建材  PRIORITY 90 + HAZARD_EXCEEDED 70 + UNDER_INSURED 60 → 103.0, listed since W45
 *  B 沭阳乙物流  ACCIDENT_PRONE 95 → 95.0 (higher score than C, but not PRIORITY)
 *  C 宿豫丙矿业  PRIORITY 80 + ACCIDENT_PRONE 75 + UNINSURED 50 → 92.5
 *  D 泗洪丁建筑  PROJECT_UNINSURED 40, opened during W47 → NEW in W47
 *  E 宿城戊石材  HAZARD_EXCEEDED, rectification PASSED during W47 → removed (整改复查合格)
 *  F 泗阳己纺织  UNINSURED, condition ended during W47 → removed (条件消除)
 *  G 宿城庚化工  an alert SUPERSEDED (hidden) and one CLOSED before W46: never listed
 */
export const SCENARIO = {
  A: { key: '91321302MA1AAAAA1A', name: '宿迁甲建材有限公司', region: '321302', industry: 'C3011' },
  B: { key: '91321322MA1BBBBB1B', name: '沭阳乙物流有限公司', region: '321322', industry: 'G5430' },
  C: { key: '91321311MA1CCCCC1C', name: '宿豫丙矿业有限公司', region: '321311', industry: 'B1011' },
  D: { key: '91321324MA1DDDDD1D', name: '泗洪丁建筑工程有限公司', region: '321324', industry: 'E4710' },
  E: { key: '91321302MA1EEEEE1E', name: '宿城戊石材加工有限公司', region: '321302', industry: 'C3032' },
  F: { key: '91321323MA1FFFFF1F', name: '泗阳己纺织有限公司', region: '321323', industry: 'C1711' },
  G: { key: '91321302MA1GGGGG1G', name: '宿城庚化工有限公司', region: '321302', industry: 'C2614' },
} as const;

type Key = keyof typeof SCENARIO;

export async function loadScenario(db: Knex): Promise<void> {
  for (const [, e] of Object.entries(SCENARIO)) {
    await db('employer').insert({
      employer_key: e.key,
      uscc: e.key,
      name: e.name,
      normalized_name: e.name,
      region_code: e.region,
      industry_code: e.industry,
      headcount: 100,
      headcount_as_of: '2026-09-30',
    });
    await db('employer_alias').insert({ raw_key: e.key, canonical_key: e.key, confidence: 1, method: 'SELF' });
  }
  // A name-only raw key of A, linked to its canonical key: its facts count for A.
  await db('employer_alias').insert({ raw_key: 'N:321302:宿迁甲建材', canonical_key: SCENARIO.A.key, confidence: 0.95, method: 'NAME_NORMALISED' });

  const alert = (id: string, k: Key, rule: string, score: number, openedAt: string, extra: Record<string, unknown> = {}) => ({
    alert_id: id,
    employer_key: SCENARIO[k].key,
    rule,
    status: 'OPEN',
    close_reason: null,
    severity: 'HIGH',
    score,
    explanation: `${SCENARIO[k].name}触发${rule}`,
    evidence: JSON.stringify([]),
    routed_to: rule === 'PRIORITY' ? ['hrss', 'health'] : rule === 'ACCIDENT_PRONE' ? ['emergency'] : rule === 'PROJECT_UNINSURED' ? ['housing'] : rule === 'HAZARD_EXCEEDED' ? ['health'] : ['hrss'],
    opened_at: openedAt,
    updated_at: openedAt,
    closed_at: null,
    ...extra,
  });
  await db('alert').insert([
    alert('ALT-A-PRI', 'A', 'PRIORITY', 90, '2026-11-05T02:00:00Z'),
    alert('ALT-A-HAZ', 'A', 'HAZARD_EXCEEDED', 70, '2026-11-05T02:00:00Z'),
    alert('ALT-A-UND', 'A', 'UNDER_INSURED', 60, '2026-11-01T02:00:00Z'),
    alert('ALT-B-ACC', 'B', 'ACCIDENT_PRONE', 95, '2026-11-10T02:00:00Z'),
    alert('ALT-C-PRI', 'C', 'PRIORITY', 80, '2026-11-12T02:00:00Z'),
    alert('ALT-C-ACC', 'C', 'ACCIDENT_PRONE', 75, '2026-11-12T02:00:00Z'),
    alert('ALT-C-UNI', 'C', 'UNINSURED', 50, '2026-11-12T02:00:00Z'),
    alert('ALT-D-PRJ', 'D', 'PROJECT_UNINSURED', 40, '2026-11-18T02:00:00Z'),
    alert('ALT-E-HAZ', 'E', 'HAZARD_EXCEEDED', 65, '2026-10-20T02:00:00Z', { status: 'CLOSED', close_reason: 'CONDITION_ENDED', closed_at: '2026-11-19T02:00:00Z' }),
    alert('ALT-F-UNI', 'F', 'UNINSURED', 55, '2026-10-25T02:00:00Z', { status: 'CLOSED', close_reason: 'CONDITION_ENDED', closed_at: '2026-11-20T02:00:00Z' }),
    alert('ALT-G-SUP', 'G', 'HAZARD_EXCEEDED', 99, '2026-10-01T02:00:00Z', { status: 'CLOSED', close_reason: 'SUPERSEDED', closed_at: '2026-11-21T02:00:00Z' }),
    alert('ALT-G-OLD', 'G', 'UNINSURED', 50, '2026-09-01T02:00:00Z', { status: 'CLOSED', close_reason: 'CONDITION_ENDED', closed_at: '2026-10-01T02:00:00Z' }),
  ]);

  const rec = (id: string, alertId: string, k: Key, rule: string, kind: string, departments: string[], issuedAt: string, deadline: string | null, status: string) => ({
    recommendation_id: id,
    alert_id: alertId,
    employer_key: SCENARIO[k].key,
    rule,
    kind,
    departments,
    issued_at: issuedAt,
    deadline,
    status,
    text: `请${SCENARIO[k].name}限期整改`,
  });
  await db('recommendation').insert([
    rec('REC-A-PRI', 'ALT-A-PRI', 'A', 'PRIORITY', 'JOINT', ['health', 'hrss'], '2026-11-05', '2026-12-05', 'OPEN'),
    rec('REC-B-ACC', 'ALT-B-ACC', 'B', 'ACCIDENT_PRONE', 'MONITOR', ['emergency'], '2026-11-10', '2026-12-10', 'OPEN'),
    rec('REC-E-HAZ', 'ALT-E-HAZ', 'E', 'HAZARD_EXCEEDED', 'RECTIFY', ['health'], '2026-10-20', '2026-11-19', 'RECTIFIED'),
    rec('REC-F-UNI', 'ALT-F-UNI', 'F', 'UNINSURED', 'EXPAND_COVERAGE', ['hrss'], '2026-10-25', '2026-11-24', 'WITHDRAWN'),
  ]);

  let n = 0;
  const fact = (k: Key | string, department: string, type: string, time: string, payload: Record<string, unknown>) => ({
    department,
    event_type: type,
    event_id: `EV-${++n}`,
    raw_key: k in SCENARIO ? SCENARIO[k as Key].key : k,
    event_time: time,
    payload: JSON.stringify(payload),
  });
  await db('fact').insert([
    // A: two exceedances (the worst 2.4/0.7), one old one outside the year; 3 enrolled, 1 left → 2
    fact('A', 'health', 'hazard', '2026-08-15T00:00:00+08:00', { factor: '矽尘', measured: 2.4, limit: 0.7, unit: 'mg/m³' }),
    fact('N:321302:宿迁甲建材', 'health', 'hazard', '2026-10-01T00:00:00+08:00', { factor: '噪声', measured: 90, limit: 85, unit: 'dB(A)' }),
    fact('A', 'health', 'hazard', '2026-09-01T00:00:00+08:00', { factor: '矽尘', measured: 0.5, limit: 0.7, unit: 'mg/m³' }),
    fact('A', 'health', 'hazard', '2025-06-01T00:00:00+08:00', { factor: '矽尘', measured: 9, limit: 0.7, unit: 'mg/m³' }),
    fact('A', 'hrss', 'enrollment', '2026-01-01T00:00:00+08:00', { personId: 'psn_1', action: 'ENROLL', effectiveDate: '2026-01-01' }),
    fact('A', 'hrss', 'enrollment', '2026-01-01T00:00:00+08:00', { personId: 'psn_2', action: 'ENROLL', effectiveDate: '2026-01-01' }),
    fact('A', 'hrss', 'enrollment', '2026-02-01T00:00:00+08:00', { personId: 'psn_3', action: 'ENROLL', effectiveDate: '2026-02-01' }),
    fact('A', 'hrss', 'enrollment', '2026-06-01T00:00:00+08:00', { personId: 'psn_3', action: 'TERMINATE', effectiveDate: '2026-06-01' }),
    fact('A', 'hrss', 'enrollment', '2026-12-01T00:00:00+08:00', { personId: 'psn_4', action: 'ENROLL', effectiveDate: '2026-12-01' }),
    fact('A', 'health', 'disease', '2026-06-03T00:00:00+08:00', { personId: 'psn_1', category: 1, exposureYears: 4.5 }),
    // B: three accidents in the year (one death), one more two years ago
    fact('B', 'emergency', 'accident', '2026-03-01T01:00:00Z', { deaths: 0, category: 6 }),
    fact('B', 'emergency', 'accident', '2026-07-01T01:00:00Z', { deaths: 1, category: 6 }),
    fact('B', 'emergency', 'accident', '2026-11-09T20:00:00Z', { deaths: 0, category: 6 }), // 11-10 in Shanghai
    fact('B', 'emergency', 'accident', '2024-07-01T01:00:00Z', { deaths: 2, category: 6 }),
    // C: an injury without insurance
    fact('C', 'hrss', 'injury', '2026-10-12T00:00:00+08:00', { personId: 'psn_9', insuredAtInjury: false }),
    fact('C', 'emergency', 'accident', '2026-10-12T01:00:00Z', { deaths: 1, category: 4 }),
    // D: two projects, one later got its certificate
    fact('D', 'housing', 'project', '2026-03-01T00:00:00+08:00', { projectId: 'P1', insuranceCertificate: null }),
    fact('D', 'housing', 'project', '2026-04-01T00:00:00+08:00', { projectId: 'P2', insuranceCertificate: null }),
    fact('D', 'housing', 'project', '2026-05-01T00:00:00+08:00', { projectId: 'P2', insuranceCertificate: 'CERT-2' }),
  ]);
}
