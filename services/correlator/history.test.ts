import { loadRegionConfig } from '../shared/regionConfig';
import { accident, employerRecord, employerWith, enroll, hazard, injury, recheck, staff, training } from '../../test/fixtures/facts';
import { EmployerFacts } from './facts';
import { History, simulate } from './history';

const region = loadRegionConfig({});
const live = (emp: EmployerFacts, asOfDay: string, numbers: Record<string, string> = {}): History =>
  simulate(emp, { region, sectionRates: {}, asOfDay, idOfNumber: (ref) => numbers[ref] ?? null });
const openAlerts = (h: History) => h.alerts.filter((a) => a.status === 'OPEN').map((a) => a.rule).sort();
const openRecs = (h: History) => h.recommendations.filter((r) => r.status === 'OPEN' || r.status === 'OVERDUE');
const insured = () => [employerRecord('2025-01-01', 10), ...staff(10, '2025-01-01')];

describe('recommendations keep their identity', () => {
  test('a late sample dated before a PASSED re-check neither reopens the recommendation nor starts a new one', () => {
    const emp = employerWith([...insured(), hazard('2026-03-10', 2.6, 1)]);
    const first = live(emp, '2026-03-20');
    const [a] = first.recommendations;
    expect(a).toMatchObject({ issuedOn: '2026-03-10', deadline: '2026-04-09', status: 'OPEN' });
    emp.facts.push(recheck(a.id, '2026-03-25', 'PASSED'), hazard('2026-03-01', 3, 1, { known: '2026-03-28' }));
    const later = live(emp, '2026-06-30');
    expect(later.recommendations).toHaveLength(1);
    expect(later.recommendations[0]).toMatchObject({ id: a.id, deadline: '2026-04-09', status: 'RECTIFIED', closedOn: '2026-03-25' });
    expect(openAlerts(later)).toEqual([]);
  });

  test('late evidence joins the open recommendation: same id, same deadline, evidence added', () => {
    const emp = employerWith([...insured(), hazard('2026-03-10', 2.6, 1)]);
    const before = live(emp, '2026-03-20').recommendations[0];
    emp.facts.push(hazard('2026-03-02', 2, 1, { post: '包装', known: '2026-03-22' }));
    const after = live(emp, '2026-03-30');
    expect(after.recommendations).toHaveLength(1);
    expect(after.recommendations[0]).toMatchObject({ id: before.id, deadline: before.deadline });
    expect(after.recommendations[0].items.map((i) => [i.key, i.deadline])).toEqual([
      ['矽尘|破碎', '2026-04-09'],
      ['矽尘|包装', '2026-04-21'], // added on 03-22: its own 30 days
    ]);
    // The alert is the same one, now known to have started earlier.
    const hazardAlerts = after.alerts.filter((a) => a.rule === 'HAZARD_EXCEEDED');
    expect(hazardAlerts).toHaveLength(1);
    expect(hazardAlerts[0].openedAt).toBe('2026-03-01T16:00:00.000Z');
  });

  test('what the hub decided before a fact arrived is not changed by it', () => {
    const emp = employerWith([...insured(), hazard('2026-03-10', 2.6, 1)]);
    const before = live(emp, '2026-03-20');
    emp.facts.push(accident('2026-03-15', { known: '2026-03-21' }));
    const after = live(emp, '2026-03-20');
    expect(after).toEqual(before);
  });
});

describe('one recommendation per employer and issuing department', () => {
  test('dangerous and uninsured at once: one joint recommendation of 人社 and 卫生健康, no separate letters', () => {
    // Nobody insured, a hazard over the limit and an accident with nobody enrolled.
    const emp = employerWith([employerRecord('2026-03-01', 30), hazard('2026-03-01', 3, 1), accident('2026-03-05')]);
    const h = live(emp, '2026-03-20');
    expect(openAlerts(h)).toEqual(['HAZARD_EXCEEDED', 'PRIORITY', 'UNDER_INSURED', 'UNINSURED']);
    const open = openRecs(h);
    expect(open).toHaveLength(1);
    expect(open[0].joint).toBe(true);
    expect(open[0].departments).toEqual(['health', 'hrss']);
    expect(open[0].items.map((i) => i.rule).sort()).toEqual(['HAZARD_EXCEEDED', 'KEY_POST_TRAINING', 'UNDER_INSURED', 'UNINSURED']);
  });

  test('a recommendation already issued becomes the joint one when the employer turns PRIORITY: it keeps its id and deadline', () => {
    const emp = employerWith([...insured(), hazard('2026-03-01', 3, 1)]);
    const health = live(emp, '2026-03-05').recommendations[0];
    emp.facts.push(injury('2026-03-08', 'psn_x', false, { known: '2026-03-10' }));
    const h = live(emp, '2026-03-12');
    expect(openRecs(h)).toHaveLength(1);
    expect(openRecs(h)[0]).toMatchObject({ id: health.id, deadline: health.deadline, joint: true, departments: ['health', 'hrss'] });
  });

  test('two open letters of PRIORITY departments are merged into the earlier one', () => {
    const emp = employerWith([...insured(), hazard('2026-03-01', 3, 1), ...[1, 2, 3].map((d) => accident(`2026-03-0${d + 1}`, { known: '2026-03-06' }))]);
    const before = live(emp, '2026-03-07');
    expect(openRecs(before).map((r) => r.departments)).toEqual([['health'], ['emergency']]);
    emp.facts.push(injury('2026-03-08', 'psn_x', false, { known: '2026-03-10' }));
    const h = live(emp, '2026-03-12');
    const open = openRecs(h);
    expect(open).toHaveLength(1);
    expect(open[0].id).toBe(openRecs(before)[0].id);
    expect(open[0].departments).toEqual(['health', 'emergency', 'hrss']);
    expect(h.recommendations.find((r) => r.id === openRecs(before)[1].id)).toMatchObject({ status: 'MERGED', mergedInto: open[0].id });
  });
});

describe('re-checks (复查)', () => {
  test('only an addressee of the recommendation can rectify it; another department is listed, not taken', () => {
    const emp = employerWith([...insured(), hazard('2026-03-10', 2.6, 1)]);
    const a = live(emp, '2026-03-20').recommendations[0];
    emp.facts.push(recheck(a.id, '2026-03-25', 'PASSED', { department: 'emergency' }));
    const h = live(emp, '2026-03-30');
    expect(h.recommendations[0].status).toBe('OPEN');
    expect(h.feedIssues).toEqual([expect.objectContaining({ kind: 'RECHECK_NOT_ADDRESSEE', department: 'emergency' })]);
  });

  test('a re-check may name the recommendation by its document number', () => {
    const emp = employerWith([...insured(), hazard('2026-03-10', 2.6, 1)]);
    const a = live(emp, '2026-03-20').recommendations[0];
    emp.facts.push(recheck('宿工预建〔2026〕7号', '2026-03-25', 'PASSED'));
    expect(live(emp, '2026-03-30', { '宿工预建〔2026〕7号': a.id }).recommendations[0].status).toBe('RECTIFIED');
  });

  test('a department re-checks, the same day, a recommendation issued that day: it is rectified that day, and no feed issue is raised', () => {
    // The letter goes out on 03-10; 卫生健康 re-checks the works that afternoon and it passes.
    const emp = employerWith([...insured(), hazard('2026-03-10', 2.6, 1)]);
    const [a] = live(emp, '2026-03-10').recommendations;
    expect(a).toMatchObject({ issuedOn: '2026-03-10', status: 'OPEN' });
    emp.facts.push(recheck(a.id, '2026-03-10', 'PASSED', { known: '2026-03-10' }));
    const h = live(emp, '2026-03-10');
    expect(h.feedIssues).toEqual([]);
    expect(h.recommendations).toHaveLength(1);
    expect(h.recommendations[0]).toMatchObject({ id: a.id, status: 'RECTIFIED', closedOn: '2026-03-10' });
    expect(h.recommendations[0].rechecks.map((r) => r.result)).toEqual(['PASSED']);
    // The alert it came from is closed as rectified, and the next days agree with that day.
    const hazardAlert = h.alerts.find((x) => x.rule === 'HAZARD_EXCEEDED')!;
    expect(hazardAlert).toMatchObject({ status: 'CLOSED', closeReason: 'RECTIFIED', closedAt: '2026-03-09T16:00:00.000Z' });
    const later = live(emp, '2026-03-20');
    expect(later.feedIssues).toEqual([]);
    expect(later.recommendations).toEqual(h.recommendations);
    expect(later.alerts).toEqual(h.alerts);
  });

  test('a re-check naming no recommendation is listed as a feed issue', () => {
    const emp = employerWith([...insured(), recheck('不存在的编号', '2026-03-25', 'PASSED')]);
    expect(live(emp, '2026-03-30').feedIssues).toEqual([expect.objectContaining({ kind: 'RECHECK_UNKNOWN_RECOMMENDATION' })]);
  });

  test('人社 sends no re-checks: its insurance problem is rectified the day its own enrollment data show it solved', () => {
    const emp = employerWith([employerRecord('2026-01-01', 10, 'F5211'), accident('2026-03-01')]);
    const a = live(emp, '2026-03-05').recommendations[0];
    expect(a.departments).toEqual(['hrss']);
    emp.facts.push(enroll('psn_1', '2026-03-10', { known: '2026-03-12' }));
    const h = live(emp, '2026-05-30');
    expect(h.recommendations[0]).toMatchObject({ id: a.id, status: 'RECTIFIED', closedOn: '2026-03-12' });
    expect(openAlerts(h)).toEqual(['UNINSURED']); // the uninsured accident stays on record for the window
    expect(h.alerts.some((x) => x.rule === 'OVERDUE')).toBe(false);
  });
});

describe('OVERDUE (未及时整改)', () => {
  test('a recommendation past its deadline without a PASSED re-check escalates, from the day after the deadline', () => {
    const h = live(employerWith([...insured(), hazard('2026-03-10', 2, 1)]), '2026-05-01');
    const overdue = h.alerts.find((a) => a.rule === 'OVERDUE')!;
    expect(overdue).toMatchObject({ status: 'OPEN', raisedOn: '2026-04-10' });
    expect(overdue.finding.routedTo).toEqual(['health']);
    expect(overdue.finding.explanation).toContain('逾期未报送整改情况');
    expect(h.recommendations[0].status).toBe('OVERDUE');
  });

  test('a FAILED re-check is said so', () => {
    const emp = employerWith([...insured(), hazard('2026-03-10', 2, 1)]);
    emp.facts.push(recheck(live(emp, '2026-03-20').recommendations[0].id, '2026-04-01', 'FAILED'));
    expect(live(emp, '2026-05-01').alerts.find((a) => a.rule === 'OVERDUE')!.finding.explanation).toContain('复查不合格');
  });

  test('a PASSED re-check dated within the deadline but reported after it retracts the escalation', () => {
    const emp = employerWith([...insured(), hazard('2026-03-10', 2, 1)]);
    emp.facts.push(recheck(live(emp, '2026-03-20').recommendations[0].id, '2026-04-05', 'PASSED', { known: '2026-04-15' }));
    const h = live(emp, '2026-05-01');
    expect(openAlerts(h)).toEqual([]);
    expect(h.recommendations[0].status).toBe('RECTIFIED');
  });

  test('a new exceedance of the same factor after the deadline fires on its own, even after a PASSED re-check', () => {
    const emp = employerWith([...insured(), hazard('2026-03-10', 2, 1)]);
    emp.facts.push(recheck(live(emp, '2026-03-20').recommendations[0].id, '2026-03-25', 'PASSED'));
    emp.facts.push(hazard('2026-05-01', 3, 1, { post: '包装' }));
    const h = live(emp, '2026-05-05');
    const overdue = h.alerts.find((a) => a.rule === 'OVERDUE' && a.status === 'OPEN')!;
    expect(overdue.finding.explanation).toContain('期限后（2026年5月1日）再次检测超标');
    expect(openAlerts(h)).toEqual(['HAZARD_EXCEEDED', 'OVERDUE']);
  });

  test('a new exceedance of another factor after the deadline does not', () => {
    const emp = employerWith([...insured(), hazard('2026-03-10', 2, 1)]);
    emp.facts.push(recheck(live(emp, '2026-03-20').recommendations[0].id, '2026-03-25', 'PASSED'));
    emp.facts.push(hazard('2026-05-01', 3, 1, { factor: '噪声' }));
    expect(openAlerts(live(emp, '2026-05-05'))).toEqual(['HAZARD_EXCEEDED']);
  });
});

describe('late reports', () => {
  test('an ordinary accident reported after its window is listed for its department with the reason', () => {
    const h = live(employerWith([...insured(), accident('2025-03-01', { known: '2026-11-20' })]), '2026-11-24');
    expect(h.feedIssues).toEqual([expect.objectContaining({ kind: 'LATE_REPORT', department: 'emergency', eventType: 'accident' })]);
    expect(h.feedIssues[0].reason).toMatch(/迟报：2025年3月1日发生，2026年11月20日报送，晚 629 日/);
  });
});

test('the same facts in any order give the same history', () => {
  const facts = [
    ...insured(),
    hazard('2026-03-10', 2, 1),
    accident('2026-01-01'),
    accident('2026-05-01'),
    accident('2026-10-01', { deaths: 1, known: '2026-10-03' }),
    injury('2026-10-01', 'psn_z', false, { known: '2026-10-20' }),
    hazard('2026-02-01', 2, 1, { post: '包装', known: '2026-04-01' }),
  ];
  const a = live(employerWith(facts), '2026-11-24');
  const shuffled = [...facts].reverse();
  shuffled.push(shuffled.shift()!);
  const b = live({ ...employerWith(shuffled), employerKey: employerWith([]).employerKey }, '2026-11-24');
  const strip = (h: History) => JSON.stringify({ ...h, alerts: h.alerts.map((x) => ({ ...x, alertId: '' })), recommendations: h.recommendations.map((r) => ({ ...r, id: '', alertId: '', mergedInto: '' })) });
  expect(strip(b)).toEqual(strip(a));
  expect(openAlerts(a)).toEqual(['ACCIDENT_PRONE', 'HAZARD_EXCEEDED', 'OVERDUE', 'PRIORITY', 'TYPICAL_ACCIDENT', 'UNINSURED']);
});

describe('training of key-post staff (培训)', () => {
  const priorityFirm = (industry: string, extra: ReturnType<typeof training>[] = []) =>
    employerWith([employerRecord('2026-01-01', 10, industry), hazard('2026-03-01', 3, 1), accident('2026-03-02'), ...extra], industry);

  test('a key-industry PRIORITY employer without training in 365 days gets a training item in its joint letter, for 人社', () => {
    const h = live(priorityFirm('C3011'), '2026-03-10');
    const [letter] = openRecs(h);
    expect(letter.joint).toBe(true);
    const item = letter.items.find((i) => i.rule === 'KEY_POST_TRAINING')!;
    expect(item).toMatchObject({ department: 'hrss', status: 'OPEN' });
    expect(item.details[0]).toContain('近 365 日无工伤预防培训记录（无培训记录）');
  });

  test('training within the last 365 days means no training item', () => {
    const h = live(priorityFirm('C3011', [training('2025-06-01')]), '2026-03-10');
    expect(openRecs(h)[0].items.map((i) => i.rule)).not.toContain('KEY_POST_TRAINING');
  });

  test('training held after the letter rectifies the item by the training records', () => {
    const emp = priorityFirm('C3011');
    emp.facts.push(training('2026-03-20', { known: '2026-03-21' }));
    const item = live(emp, '2026-04-01').recommendations[0].items.find((i) => i.rule === 'KEY_POST_TRAINING')!;
    expect(item).toMatchObject({ status: 'RECTIFIED', resolvedOn: '2026-03-21' });
  });

  test('outside the key industries there is no training item', () => {
    const h = live(priorityFirm('F5211'), '2026-03-10');
    expect(h.recommendations.flatMap((r) => r.items.map((i) => i.rule))).not.toContain('KEY_POST_TRAINING');
  });
});
