import { drawSample, drawSize, parseQuarter, seedOf, Stratum } from './inspectionPlan';

const strata = (): Stratum[] => [
  { regionCode: '321302', section: 'C', population: Array.from({ length: 200 }, (_, i) => `C-${String(i).padStart(3, '0')}`) },
  { regionCode: '321302', section: 'E', population: Array.from({ length: 34 }, (_, i) => `E-${String(i).padStart(3, '0')}`) },
  { regionCode: '321311', section: 'C', population: ['only-one'] },
  { regionCode: '321311', section: 'F', population: [] },
];

describe('双随机: a reproducible, stratified random sample', () => {
  test('redrawn with the recorded seed from the same population, the sample is identical', () => {
    const seed = seedOf('宿迁市', '2026-Q1');
    const a = drawSample(strata(), seed, 0.03);
    const shuffled = strata().map((s) => ({ ...s, population: [...s.population].reverse() }));
    expect(drawSample(shuffled, seed, 0.03)).toEqual(a);
  });

  test('another quarter (another seed) draws other employers', () => {
    const a = drawSample(strata(), seedOf('宿迁市', '2026-Q1'), 0.03).get('321302|C');
    const b = drawSample(strata(), seedOf('宿迁市', '2026-Q2'), 0.03).get('321302|C');
    expect(b).not.toEqual(a);
  });

  test('each stratum gives its share, rounded up, at least one of any stratum with employers, from its own population', () => {
    const drawn = drawSample(strata(), 12345, 0.03);
    expect(drawn.get('321302|C')).toHaveLength(6); // 200 × 3%
    expect(drawn.get('321302|E')).toHaveLength(2); // 34 × 3% = 1.02 → 2
    expect(drawn.get('321311|C')).toEqual(['only-one']);
    expect(drawn.get('321311|F')).toEqual([]);
    for (const e of drawn.get('321302|E')!) expect(e).toMatch(/^E-/);
    expect(new Set(drawn.get('321302|C')).size).toBe(6);
    expect(drawSize(0, 0.03)).toBe(0);
  });

  test('quarters are read as staff write them', () => {
    expect(parseQuarter('2026q3')).toEqual({ quarter: '2026-Q3', start: '2026-07-01', end: '2026-09-30' });
    expect(() => parseQuarter('2026-Q5')).toThrow(/2026-Q1/);
  });
});
