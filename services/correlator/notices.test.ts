import { loadRegionConfig } from '../shared/regionConfig';
import { accident } from '../../test/fixtures/facts';
import { AccidentInput, typicalAccidentNotices } from './notices';

const region = loadRegionConfig({});
const BOILER = 16; // 锅炉爆炸
const at = (n: number, day: string, o: { known?: string; deaths?: number; section?: string; category?: number } = {}): AccidentInput => ({
  fact: accident(day, { category: o.category ?? BOILER, deaths: o.deaths ?? 0, known: o.known }),
  employerKey: `E${n}`,
  employerName: `宿迁第${n}热力有限公司`,
  section: o.section ?? 'D',
});

describe('典型事故通报: nothing is circulated twice', () => {
  const three = [at(1, '2026-10-01'), at(2, '2026-10-08'), at(3, '2026-10-15')];

  test('three 锅炉爆炸 accidents in section D within 30 days make one circular naming the industry', () => {
    const notices = typicalAccidentNotices(three, region, '2026-10-20');
    expect(notices).toHaveLength(1);
    expect(notices[0].title).toBe('关于电力、热力、燃气及水生产和供应业锅炉爆炸事故集中发生情况的通报');
    expect(notices[0].members).toHaveLength(3);
  });

  test('a fourth within the 30 days is recorded with the first circular, not circulated again', () => {
    const first = typicalAccidentNotices(three, region, '2026-10-20');
    const notices = typicalAccidentNotices([...three, at(4, '2026-10-25', { known: '2026-10-26' })], region, '2026-10-30');
    expect(notices).toHaveLength(1);
    expect(notices[0].noticeId).toBe(first[0].noticeId);
    expect(notices[0].issuedOn).toBe(first[0].issuedOn);
    expect(notices[0].members).toHaveLength(3);
    expect(notices[0].joined).toHaveLength(1);
    expect(notices[0].body).toContain('通报印发后报送的同类事故，一并记录，不再另行通报');
  });

  test('a new cluster needs three accidents not yet circulated', () => {
    const later = [at(5, '2026-11-20', { known: '2026-11-21' }), at(6, '2026-11-25', { known: '2026-11-26' })];
    expect(typicalAccidentNotices([...three, ...later], region, '2026-11-30')).toHaveLength(1);
    const notices = typicalAccidentNotices([...three, ...later, at(7, '2026-11-28', { known: '2026-11-28' })], region, '2026-11-30');
    expect(notices).toHaveLength(2);
    expect(notices[1].members.map((m) => m.day)).toEqual(['2026-11-20', '2026-11-25', '2026-11-28']);
  });

  test('two such accidents are not a cluster; other categories or sections do not count', () => {
    expect(typicalAccidentNotices([at(1, '2026-10-01'), at(2, '2026-10-08'), at(3, '2026-10-15', { category: 3 })], region, '2026-10-20')).toHaveLength(0);
    expect(typicalAccidentNotices([at(1, '2026-10-01'), at(2, '2026-10-08'), at(3, '2026-10-15', { section: 'C' })], region, '2026-10-20')).toHaveLength(0);
  });

  test('a fatal accident has its own circular and then counts for no cluster', () => {
    const notices = typicalAccidentNotices([at(1, '2026-10-01', { deaths: 1 }), at(2, '2026-10-08'), at(3, '2026-10-15')], region, '2026-10-20');
    expect(notices).toHaveLength(1);
    expect(notices[0].title).toBe('关于宿迁第1热力有限公司“10·1”锅炉爆炸事故的通报');
  });

  test('a fatal accident reported more than a year late is still circulated, marked 迟报', () => {
    const [n] = typicalAccidentNotices([at(1, '2025-06-01', { deaths: 2, known: '2026-11-20' })], region, '2026-11-24');
    expect(n.late).toBe(true);
    expect(n.body).toContain('迟报');
  });

  test('the same accidents in any order give the same circulars', () => {
    const all = [...three, at(4, '2026-10-25', { known: '2026-10-26' }), at(8, '2026-10-02', { deaths: 1 })];
    const a = typicalAccidentNotices(all, region, '2026-11-01');
    const b = typicalAccidentNotices([...all].reverse(), region, '2026-11-01');
    expect(b).toEqual(a);
  });
});
