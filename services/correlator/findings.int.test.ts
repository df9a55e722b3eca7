import { Knex } from 'knex';
import { scratchDatabase } from '../../test/stack';
import { feed, scenario } from '../../test/fixtures/events';
import { makeUscc } from '../../test/fixtures/uscc';
import { loadRegionConfig } from '../shared/regionConfig';
import { computeSectionRates } from './sectionRates';
import { sweep } from './sweep';

/**
 * What departments act on must be stable and defensible: the findings a civil servant made trying
 * the hub, one scenario each, fed through the real batch processor into a real database.
 */
const region = loadRegionConfig({});
let db: Knex;
scratchDatabase('each', (d) => (db = d));

const at = (day: string, hour = 10) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);
const newEmployer = (name = '宿迁示例建材有限公司') => {
  const uscc = makeUscc(`${name}-${Math.random()}`);
  return { uscc, ...scenario(uscc, '2026-01-01', name) };
};
const openAlerts = async (uscc: string) => (await db('alert').where({ employer_key: uscc, status: 'OPEN' }).orderBy('rule')).map((a) => a.rule);
const recs = (uscc: string) => db('recommendation').where({ employer_key: uscc }).orderBy(['issued_at', 'recommendation_id']);
const outboxCount = async () => Number((await db('outbox').count<{ n: string }[]>('* as n'))[0].n);

test('1. a sweep with nothing changed publishes nothing, and versions do not move (also the next day)', async () => {
  const e = newEmployer();
  await feed(db, region, [e.employer('2026-01-01', 30), ...e.staff(10, '2026-01-01'), e.hazard('2026-03-10', 3, 1, { received: '2026-03-10' }), e.accident('2026-03-12', { received: '2026-03-12' })], at('2026-03-20'));
  await sweep(db, region, at('2026-03-20'));
  const before = await outboxCount();
  const versions = await db('alert').select('alert_id', 'version').orderBy('alert_id');
  await sweep(db, region, at('2026-03-20', 11));
  await sweep(db, region, at('2026-03-21'));
  expect(await outboxCount()).toBe(before);
  expect(await db('alert').select('alert_id', 'version').orderBy('alert_id')).toEqual(versions);
});

test('2. a late sample dated before a PASSED re-check neither re-keys the recommendation nor escalates against the employer', async () => {
  const e = newEmployer();
  await feed(db, region, [e.employer('2026-01-01', 10), ...e.staff(10, '2026-01-01'), e.hazard('2026-03-10', 2.6, 1, { received: '2026-03-10' })], at('2026-03-10'));
  const [a] = await recs(e.uscc);
  expect(a).toMatchObject({ issued_at: '2026-03-10', deadline: '2026-04-09', status: 'OPEN' });
  await feed(db, region, [e.recheck(a.document_number, '2026-03-25', 'PASSED', { received: '2026-03-25' })], at('2026-03-25'));
  await feed(db, region, [e.hazard('2026-03-01', 3, 1, { received: '2026-03-28' })], at('2026-03-28'));
  await sweep(db, region, at('2026-06-01'));
  const all = await recs(e.uscc);
  expect(all).toHaveLength(1);
  expect(all[0]).toMatchObject({ recommendation_id: a.recommendation_id, document_number: a.document_number, deadline: '2026-04-09', status: 'RECTIFIED' });
  expect(await openAlerts(e.uscc)).toEqual([]);
});

test('3. an employer dangerous and uninsured holds one open letter per department: one joint letter, not five', async () => {
  const e = newEmployer();
  const received = { received: '2026-03-01' };
  await feed(
    db,
    region,
    [e.employer('2026-01-01', 30, 'C3011', received), e.hazard('2026-02-20', 3, 1, received), ...[1, 2, 3].map((d) => e.accident(`2026-02-1${d}`, received)), e.injury('2026-02-11', 'psn_q', false, received)],
    at('2026-03-02'),
  );
  expect(await openAlerts(e.uscc)).toEqual(['ACCIDENT_PRONE', 'HAZARD_EXCEEDED', 'PRIORITY', 'UNDER_INSURED', 'UNINSURED']);
  const open = (await recs(e.uscc)).filter((r) => ['OPEN', 'OVERDUE'].includes(r.status));
  expect(open).toHaveLength(1);
  expect(open[0]).toMatchObject({ kind: 'JOINT', joint: true, departments: ['health', 'emergency', 'hrss'] });
  expect(open[0].items.map((i: { rule: string }) => i.rule).sort()).toEqual(['ACCIDENT_PRONE', 'HAZARD_EXCEEDED', 'KEY_POST_TRAINING', 'UNDER_INSURED', 'UNINSURED']);
});

test('4. a fourth accident joining a circulated cluster is recorded with it, not circulated again', async () => {
  const firms = [1, 2, 3, 4].map((i) => newEmployer(`宿迁第${i}热力有限公司`));
  const boiler = (f: (typeof firms)[number], day: string, received: string) => [
    f.employer('2026-01-01', 50, 'D4430', { received }),
    f.accident(day, { category: 16, received }),
  ];
  await feed(db, region, [...boiler(firms[0], '2026-10-01', '2026-10-02'), ...boiler(firms[1], '2026-10-08', '2026-10-09'), ...boiler(firms[2], '2026-10-15', '2026-10-16')], at('2026-10-16'));
  await sweep(db, region, at('2026-10-16'));
  await feed(db, region, boiler(firms[3], '2026-10-20', '2026-10-21'), at('2026-10-21'));
  await sweep(db, region, at('2026-10-21'));
  const notices = await db('notice').where('kind', 'TYPICAL_ACCIDENT');
  expect(notices).toHaveLength(1);
  expect(notices[0].evidence).toHaveLength(3);
  expect(notices[0].joined).toHaveLength(1);
  expect(notices[0].title).toBe('关于电力、热力、燃气及水生产和供应业锅炉爆炸事故集中发生情况的通报');
});

test('5. a new exceeding sample of the same factor after the deadline fires OVERDUE on its own, after a PASSED re-check', async () => {
  const e = newEmployer();
  await feed(db, region, [e.employer('2026-01-01', 10), ...e.staff(10, '2026-01-01'), e.hazard('2026-03-10', 2, 1, { received: '2026-03-10' })], at('2026-03-10'));
  const [a] = await recs(e.uscc);
  await feed(db, region, [e.recheck(a.recommendation_id, '2026-03-25', 'PASSED', { received: '2026-03-25' })], at('2026-03-25'));
  await feed(db, region, [e.hazard('2026-05-01', 3, 1, { post: '包装', received: '2026-05-02' })], at('2026-05-02'));
  expect(await openAlerts(e.uscc)).toEqual(['HAZARD_EXCEEDED', 'OVERDUE']);
  const overdue = await db('alert').where({ employer_key: e.uscc, rule: 'OVERDUE', status: 'OPEN' }).first();
  expect(overdue.explanation).toContain('再次检测超标');
  expect(overdue.routed_to).toEqual(['health']);
});

test('6. the plain accident rate decides: 20 insured, 2 accidents, section average 2 per 100 is accident-prone', async () => {
  await db('section_rate').insert({ section: 'C', accidents: 200, insured_workers: 10_000, computed_at: new Date() });
  const e = newEmployer();
  await feed(db, region, [e.employer('2026-01-01', 20), ...e.staff(20, '2026-01-01'), e.accident('2026-06-01', { received: '2026-06-01' }), e.accident('2026-11-01', { received: '2026-11-01' })], at('2026-11-02'));
  expect(await openAlerts(e.uscc)).toContain('ACCIDENT_PRONE');
});

test('7. in a dust industry, fewer dust-exposed workers enrolled than the measurements name is under-insured', async () => {
  const e = newEmployer();
  await feed(
    db,
    region,
    [e.employer('2026-01-01', 20), ...e.staff(5, '2026-01-01', { dust: true }), ...e.staff(15, '2026-01-01').map((x, i) => ({ ...x, value: { ...x.value, personId: `psn_other_${i}` } })), e.hazard('2026-06-01', 0.5, 1, { exposedWorkers: 10 })],
    at('2026-06-02'),
  );
  expect(await openAlerts(e.uscc)).toEqual(['UNDER_INSURED']);
  const alert = await db('alert').where({ employer_key: e.uscc, rule: 'UNDER_INSURED' }).first();
  expect(alert.explanation).toContain('接尘人数 10 人，接尘岗位参保 5 人');
});

test('8. UNINSURED is judged on the event date: nobody enrolled on the accident day, one worker enrolled ten days later', async () => {
  const e = newEmployer('宿迁示例商贸有限公司');
  await feed(db, region, [e.accident('2026-01-10', { received: '2026-01-25' }), e.enroll('psn_1', '2026-01-20', { received: '2026-01-25' })], at('2026-02-01'));
  expect(await openAlerts(e.uscc)).toEqual(['UNINSURED']);
  const f = newEmployer('宿迁示例物流有限公司');
  await feed(db, region, [f.enroll('psn_a', '2026-01-01'), f.injury('2026-03-01', 'psn_b', false, { received: '2026-03-05' }), f.enroll('psn_b', '2026-03-10', { received: '2026-03-12' })], at('2026-03-20'));
  expect(await openAlerts(f.uscc)).toEqual(['UNINSURED']);
});

test('9. 参保证明编号 “无” is no certificate, and an accident reported under a subcontractor escalates the project', async () => {
  const general = newEmployer('宿迁示例建设集团有限公司');
  const sub = newEmployer('宿迁示例劳务有限公司');
  await feed(db, region, [general.project('XM-001', '2026-03-01', '无', { received: '2026-02-20' })], at('2026-02-21'));
  const before = await db('alert').where({ employer_key: general.uscc, rule: 'PROJECT_UNINSURED', status: 'OPEN' }).first();
  expect(before.severity).toBe('MEDIUM');
  await feed(db, region, [sub.accident('2026-04-01', { projectId: 'XM-001', received: '2026-04-02', department: 'housing' }), ...sub.staff(3, '2026-01-01')], at('2026-04-02'));
  const after = await db('alert').where({ employer_key: general.uscc, rule: 'PROJECT_UNINSURED', status: 'OPEN' }).first();
  expect(after.severity).toBe('HIGH');
  expect(after.explanation).toContain('项目上已发生事故 1 起');
});

test('11. a corrected project row that now carries its certificate ends PROJECT_UNINSURED', async () => {
  const e = newEmployer('宿迁示例建设有限公司');
  await feed(db, region, [e.project('XM-002', '2026-03-01', '', { eventId: 'XM-002', received: '2026-02-20' })], at('2026-02-21'));
  expect(await openAlerts(e.uscc)).toEqual(['PROJECT_UNINSURED']);
  await feed(db, region, [e.project('XM-002', '2026-03-01', 'SQGS-2026-0088', { eventId: 'XM-002', revision: 2, received: '2026-03-05', firstReceived: '2026-02-20' })], at('2026-03-05'));
  expect(await openAlerts(e.uscc)).toEqual([]);
  expect((await db('fact').where({ event_id: 'XM-002' }).first()).payload.insuranceCertificate).toBe('SQGS-2026-0088');
});

test('12. a pneumoconiosis diagnosis reported more than 365 days late still raises its alert (迟报); a late ordinary accident is listed', async () => {
  const e = newEmployer();
  await feed(db, region, [...e.staff(5, '2020-01-01'), e.disease('2025-03-01', 3, { received: '2026-11-20' }), e.accident('2025-05-01', { received: '2026-11-20' })], at('2026-11-24'));
  expect(await openAlerts(e.uscc)).toEqual(['EARLY_PNEUMOCONIOSIS']);
  expect((await db('alert').where({ employer_key: e.uscc }).first()).late).toBe(true);
  const issues = await db('feed_issue').where({ employer_key: e.uscc }).orderBy('event_type');
  expect(issues.map((i) => [i.department, i.event_type, i.kind])).toEqual([
    ['emergency', 'accident', 'LATE_REPORT'],
    ['health', 'disease', 'LATE_REPORT'],
  ]);
  expect(issues[0].reason).toContain('迟报：2025年5月1日发生，2026年11月20日报送');
});

test('13. days are Shanghai days: what arrives at 00:30 Beijing time belongs to that day, not to the UTC day before', async () => {
  const e = newEmployer();
  const lateEvening = (x: { value: Record<string, unknown> }, ingestedAt: string) => ({ ...x, value: { ...x.value, ingestedAt, firstIngestedAt: ingestedAt } }) as never;
  await feed(
    db,
    region,
    [
      e.employer('2026-01-01', 10),
      ...e.staff(10, '2026-01-01'),
      lateEvening(e.accident('2026-11-20T15:30:00.000Z', { deaths: 1 }), '2026-11-20T16:30:00.000Z'), // 23:30 and 00:30 in Shanghai
      lateEvening(e.hazard('2026-11-20', 2, 1), '2026-11-20T16:30:00.000Z'),
    ],
    at('2026-11-22'),
  );
  await sweep(db, region, at('2026-11-22'));
  const notice = await db('notice').first();
  expect(notice.issued_at).toBe('2026-11-21');
  expect(notice.title).toContain('“11·20”');
  const [rec] = await recs(e.uscc);
  expect(rec).toMatchObject({ issued_at: '2026-11-21', deadline: '2026-12-21' });
});

test('15. a re-check from a department the recommendation is not addressed to does not close it', async () => {
  const e = newEmployer();
  await feed(db, region, [e.employer('2026-01-01', 10), ...e.staff(10, '2026-01-01'), e.hazard('2026-03-10', 2, 1, { received: '2026-03-10' })], at('2026-03-10'));
  const [a] = await recs(e.uscc);
  await feed(db, region, [e.recheck(a.recommendation_id, '2026-03-20', 'PASSED', { received: '2026-03-20', department: 'emergency' })], at('2026-03-20'));
  expect((await recs(e.uscc))[0].status).toBe('OPEN');
  expect(await db('feed_issue').where({ employer_key: e.uscc, kind: 'RECHECK_NOT_ADDRESSEE' })).toHaveLength(1);
});

test('15. an employer whose workers all left years ago is no longer UNINSURED', async () => {
  const e = newEmployer('宿迁示例旧厂有限公司');
  await feed(db, region, [e.enroll('psn_1', '2019-01-01', { received: '2019-01-01' }), e.enroll('psn_1', '2022-06-01', { terminate: true, received: '2022-06-01' })], at('2026-11-24'));
  expect(await openAlerts(e.uscc)).toEqual([]);
});

test('the sweep looks only at employers whose windows or deadlines have come, and raises OVERDUE the day after a deadline', async () => {
  const e = newEmployer();
  const quiet = newEmployer('宿迁示例安静有限公司');
  await feed(db, region, [e.employer('2026-01-01', 10), ...e.staff(10, '2026-01-01'), e.hazard('2026-03-10', 2, 1, { received: '2026-03-10' })], at('2026-03-10'));
  await feed(db, region, [quiet.employer('2026-01-01', 10, 'F5211'), ...quiet.staff(10, '2026-01-01')], at('2026-03-10'));
  await sweep(db, region, at('2026-03-11'));
  expect((await sweep(db, region, at('2026-03-12'))).employers).toBe(0);
  expect((await sweep(db, region, at('2026-04-09'))).employers).toBe(0); // the deadline day itself
  const due = await sweep(db, region, at('2026-04-10'));
  expect(due.employers).toBe(1);
  expect(await openAlerts(e.uscc)).toEqual(['HAZARD_EXCEEDED', 'OVERDUE']);
  expect(await openAlerts(quiet.uscc)).toEqual([]);
});

test("a section's insured workers count each person once, by their latest action up to today; its accidents only those in the window", async () => {
  const a = newEmployer('宿迁示例甲建材有限公司');
  const b = newEmployer('宿迁示例乙机械有限公司');
  const c = newEmployer('宿迁示例丙物流有限公司');
  const received = { received: '2026-11-20' };
  await feed(
    db,
    region,
    [
      a.employer('2026-01-01', 10, 'C3011', received),
      a.enroll('psn_left', '2026-01-01', received),
      a.enroll('psn_left', '2026-05-01', { ...received, terminate: true }), // left: not insured
      a.enroll('psn_stays', '2026-01-01', received),
      a.enroll('psn_twice', '2026-01-01', received),
      a.enroll('psn_twice', '2026-03-01', received), // enrolled twice: one person
      a.enroll('psn_later', '2026-12-01', received), // not yet in force
      b.employer('2026-01-01', 10, 'C3032', received),
      ...b.staff(3, '2026-01-01', received),
      b.accident('2026-10-01', received),
      b.accident('2024-10-01', received), // outside the 365-day window
      c.employer('2026-01-01', 10, 'F5211', received),
      ...c.staff(2, '2026-01-01', received),
    ],
    at('2026-11-24'),
  );
  const rates = await computeSectionRates(db, region, at('2026-11-24'));
  expect(rates).toEqual({ C: { accidents: 1, insuredWorkers: 5 }, F: { accidents: 0, insuredWorkers: 2 } });
});
