import { isPeriod, periodEnd, periodStart } from './period';

describe('a contribution period (所属期)', () => {
  test('a year starts on 1 January and ends on 31 December', () => {
    expect(periodStart('2026')).toBe('2026-01-01');
    expect(periodEnd('2026')).toBe('2026-12-31');
  });

  test('a quarter starts on the first day of its first month and ends on the last day of its third', () => {
    expect(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'].map((p) => [periodStart(p), periodEnd(p)])).toEqual([
      ['2026-01-01', '2026-03-31'],
      ['2026-04-01', '2026-06-30'],
      ['2026-07-01', '2026-09-30'],
      ['2026-10-01', '2026-12-31'],
    ]);
  });

  test('only the contract spellings are periods here (the gateway reads the others into them)', () => {
    expect(['2026', '2026-Q4'].map(isPeriod)).toEqual([true, true]);
    expect(['2026Q1', '2026年', '2026-Q5', '2026-1', ''].map(isPeriod)).toEqual([false, false, false, false, false]);
    expect(() => periodStart('2026年')).toThrow(/所属期/);
  });
});
