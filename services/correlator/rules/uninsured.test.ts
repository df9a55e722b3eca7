import { accident, enroll, injury, viewOf } from '../../../test/fixtures/facts';
import { uninsured } from './uninsured';

const TODAY = '2026-11-24';
const retail = { industryCode: 'F5211' };

describe('UNINSURED', () => {
  test('an accident at an employer with nobody enrolled on that date flags it for 人社', () => {
    const f = uninsured(viewOf([accident('2026-10-01')], TODAY, retail))!;
    expect(f.routedTo).toEqual(['hrss']);
    expect(f.problems[0]).toMatchObject({ rule: 'UNINSURED', department: 'hrss' });
    expect(f.explanation).toContain('2026年10月1日发生事故时，该单位工伤保险参保人数为 0');
  });

  test('judged on the event date: accident on 01-10 with nobody enrolled, one worker enrolled on 01-20, still flagged', () => {
    const f = uninsured(viewOf([accident('2026-01-10'), enroll('psn_1', '2026-01-20')], '2026-02-01', retail))!;
    expect(f).not.toBeNull();
    expect(f.since).toBe('2026-01-10');
    // Nothing left for 人社 to have rectified: somebody is enrolled now.
    expect(f.problems).toEqual([]);
  });

  test('enrollment that covered the accident date means it was insured', () => {
    expect(uninsured(viewOf([accident('2026-10-01'), enroll('psn_1', '2026-01-01')], TODAY, retail))).toBeNull();
  });

  test('an injury recorded as uninsured flags the employer even when others are enrolled', () => {
    const f = uninsured(viewOf([enroll('psn_1', '2026-01-01'), injury('2026-11-01', 'psn_9', false)], TODAY, retail))!;
    expect(f.evidence.map((e) => e.eventType)).toEqual(['injury']);
    expect(f.problems).toHaveLength(1);
  });

  test('an injury recorded as uninsured whose worker was enrolled afterwards is still flagged', () => {
    const f = uninsured(viewOf([enroll('psn_1', '2026-01-01'), injury('2026-10-01', 'psn_9', false), enroll('psn_9', '2026-10-15')], TODAY, retail))!;
    expect(f).not.toBeNull();
    expect(f.problems).toEqual([]);
  });

  test('all workers terminated within the evidence window, nobody enrolled: workers in evidence, uninsured', () => {
    const f = uninsured(viewOf([enroll('psn_1', '2026-01-01'), enroll('psn_1', '2026-11-01', { terminate: true })], TODAY, retail))!;
    expect(f.evidence.map((e) => e.eventType)).toEqual(['enrollment']);
  });

  test('an employer whose last worker left years ago is not flagged for ever', () => {
    expect(uninsured(viewOf([enroll('psn_1', '2020-01-01'), enroll('psn_1', '2022-03-01', { terminate: true })], TODAY, retail))).toBeNull();
  });

  test('evidence older than the evidence window no longer counts', () => {
    expect(uninsured(viewOf([accident('2025-11-01')], TODAY, retail))).toBeNull();
  });
});
