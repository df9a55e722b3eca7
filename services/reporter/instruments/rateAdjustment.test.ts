import { loadRegionConfig } from '../../shared/regionConfig';
import { EmployerFigures, lastCycle, parseCycle, suggestRate } from './rateAdjustment';

const region = loadRegionConfig({});
/** An employer of class 3 (base 0.7%) with contributions of 100,000 元 and the given benefits. */
const firm = (benefitsYuan: number, o: Partial<EmployerFigures> = {}): EmployerFigures => ({
  employerKey: 'K',
  uscc: null,
  employerName: '宿迁示例机械有限公司',
  regionCode: '321302',
  rateClass: 3,
  currentRate: 0.007,
  payrollYuan: 14_285_714,
  contributionsYuan: 100_000,
  benefitsYuan,
  recognizedInjuries: 1,
  riskyInCycle: [],
  ...o,
});

describe('浮动费率: 支缴率 tiers of the region (≥150% +50%, ≥100% +20%, ≥40% 不变, ≥15% −20%, below −50%)', () => {
  test.each([
    [150_000, 'UP', 0.5],
    [149_999, 'UP', 0.2],
    [100_000, 'UP', 0.2],
    [99_999, 'KEEP', 0],
    [40_000, 'KEEP', 0],
    [39_999, 'DOWN', -0.2],
    [15_000, 'DOWN', -0.2],
    [14_999, 'DOWN', -0.5],
    [0, 'DOWN', -0.5],
  ])('benefits of %d 元 on 100,000 元 paid: %s %d', (benefits, direction, change) => {
    const s = suggestRate(firm(benefits), region);
    expect(s.direction).toBe(direction);
    expect(s.change).toBe(change);
    expect(s.suggestedRate).toBeCloseTo(0.007 * (1 + change), 8);
  });

  test('the reason states the figures in Chinese', () => {
    const s = suggestRate(firm(160_000), region);
    expect(s.ratio).toBeCloseTo(1.6, 8);
    expect(s.reason).toBe('周期内缴纳工伤保险费 100000 元，支付工伤保险待遇 160000 元，认定工伤 1 人，支缴率 160%；建议上浮 50%。');
  });

  test('never 下浮 for an employer that was PRIORITY or ACCIDENT_PRONE in the cycle; 上浮 still applies', () => {
    const down = suggestRate(firm(0, { riskyInCycle: ['ACCIDENT_PRONE'] }), region);
    expect(down).toMatchObject({ direction: 'KEEP', change: 0 });
    expect(down.reason).toContain('周期内曾被列为“事故多发”，不予下浮');
    expect(suggestRate(firm(200_000, { riskyInCycle: ['PRIORITY'] }), region).direction).toBe('UP');
  });

  test('class 1 goes only upward', () => {
    expect(suggestRate(firm(0, { rateClass: 1, currentRate: 0.002 }), region)).toMatchObject({ direction: 'KEEP', baseRate: 0.002 });
    expect(suggestRate(firm(200_000, { rateClass: 1, currentRate: 0.002 }), region).direction).toBe('UP');
  });

  test('a small contribution base is marked, at the boundary', () => {
    expect(suggestRate(firm(0, { contributionsYuan: 49_999 }), region).small).toBe(true);
    expect(suggestRate(firm(0, { contributionsYuan: 50_000 }), region).small).toBe(false);
  });

  test('cycles are three full years', () => {
    expect(parseCycle('2024-2026')).toEqual({ cycle: '2024-2026', from: 2024, to: 2026 });
    expect(() => parseCycle('2024-2025')).toThrow(/连续三个整年/);
    expect(lastCycle('2026-11-25').cycle).toBe('2023-2025');
  });
});
