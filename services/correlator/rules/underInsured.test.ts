import { employerRecord, hazard, staff, viewOf, enroll } from '../../../test/fixtures/facts';
import { underInsured } from './underInsured';

const TODAY = '2026-11-24';

describe('UNDER_INSURED (key industries)', () => {
  test('89 of 100 workers enrolled is under-insured, with the figures', () => {
    const f = underInsured(viewOf([employerRecord('2026-01-01', 100), ...staff(89, '2026-01-01')], TODAY))!;
    expect(f.explanation).toContain('职工 100 人');
    expect(f.explanation).toContain('参保 89 人，参保率 89%');
    expect(f.problems.map((p) => p.key)).toEqual(['coverage']);
  });

  test('exactly 90% coverage meets the requirement', () => {
    expect(underInsured(viewOf([employerRecord('2026-01-01', 100), ...staff(90, '2026-01-01')], TODAY, { industryCode: 'C2611' }))).toBeNull();
  });

  test('outside the key industries coverage is not judged', () => {
    expect(underInsured(viewOf([employerRecord('2026-01-01', 100, 'F5211'), ...staff(10, '2026-01-01')], TODAY, { industryCode: 'F5211' }))).toBeNull();
  });

  test('dust industries: enrolled dust-exposed workers below 90% of those the latest dust measurements name', () => {
    // Fully insured by headcount, but only 5 of the 10 workers the measurements name at dust posts.
    const facts = [
      employerRecord('2026-01-01', 20),
      ...staff(5, '2026-01-01', { dust: true }),
      ...Array.from({ length: 15 }, (_, i) => enroll(`psn_o${i}`, '2026-01-01')),
      hazard('2026-06-01', 0.5, 1, { post: '破碎', exposedWorkers: 6 }),
      hazard('2026-06-01', 0.5, 1, { post: '包装', exposedWorkers: 4 }),
    ];
    const f = underInsured(viewOf(facts, TODAY))!;
    expect(f).not.toBeNull();
    expect(f.problems.map((p) => p.key)).toEqual(['dustCoverage']);
    expect(f.explanation).toContain('接尘人数 10 人，接尘岗位参保 5 人');
  });

  test('dust clause: the latest report of each post counts, the older one does not', () => {
    const facts = [
      employerRecord('2026-01-01', 20),
      ...staff(9, '2026-01-01', { dust: true }),
      ...Array.from({ length: 11 }, (_, i) => enroll(`psn_o${i}`, '2026-01-01')),
      hazard('2026-03-01', 0.5, 1, { post: '破碎', exposedWorkers: 30 }),
      hazard('2026-06-01', 0.5, 1, { post: '破碎', exposedWorkers: 10 }),
    ];
    expect(underInsured(viewOf(facts, TODAY))).toBeNull(); // 9 of 10 = 90%
  });

  test('dust clause applies only in dust industries (C26 is key but not dusty in 宿迁)', () => {
    const facts = [employerRecord('2026-01-01', 20, 'C2611'), ...staff(20, '2026-01-01'), hazard('2026-06-01', 0.5, 1, { exposedWorkers: 10 })];
    expect(underInsured(viewOf(facts, TODAY, { industryCode: 'C2611' }))).toBeNull();
  });
});
