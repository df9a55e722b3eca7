import { hazard, staff, employerRecord, viewOf } from '../../../test/fixtures/facts';
import { hazardExceeded } from './hazardExceeded';

const TODAY = '2026-11-24';
const base = [employerRecord('2026-01-01', 10), ...staff(10, '2026-01-01')];

describe('HAZARD_EXCEEDED: a measurement over its limit', () => {
  test('flags the employer for 卫生健康, with the measurement in figures', () => {
    const f = hazardExceeded(viewOf([...base, hazard('2026-11-01', 2.4, 0.7)], TODAY))!;
    expect(f.routedTo).toEqual(['health']);
    expect(f.since).toBe('2026-11-01');
    expect(f.severity).toBe('CRITICAL'); // 3.4 × the limit
    expect(f.explanation).toContain('2026年11月1日 破碎岗位 矽尘 检测值 2.4 mg/m³，PC-TWA 限值 0.7 mg/m³');
    expect(f.problems).toEqual([expect.objectContaining({ rule: 'HAZARD_EXCEEDED', department: 'health', key: '矽尘|破碎' })]);
    expect(f.problems[0].details[0]).toMatch(/检测值 2.4 mg\/m³.*为限值的 3.4 倍/);
  });

  test('a measurement exactly at its limit is not an exceedance', () => {
    expect(hazardExceeded(viewOf([...base, hazard('2026-11-01', 0.7, 0.7)], TODAY))).toBeNull();
  });

  test('a within-limit re-measurement of the same post cures it', () => {
    expect(hazardExceeded(viewOf([...base, hazard('2026-10-01', 2, 1), hazard('2026-10-20', 0.5, 1)], TODAY))).toBeNull();
  });

  test('a re-measurement of another post does not cure it, and each factor/post is its own problem', () => {
    const f = hazardExceeded(viewOf([...base, hazard('2026-10-01', 2, 1), hazard('2026-10-02', 3, 1, { post: '包装' }), hazard('2026-10-20', 0.5, 1, { post: '包装' })], TODAY))!;
    expect(f.problems.map((p) => p.key)).toEqual(['矽尘|破碎']);
  });

  test('measurements sampled up to a PASSED re-check of 卫生健康 are rectified; a later one is not', () => {
    const facts = [...base, hazard('2026-10-01', 2, 1), hazard('2026-10-05', 2, 1)];
    expect(hazardExceeded(viewOf(facts, TODAY, { cutoffs: { health: '2026-10-10' } }))).toBeNull();
    const later = hazardExceeded(viewOf([...facts, hazard('2026-10-11', 2, 1)], TODAY, { cutoffs: { health: '2026-10-10' } }))!;
    expect(later.since).toBe('2026-10-11');
    expect(later.evidence).toHaveLength(1);
  });

  test('full- and half-width spellings of a post are one post', () => {
    const f = hazardExceeded(viewOf([...base, hazard('2026-10-01', 2, 1, { post: '破碎（一车间）' }), hazard('2026-10-20', 0.5, 1, { post: '破碎(一车间)' })], TODAY));
    expect(f).toBeNull();
  });

  test('a measurement the hub has not received yet does not count', () => {
    expect(hazardExceeded(viewOf([...base, hazard('2026-10-01', 2, 1, { known: '2026-12-01' })], TODAY))).toBeNull();
  });
});
