import { disease, viewOf } from '../../../test/fixtures/facts';
import { earlyPneumoconiosis } from './earlyPneumoconiosis';

const TODAY = '2026-11-24';

describe('EARLY_PNEUMOCONIOSIS', () => {
  test('pneumoconiosis after 4.5 years of exposure alerts 卫生健康', () => {
    const f = earlyPneumoconiosis(viewOf([disease('2026-06-01', 4.5)], TODAY))!;
    expect(f.routedTo).toEqual(['health']);
    expect(f.explanation).toContain('最短 4.5 年');
  });
  test('exactly 5 years is not early', () => {
    expect(earlyPneumoconiosis(viewOf([disease('2026-06-01', 5)], TODAY))).toBeNull();
  });
  test('another disease category is not pneumoconiosis', () => {
    expect(earlyPneumoconiosis(viewOf([disease('2026-06-01', 1, { category: 2 })], TODAY))).toBeNull();
  });
  test('a diagnosis reported more than 365 days late still raises it, marked 迟报', () => {
    const f = earlyPneumoconiosis(viewOf([disease('2025-03-01', 3, { known: '2026-11-20' })], TODAY))!;
    expect(f.late).toBe(true);
    expect(f.explanation).toContain('迟报（2025年3月1日确诊，2026年11月20日报送）');
  });
  test('a timely diagnosis older than the window no longer counts', () => {
    expect(earlyPneumoconiosis(viewOf([disease('2025-03-01', 3)], TODAY))).toBeNull();
  });
});
