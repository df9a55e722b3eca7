import { EventType } from './contract';

/**
 * One valid event of every contract type, as it travels on its topic (after the gateway:
 * department, employerKey and pseudonymised personId filled in). Used by the demo and tests.
 */
export function sampleEvents(suffix = 'sample'): Record<EventType, Record<string, unknown>> {
  const employer = {
    regionCode: '321302',
    uscc: '91321302MA1XYW001J',
    employerName: '宿迁示例建材有限公司',
    employerKey: '91321302MA1XYW001J',
    source: 'API',
    ingestedAt: '2026-11-20T02:00:00.000Z',
    revision: 1,
    firstIngestedAt: '2026-11-20T02:00:00.000Z',
  };
  const person = 'psn_sampleSamplesampleSampleSample';
  return {
    employer: { ...employer, eventId: `EMP-${suffix}`, department: 'hrss', industryCode: 'C3011', headcount: 120, asOf: '2026-09-30' },
    enrollment: {
      ...employer, eventId: `ENR-${suffix}`, department: 'hrss', personId: person, personIdPrevious: null, action: 'ENROLL',
      effectiveDate: '2026-01-01', dustExposed: true, projectId: null,
    },
    accident: {
      ...employer, eventId: `ACC-${suffix}`, department: 'emergency', occurredAt: '2026-10-12T01:30:00.000Z', category: 3,
      categoryStandard: 'GB6441_1986', deaths: 0, seriousInjuries: 1, minorInjuries: 2, directLossYuan: 182000.5,
      summary: '破碎车间清理堵料时发生机械伤害', projectId: null,
    },
    hazard: {
      ...employer, eventId: `HAZ-${suffix}`, department: 'health', factor: '矽尘', post: '破碎工', measured: 2.4, limit: 0.7,
      unit: 'mg/m³', limitType: 'PC_TWA', sampledAt: '2026-08-15', exposedWorkers: 12,
    },
    disease: {
      ...employer, eventId: `DIS-${suffix}`, department: 'health', personId: person, personIdPrevious: null, category: 1, diseaseName: '矽肺壹期',
      diagnosedAt: '2026-06-03', exposureYears: 4.5,
    },
    injury: {
      ...employer, eventId: `INJ-${suffix}`, department: 'hrss', personId: person, personIdPrevious: null, injuryDate: '2026-10-12',
      decision: 'RECOGNIZED', insuredAtInjury: false, decidedAt: '2026-11-02',
    },
    project: {
      ...employer, eventId: `PRJ-${suffix}`, department: 'housing', projectId: 'SQ-2026-0088', projectName: '宿城区安置房二期',
      startDate: '2026-03-01', contractValueYuan: 56000000, insuranceCertificate: null,
    },
    rectification: {
      ...employer, eventId: `REC-${suffix}`, department: 'health', recommendationId: 'WHP-REC-2026-000001', result: 'PASSED',
      verifiedAt: '2026-11-10', note: '除尘设施已改造，复测合格',
    },
    contribution: {
      ...employer, eventId: `CON-${suffix}`, department: 'hrss', period: '2025-Q3', payrollYuan: 1860000, paidYuan: 13020,
      rateClass: 6, rate: 0.007,
    },
    benefit: {
      ...employer, eventId: `BEN-${suffix}`, department: 'hrss', personId: person, personIdPrevious: null, paidAt: '2026-11-05', amountYuan: 23560.5, kind: 'DISABILITY',
    },
    training: {
      ...employer, eventId: `TRN-${suffix}`, department: 'emergency', courseName: '粉尘防爆与有限空间作业安全培训', heldAt: '2026-09-18',
      trainees: 46, keyPostTrainees: 12, keyPostTotal: 15,
    },
    inspection: {
      ...employer, eventId: `INS-${suffix}`, department: 'emergency', inspectedAt: '2026-10-21', origin: 'FOLLOW_UP', finding: 'HAZARD_FOUND',
      note: '破碎车间除尘设施未正常运行',
    },
  };
}
