import { precisionOf, wilson } from './precision';

describe('the list’s precision against random inspections', () => {
  test('Wilson intervals of known cases', () => {
    const w = wilson(8, 10);
    expect(w.rate).toBe(0.8);
    expect(w.low).toBeCloseTo(0.4902, 3);
    expect(w.high).toBeCloseTo(0.9433, 3);
    expect(wilson(0, 20).low).toBe(0);
    expect(wilson(0, 20).high).toBeCloseTo(0.1611, 3);
    expect(wilson(0, 0)).toEqual({ rate: null, low: null, high: null });
  });

  test('20 of 30 listed inspections against 5 of 100 random ones: lift 13.3, clearly better than chance', () => {
    const [q] = precisionOf([
      { quarter: '2026-Q1', origin: 'LISTED', n: 30, found: 20 },
      { quarter: '2026-Q1', origin: 'RANDOM', n: 100, found: 5 },
    ]);
    expect(q.listed.rate).toBeCloseTo(0.6667, 4);
    expect(q.random.rate).toBe(0.05);
    expect(q.lift).toBeCloseTo(13.33, 2);
    expect(q.clear).toBe(true);
  });

  test('small samples whose intervals overlap are not called a difference; no random hits, no lift', () => {
    const [q] = precisionOf([
      { quarter: '2026-Q2', origin: 'LISTED', n: 3, found: 2 },
      { quarter: '2026-Q2', origin: 'RANDOM', n: 4, found: 1 },
    ]);
    expect(q.clear).toBe(false);
    const [r] = precisionOf([
      { quarter: '2026-Q3', origin: 'LISTED', n: 5, found: 2 },
      { quarter: '2026-Q3', origin: 'RANDOM', n: 5, found: 0 },
    ]);
    expect(r.lift).toBeNull();
  });
});
