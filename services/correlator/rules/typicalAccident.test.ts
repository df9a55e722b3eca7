import { accident, viewOf } from '../../../test/fixtures/facts';
import { typicalAccident } from './typicalAccident';

const TODAY = '2026-11-24';

describe('TYPICAL_ACCIDENT (the employer part)', () => {
  test('an accident with a death goes to 应急管理 and 总工会', () => {
    expect(typicalAccident(viewOf([accident('2026-10-01', { deaths: 1 })], TODAY))?.routedTo).toEqual(['emergency', 'union']);
  });
  test('10 serious injuries make a 较大 accident even without deaths', () => {
    expect(typicalAccident(viewOf([accident('2026-10-01', { seriousInjuries: 10 })], TODAY))).not.toBeNull();
  });
  test('a direct loss of 1,000 万元 makes a 较大 accident', () => {
    expect(typicalAccident(viewOf([accident('2026-10-01', { directLossYuan: 10_000_000 })], TODAY))).not.toBeNull();
  });
  test('an ordinary accident is not typical', () => {
    expect(typicalAccident(viewOf([accident('2026-10-01')], TODAY))).toBeNull();
  });
  test('a fatal accident reported more than 365 days late still raises it, marked 迟报', () => {
    const f = typicalAccident(viewOf([accident('2025-05-01', { deaths: 1, known: '2026-11-20' })], TODAY))!;
    expect(f.late).toBe(true);
    expect(f.explanation).toContain('迟报');
  });
});
