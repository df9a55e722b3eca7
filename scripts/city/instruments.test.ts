import { City } from './city';
import { CityRecord, RowOf, percent } from './columns';
import { BASE_RATES, YEARLY_WAGE, industry as industryOf } from './catalog';

/**
 * The plan's other instruments in the synthetic city: 缴费 for the three full years before the
 * as-of date, 待遇支付 following injuries, diseases and deaths, 培训 of key-post staff, and
 * each quarter's inspections. Expectations come from the rows themselves and from the
 * contract's tables (人社部发〔2015〕71号), never from the generator's own tallies alone.
 */
const AS_OF = '2026-11-20';
const DAY = 86400000;
const city = new City({ seed: 42, employers: 1500, asOf: AS_OF });
const records: CityRecord[] = [...city.records()];
const planted = city.planted;
const byType = new Map<string, unknown[]>();
const of = <T extends keyof RowOf>(t: T): (RowOf[T] & { dept: string })[] => {
  if (!byType.has(t)) byType.set(t, records.filter((r) => r.type === t).map((r) => ({ ...(r.row as RowOf[T]), dept: r.dept })));
  return byType.get(t) as (RowOf[T] & { dept: string })[];
};
const rejectedIds = new Set(planted.dirty.listed.filter((d) => d.expect === 'rejected').map((d) => d.id));
/** The employer a row truly belongs to, whatever planted error (a broken or missing USCC) it carries. */
const trueUscc = new Map(planted.dirty.listed.map((d) => [d.id, d.uscc]));
const owner = (row: { id: string; uscc: string }) => trueUscc.get(row.id) ?? row.uscc;
/** Rows the hub will take (not the planted rejections), under their true employer. */
const taken = <T extends keyof RowOf>(t: T) => of(t).filter((r) => !rejectedIds.has(r.id)).map((r) => ({ ...r, uscc: owner(r) }));
const employers = of('employer').filter((e) => e.dept === 'market').map((e) => ({ ...e, uscc: owner(e) }));
const employerOf = new Map(employers.map((e) => [e.uscc, e]));

test('every planted error is listed with its row (the tests below rely on it)', () => {
  expect(planted.dirty.listed.length).toBe(Object.values(planted.dirty.counts).reduce((a, b) => a + b, 0));
});
const daysAgo = (iso: string) => Math.round((Date.parse(`${AS_OF}T00:00:00Z`) - Date.parse(`${iso.slice(0, 10)}T00:00:00Z`)) / DAY);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const cents = (x: number) => Math.round(x * 100) / 100;
const enrollmentOf = new Map<string, RowOf['enrollment'][]>();
for (const e of of('enrollment')) enrollmentOf.set(owner(e), [...(enrollmentOf.get(owner(e)) ?? []), e]);
/** Citizen IDs enrolled now at the employer, as its enrollment rows say. */
const enrolledAt = (uscc: string) => {
  const rows = enrollmentOf.get(uscc) ?? [];
  const left = new Set(rows.filter((r) => r.action === 'TERMINATE').map((r) => r.personId));
  return rows.filter((r) => r.action === 'ENROLL' && !left.has(r.personId)).map((r) => r.personId);
};

test('the city has every new file with rows, from the departments the contract names', () => {
  const files = new Set(records.filter((r) => ['contribution', 'benefit', 'training', 'inspection'].includes(r.type)).map((r) => `${r.dept}/${r.type}`));
  expect([...files].sort()).toEqual([
    'emergency/inspection', 'emergency/training', 'health/inspection', 'housing/inspection', 'hrss/benefit', 'hrss/contribution',
    'hrss/training', 'transport/inspection', 'union/training',
  ]);
});

describe('contributions (缴费)', () => {
  const contributions = taken('contribution');

  test('the 行业风险类别 of an industry is the one of 人社部发〔2015〕71号, at its base rate or floated from it', () => {
    const classOf = (code: string) => new Set(contributions.filter((c) => employerOf.get(c.uscc)?.industryCode === code).map((c) => c.rateClass));
    expect([...classOf('C3011')]).toEqual([6]); // 非金属矿物制品业
    expect([...classOf('E4710')]).toEqual([6]); // 房屋建筑业
    expect([...classOf('G5430')]).toEqual([5]); // 道路运输业
    expect([...classOf('F5212')]).toEqual([2]); // 零售业
    expect([...classOf('I6510')]).toEqual([1]); // 软件和信息技术服务业
    expect(BASE_RATES).toEqual({ 1: 0.002, 2: 0.004, 3: 0.007, 4: 0.009, 5: 0.011, 6: 0.013, 7: 0.016, 8: 0.019 });
    for (const c of contributions) {
      const float = c.rate / BASE_RATES[c.rateClass];
      expect([0.5, 0.8, 1, 1.2, 1.5].some((f) => Math.abs(f - float) < 1e-6)).toBe(true);
      if (c.rateClass === 1) expect(float).toBeGreaterThanOrEqual(1); // class 1 is only floated up
    }
    expect(percent(0.0104)).toBe('1.04%');
    expect(percent(0.007)).toBe('0.7%');
  });

  test('each insured employer has the three full years before the as-of date, by year or by quarter; the uninsured none', () => {
    const periods = new Map<string, string[]>();
    for (const c of of('contribution')) periods.set(owner(c), [...(periods.get(owner(c)) ?? []), c.period]);
    let quarterly = 0;
    for (const [uscc, ps] of periods) {
      const years = ps.every((p) => /^\d{4}$/.test(p));
      if (!years) quarterly++;
      expect(ps.sort()).toEqual(years ? ['2023', '2024', '2025'] : ['2023', '2024', '2025'].flatMap((y) => [1, 2, 3, 4].map((q) => `${y}-Q${q}`)));
      expect(enrolledAt(uscc).length).toBeGreaterThan(0);
    }
    expect(quarterly).toBeGreaterThan(periods.size * 0.15);
    expect(quarterly).toBeLessThan(periods.size * 0.35);
    for (const p of planted.dustyUninsured) expect(periods.has(p.uscc)).toBe(false);
    expect(periods.size).toBe(of('employer').filter((e) => e.dept === 'hrss').length);
  });

  test('the fee is the payroll times the rate (some employers in arrears pay less, never more); the payroll is about the insured times the wage of the industry', () => {
    let arrears = 0;
    for (const c of contributions) {
      const due = c.payrollYuan * c.rate;
      if (c.paidYuan < due - 0.01) arrears++;
      else expect(Math.abs(c.paidYuan - due)).toBeLessThanOrEqual(0.005 + 1e-6); // to the 分
      expect(c.paidYuan).toBeLessThanOrEqual(due + 0.005 + 1e-6);
    }
    expect(arrears).toBeGreaterThan(0);
    expect(arrears).toBeLessThan(contributions.length * 0.05);
    // The last year of the cycle against today's insured: within growth and wage spread of the industry's wage.
    const lastYear = new Map<string, number>();
    for (const c of contributions) if (c.period.startsWith('2025')) lastYear.set(c.uscc, (lastYear.get(c.uscc) ?? 0) + c.payrollYuan);
    const perHead = [...lastYear].map(([uscc, payroll]) => payroll / enrolledAt(uscc).length / YEARLY_WAGE[employerOf.get(uscc)!.industryCode[0]]);
    const plausible = perHead.filter((x) => x > 0.6 && x < 1.7).length;
    expect(plausible / perHead.length).toBeGreaterThan(0.95);
  });
});

describe('benefits (待遇支付)', () => {
  const benefits = of('benefit');
  /** A planted broken ID differs from the true one in its check character only. */
  const body = (id: string) => id.slice(0, 17);

  test('paid before the as-of date to workers of the employer, mostly medical, some disability, death grants for the dead', () => {
    const kinds = (k: string) => benefits.filter((b) => b.kind === k).length;
    expect(kinds('MEDICAL') / benefits.length).toBeGreaterThan(0.6);
    expect(kinds('DISABILITY')).toBeGreaterThan(0);
    expect(kinds('DEATH')).toBeGreaterThan(0);
    for (const b of benefits) {
      expect(daysAgo(b.paidAt)).toBeGreaterThan(0);
      expect(b.amountYuan).toBeGreaterThan(0);
      if (b.kind === 'DEATH') expect(b.amountYuan).toBeGreaterThan(1_000_000);
      if (!rejectedIds.has(b.id)) expect(enrolledAt(owner(b)).map(body)).toContain(body(b.personId));
    }
  });

  test('a recognised injury of an insured worker, decided five months ago or more, was treated at the fund’s expense', () => {
    const rateDown = new Set(planted.rateAdjustment.down.map((p) => p.uscc));
    const due = of('injury').filter((i) => i.decision === 'RECOGNIZED' && i.insuredAtInjury && daysAgo(i.decidedAt) >= 150 && !rejectedIds.has(i.id) && !rateDown.has(i.uscc));
    expect(due.length).toBeGreaterThan(20);
    for (const i of due) {
      const paid = benefits.filter((b) => b.personId === i.personId && b.kind === 'MEDICAL' && b.paidAt > i.decidedAt);
      expect({ injury: i.id, medical: paid.length > 0 }).toEqual({ injury: i.id, medical: true });
    }
    const uninsured = new Set(planted.dustyUninsured.map((p) => p.uscc));
    expect(benefits.filter((b) => uninsured.has(b.uscc))).toEqual([]);
  });

  test('a planted fatal accident (its dead insured) is followed by a death grant within three months', () => {
    const fatal = planted.fatalAccident.flatMap((p) => of('accident').filter((a) => a.uscc === p.uscc && a.deaths > 0 && daysAgo(a.occurredAt) > 90));
    expect(fatal.length).toBeGreaterThan(0);
    for (const a of fatal) {
      const grants = benefits.filter((b) => b.uscc === a.uscc && b.kind === 'DEATH' && b.paidAt > a.occurredAt.slice(0, 10) && daysAgo(b.paidAt) >= daysAgo(a.occurredAt) - 90);
      expect({ accident: a.id, grants: grants.length }).toEqual({ accident: a.id, grants: a.deaths });
    }
  });
});

describe('浮动费率 planted', () => {
  const inCycle = (iso: string) => iso >= '2023-01-01' && iso <= '2025-12-31';
  const contributionsOf = (uscc: string) => cents(sum(of('contribution').filter((c) => c.uscc === uscc).map((c) => c.paidYuan)));
  const benefitsOf = (uscc: string) => cents(sum(of('benefit').filter((b) => b.uscc === uscc && inCycle(b.paidAt)).map((b) => b.amountYuan)));

  test('the cycle is the three full years before the as-of date', () => {
    expect(planted.rateAdjustment.cycle).toBe('2023-2025');
  });

  test('上浮: benefits over the cycle at least 2.5 times the contributions, as the rows say', () => {
    const up = planted.rateAdjustment.up;
    expect(up.length).toBeGreaterThanOrEqual(3);
    for (const p of up) {
      expect(p.contributionsYuan).toBeCloseTo(contributionsOf(p.uscc), 1);
      expect(p.benefitsYuan).toBeCloseTo(benefitsOf(p.uscc), 1);
      expect(benefitsOf(p.uscc) / contributionsOf(p.uscc)).toBeGreaterThanOrEqual(2.5);
      expect(p.expect).toBe('上浮');
    }
  });

  test('下浮: contributions paid every year, no benefit ever, no accident, in a class that may go down', () => {
    const down = planted.rateAdjustment.down;
    expect(down.length).toBeGreaterThanOrEqual(3);
    for (const p of down) {
      expect(contributionsOf(p.uscc)).toBeGreaterThan(0);
      expect(of('benefit').filter((b) => b.uscc === p.uscc)).toEqual([]);
      expect(of('accident').filter((a) => a.uscc === p.uscc)).toEqual([]);
      expect(p.rateClass).toBeGreaterThan(1);
      expect(p).toMatchObject({ ratio: 0, expect: '下浮' });
    }
  });

  test('the city’s 支缴率 is that of its rows, and plausible', () => {
    const all = of('contribution').filter((c) => !rejectedIds.has(c.id));
    const paid = of('benefit').filter((b) => !rejectedIds.has(b.id) && inCycle(b.paidAt));
    const ratio = sum(paid.map((b) => b.amountYuan)) / sum(all.map((c) => c.paidYuan));
    expect(planted.rateAdjustment.cityRatio).toBeCloseTo(ratio, 3);
    expect(ratio).toBeGreaterThan(0.2);
    expect(ratio).toBeLessThan(1.2);
  });
});

describe('training (培训)', () => {
  const training = taken('training');
  const keyIndustry = (uscc: string) => industryOf(employerOf.get(uscc)!.industryCode).group !== null;
  const within = (iso: string) => daysAgo(iso) >= 1 && daysAgo(iso) <= 365;

  test('counts stay consistent: key-post trainees within trainees and within key-post staff', () => {
    expect(training.length).toBeGreaterThan(100);
    for (const t of training) {
      expect(t.keyPostTrainees).toBeLessThanOrEqual(t.trainees);
      if (t.keyPostTotal !== undefined) expect(t.keyPostTrainees).toBeLessThanOrEqual(t.keyPostTotal);
      if (!keyIndustry(t.uscc)) expect(t).toMatchObject({ keyPostTrainees: 0, keyPostTotal: undefined });
    }
    expect(training.some((t) => t.dept === 'union' && t.keyPostTotal === undefined)).toBe(true);
  });

  test('some key-industry employers cover all their key-post staff in the year, some part of them, some none; the counts are the rows’', () => {
    const totalOf = new Map<string, number>();
    for (const t of of('training')) totalOf.set(owner(t), Math.max(totalOf.get(owner(t)) ?? 0, t.keyPostTotal ?? 0));
    const byEmployer = new Map<string, { total: number; trained: number }>();
    for (const t of training.filter((x) => keyIndustry(x.uscc) && within(x.heldAt))) {
      const e = byEmployer.get(t.uscc) ?? { total: totalOf.get(t.uscc)!, trained: 0 };
      byEmployer.set(t.uscc, { total: e.total, trained: e.trained + t.keyPostTrainees });
    }
    const full = [...byEmployer.values()].filter((e) => e.trained === e.total).length;
    const partial = [...byEmployer.values()].filter((e) => e.trained > 0 && e.trained < e.total).length;
    const keyEmployers = employers.filter((e) => industryOf(e.industryCode).group !== null).length;
    expect(planted.trainingGaps.counts).toEqual({ full, partial, none: keyEmployers - full - partial });
    expect(full).toBeGreaterThan(keyEmployers * 0.2);
    expect(partial).toBeGreaterThan(keyEmployers * 0.1);
    expect(keyEmployers - full - partial).toBeGreaterThan(keyEmployers * 0.2);
    // Some of those without training in the year trained longer ago.
    expect(training.some((t) => keyIndustry(t.uscc) && daysAgo(t.heldAt) > 365 && !byEmployer.has(t.uscc))).toBe(true);
  });

  test('the PRIORITY employers (dusty and uninsured) never trained, and are listed so', () => {
    const priority = planted.dustyUninsured.map((p) => p.uscc);
    expect(planted.trainingGaps.priorityWithoutTraining.map((p) => p.uscc).sort()).toEqual([...priority].sort());
    expect(training.filter((t) => priority.includes(t.uscc))).toEqual([]);
  });
});

describe('inspections (检查)', () => {
  const inspections = of('inspection').filter((i) => !rejectedIds.has(i.id));
  const listedKinds = ['dustyUninsured', 'underInsured', 'accidentProne', 'fatalAccident', 'earlyPneumoconiosis', 'projectWithoutCertificate'] as const;
  const listed = new Set(listedKinds.flatMap((k) => planted[k].map((p) => p.uscc)));
  const rate = (rows: typeof inspections) => rows.filter((i) => i.finding === 'HAZARD_FOUND').length / rows.length;

  test('every quarter has its 双随机 sample and its listed employers inspected, each inspection dated in its quarter before the as-of date', () => {
    expect(planted.inspections.quarters).toEqual(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    const quarterOf = (iso: string) => `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
    for (const q of planted.inspections.quarters) {
      const rows = inspections.filter((i) => quarterOf(i.inspectedAt) === q);
      expect({ q, random: rows.some((i) => i.origin === 'RANDOM'), listed: rows.some((i) => i.origin === 'LISTED') }).toEqual({ q, random: true, listed: true });
    }
    for (const i of inspections) {
      expect(daysAgo(i.inspectedAt)).toBeGreaterThan(0);
      expect(i.inspectedAt >= '2025-10-01').toBe(true);
    }
    expect(inspections.some((i) => i.origin === 'FOLLOW_UP')).toBe(true);
  });

  test('LISTED inspections are at employers carrying planted risk patterns and find hazards far more often than RANDOM ones', () => {
    const listedRows = inspections.filter((i) => i.origin === 'LISTED');
    const randomRows = inspections.filter((i) => i.origin === 'RANDOM');
    expect(listedRows.every((i) => listed.has(i.uscc))).toBe(true);
    expect(randomRows.length).toBeGreaterThan(100);
    expect(rate(listedRows)).toBeGreaterThan(0.45);
    expect(rate(randomRows)).toBeLessThan(0.2);
    expect(rate(listedRows) / rate(randomRows)).toBeGreaterThan(3);
    expect(planted.inspections.total.LISTED).toEqual({ inspections: listedRows.length, hazardFound: listedRows.filter((i) => i.finding === 'HAZARD_FOUND').length, hitRate: expect.closeTo(rate(listedRows), 3) });
    expect(planted.inspections.total.RANDOM.inspections).toBe(randomRows.length);
    expect(planted.inspections.lift).toBeCloseTo(rate(listedRows) / rate(randomRows), 1);
    expect(planted.inspections.listedEmployers).toBe(listed.size);
  });

  test('the department that inspects is the one of the trade: construction 住建, roads and transport 交通运输, factories 应急管理 or 卫健', () => {
    for (const i of of('inspection')) {
      const code = employerOf.get(i.uscc)?.industryCode;
      if (!code) continue; // a planted bad USCC
      if (code === 'E4812' || code.startsWith('G54')) expect(i.dept).toBe('transport');
      else if (code.startsWith('E')) expect(i.dept).toBe('housing');
      else expect(['emergency', 'health']).toContain(i.dept);
      if (i.finding === 'HAZARD_FOUND') expect(i.note).not.toBe('');
    }
  });
});
