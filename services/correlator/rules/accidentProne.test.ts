import { accident, employerRecord, staff, viewOf } from '../../../test/fixtures/facts';
import { accidentProne } from './accidentProne';
import { SectionRates } from './view';

const TODAY = '2026-11-24';
const base = [employerRecord('2025-01-01', 100), ...staff(100, '2025-01-01')];
/** Section C: 2 accidents per 100 insured workers. */
const rates: SectionRates = { C: { accidents: 200, insuredWorkers: 10_000 } };

describe('ACCIDENT_PRONE', () => {
  test('exactly 3 accidents within 365 days flag the employer for 应急管理 monitoring, from the third', () => {
    const f = accidentProne(viewOf([...base, accident('2025-12-01'), accident('2026-05-01'), accident('2026-11-01')], TODAY))!;
    expect(f.since).toBe('2026-11-01');
    expect(f.routedTo).toEqual(['emergency']);
    expect(f.evidence).toHaveLength(3);
    expect(f.problems[0]).toMatchObject({ rule: 'ACCIDENT_PRONE', department: 'emergency' });
    expect(f.problems[0].details).toHaveLength(3);
  });

  test('2 accidents in a year are not enough', () => {
    expect(accidentProne(viewOf([...base, accident('2026-05-01'), accident('2026-11-01')], TODAY))).toBeNull();
  });

  test('3 accidents spread over more than 365 days are not a pattern', () => {
    expect(accidentProne(viewOf([...base, accident('2025-01-01'), accident('2025-06-01'), accident('2026-11-01')], TODAY))).toBeNull();
  });

  test('a single accident with a death is enough', () => {
    expect(accidentProne(viewOf([...base, accident('2026-11-01', { deaths: 1 })], TODAY))?.severity).toBe('CRITICAL');
  });

  test('the plain rate decides: 20 insured workers, 2 accidents, section average 2 per 100 (5 ×) is flagged', () => {
    const facts = [employerRecord('2025-01-01', 20), ...staff(20, '2025-01-01'), accident('2026-06-01'), accident('2026-11-01')];
    const f = accidentProne(viewOf(facts, TODAY, { sectionRates: rates }))!;
    expect(f).not.toBeNull();
    expect(f.explanation).toContain('每百人 10 起');
    expect(f.explanation).toContain('5 倍');
  });

  test('a plain rate just under twice the average is not flagged (2 accidents among 51 insured)', () => {
    const facts = [employerRecord('2025-01-01', 51), ...staff(51, '2025-01-01'), accident('2026-06-01'), accident('2026-11-01')];
    expect(accidentProne(viewOf(facts, TODAY, { sectionRates: rates }))).toBeNull();
  });

  test('exactly twice the average is flagged (2 accidents among 50 insured)', () => {
    const facts = [employerRecord('2025-01-01', 50), ...staff(50, '2025-01-01'), accident('2026-06-01'), accident('2026-11-01')];
    expect(accidentProne(viewOf(facts, TODAY, { sectionRates: rates }))).not.toBeNull();
  });

  test('one accident is never a rate pattern, however small the firm', () => {
    const facts = [employerRecord('2025-01-01', 3), ...staff(3, '2025-01-01'), accident('2026-11-01')];
    expect(accidentProne(viewOf(facts, TODAY, { sectionRates: rates }))).toBeNull();
  });

  test('a fatal accident reported after its window had passed still flags the employer, marked 迟报', () => {
    const f = accidentProne(viewOf([...base, accident('2025-06-01', { deaths: 1, known: '2026-11-20' })], TODAY))!;
    expect(f.late).toBe(true);
    expect(f.explanation).toContain('迟报');
  });

  test('a non-fatal accident reported after its window had passed does not count', () => {
    const late = [accident('2025-06-01', { known: '2026-11-20' }), accident('2025-06-02', { known: '2026-11-20' })];
    expect(accidentProne(viewOf([...base, ...late, accident('2026-11-01')], TODAY))).toBeNull();
  });
});
