import { RiskList } from '../shared/documents';
import { monthlyCurve } from './employerFacts';
import { expectedFeeds, quarterStart, rejectionRate } from './feedHealth';
import { coverageOf, fallingEveryYear, ratePer100 } from './planTargets';
import { parseRecheck, recheckEventId } from './recheck';
import { filterRiskList } from './riskListView';

const row = (rank: number, name: string, uscc: string, region: string, industry: string, rules: string[], change: 'NEW' | 'STILL_LISTED') => ({
  rank, employerKey: uscc, uscc, employerName: name, regionCode: region, districtName: region, industryCode: industry, industrySection: industry[0],
  rules, ruleLabels: rules, score: 90 - rank, priority: rules.includes('PRIORITY'), change, changeLabel: change,
  evidence: { accidents365d: 1, coverage: 0.5 }, openRecommendations: [],
});
const list = {
  week: '2026-W47', rows: [
    row(1, '宿迁甲建材有限公司', '91321302MA1AAAAA1A', '321302', 'C3011', ['PRIORITY', 'HAZARD_EXCEEDED'], 'STILL_LISTED'),
    row(2, '沭阳乙物流有限公司', '91321322MA1BBBBB1B', '321322', 'G5430', ['ACCIDENT_PRONE'], 'NEW'),
    row(3, '宿豫丙矿业有限公司', '91321311MA1CCCCC1C', '321311', 'B1011', ['PRIORITY'], 'NEW'),
  ],
  removed: [{ employerKey: 'X', uscc: '91321302MA1EEEEE1E', employerName: '宿城戊石材', regionCode: '321302', reason: '整改复查合格' }],
  byIndustry: [],
} as unknown as RiskList;

describe('risk list view', () => {
  const all = { limit: 100, offset: 0 };
  test('filters by district, industry prefix, rule, change and text', () => {
    expect(filterRiskList(list, { ...all, district: '321302' }).rows.map((r) => r.rank)).toEqual([1]);
    expect(filterRiskList(list, { ...all, industry: 'C30' }).rows.map((r) => r.rank)).toEqual([1]);
    expect(filterRiskList(list, { ...all, rule: 'PRIORITY' }).rows.map((r) => r.rank)).toEqual([1, 3]);
    expect(filterRiskList(list, { ...all, change: 'NEW' }).rows.map((r) => r.rank)).toEqual([2, 3]);
    expect(filterRiskList(list, { ...all, q: '物流' }).rows.map((r) => r.rank)).toEqual([2]);
    expect(filterRiskList(list, { ...all, q: 'ma1cccc' }).rows.map((r) => r.rank)).toEqual([3]);
  });
  test('removed rows carry their reason; pages cut the filtered rows', () => {
    const removed = filterRiskList(list, { ...all, change: 'REMOVED' }, { '321302': '宿城区' });
    expect(removed.rows[0]).toMatchObject({ employerName: '宿城戊石材', removedReason: '整改复查合格', districtName: '宿城区' });
    const page = filterRiskList(list, { limit: 1, offset: 1 });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.rank)).toEqual([2]);
  });
});

test('enrolment curve carries the count over months without change', () => {
  expect(monthlyCurve([{ month: '2026-03', delta: -1 }, { month: '2026-01', delta: 3 }], '2026-04')).toEqual([
    { month: '2026-01', insured: 3 }, { month: '2026-02', insured: 3 }, { month: '2026-03', insured: 2 }, { month: '2026-04', insured: 2 },
  ]);
  expect(monthlyCurve([])).toEqual([]);
});

test('feed figures', () => {
  expect(rejectionRate({ accepted: 90, duplicates: 5, rejected: 5 })).toBe(0.05);
  expect(rejectionRate({ accepted: 0, duplicates: 0, rejected: 0 })).toBeNull();
  expect(quarterStart('2026-Q4')).toBe('2026-10-01');
  expect(expectedFeeds('health').map((f) => f.eventType).sort()).toEqual(['disease', 'hazard', 'inspection', 'rectification']);
});

test('plan indicators', () => {
  expect(ratePer100(3, 200)).toBe(1.5);
  expect(ratePer100(3, 0)).toBeNull();
  expect(coverageOf(95, 100, 0.9)).toEqual({ insured: 95, headcount: 100, share: 0.95, meetsTarget: true });
  expect(coverageOf(80, 100, 0.9).meetsTarget).toBe(false);
  expect(fallingEveryYear([{ year: 2023, share: 0.3 }, { year: 2024, share: 0.2 }, { year: 2025, share: 0.1 }]).falling).toBe(true);
  expect(fallingEveryYear([{ year: 2023, share: 0.3 }, { year: 2024, share: 0.3 }])).toEqual({ falling: false, note: '2024 年未比 2023 年下降' });
});

test('re-check form', () => {
  expect(parseRecheck({ recommendationId: 'R1', result: 'PASSED', verifiedAt: '2026-11-20' })).toEqual({ recommendationId: 'R1', result: 'PASSED', verifiedAt: '2026-11-20', note: '' });
  expect(() => parseRecheck({ recommendationId: 'R1', result: 'OK', verifiedAt: '2026-11-20' })).toThrow('复查结果');
  expect(() => parseRecheck({ recommendationId: 'R1', result: 'FAILED', verifiedAt: '20.11.2026' })).toThrow('复查日期');
  expect(recheckEventId('R1', '2026-11-20')).toBe(recheckEventId('R1', '2026-11-20'));
  expect(recheckEventId('R1', '2026-11-20')).not.toBe(recheckEventId('R2', '2026-11-20'));
});
