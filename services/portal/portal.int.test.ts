import { connectStack, Stack } from '../../test/stack';
import { A, A_FUZZY_KEY, A_NAME_KEY, B, C, CLEAR_ID, seedPortalScenario as seed, uscc } from '../../test/fixtures/portalScenario';
import { citizenIdProblem } from '../shared/identifiers';
import { loadRegionConfig } from '../shared/regionConfig';
import { documentStamp } from '../shared/documents';
import { startPortal, Portal } from './portal';

/**
 * The read API against the real PostgreSQL: a known scenario written straight into the
 * correlator's tables, then read back as each department would.
 */

let stack: Stack;
let portal: Portal;

async function get(path: string, department?: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(portal.url + path, { headers: department ? { authorization: `Bearer dev-${department}` } : {} });
  return { status: res.status, body: await res.json() };
}
const alertIds = (body: { alerts: { alertId: string }[] }) => body.alerts.map((a) => a.alertId);
/** An open alert row as the correlator writes it (for rows a test adds and removes). */
const alertRow = (alert_id: string, employer_key: string, rule: string, score: number, routed_to: string[], extra: Record<string, unknown> = {}) => ({
  alert_id, employer_key, rule, status: 'OPEN', close_reason: null, severity: 'HIGH', score, explanation: `${rule} 的说明`, evidence: '[]', routed_to,
  opened_at: '2026-03-05T00:00:00+08:00', updated_at: '2026-03-20T00:00:00+08:00', closed_at: null, version: 1, ...extra,
});

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  await seed(stack.db);
  // No reporter runs beside this portal: what it would have to build is answered in time.
  portal = await startPortal({ config: stack.config, port: 0, waitMs: 1_500 });
});

afterAll(async () => {
  await portal?.close();
  await stack?.close();
});

describe('who reads which alerts', () => {
  test('人社 sees every open alert, the highest score first, and no superseded or closed ones', async () => {
    const { status, body } = await get('/api/v1/alerts', 'hrss');
    expect(status).toBe(200);
    expect(alertIds(body)).toEqual(['ALT-A-PRIORITY', 'ALT-A-PRONE', 'ALT-A-HAZARD', 'ALT-B-PROJECT']);
    expect(body.total).toBe(4);
  });

  test('应急 sees only the alerts routed to it', async () => {
    expect(alertIds((await get('/api/v1/alerts', 'emergency')).body)).toEqual(['ALT-A-PRIORITY', 'ALT-A-PRONE']);
    expect(alertIds((await get('/api/v1/alerts', 'housing')).body)).toEqual(['ALT-B-PROJECT']);
    expect(alertIds((await get('/api/v1/alerts', 'market')).body)).toEqual([]);
  });

  test('总工会 reads the alerts of PRIORITY, TYPICAL_ACCIDENT and OVERDUE only, and no recommendations', async () => {
    const extra = ['ALT-B-OVERDUE', 'ALT-C-TYPICAL'];
    await stack.db('alert').insert([
      { ...alertRow('ALT-B-OVERDUE', B, 'OVERDUE', 75, ['housing']) },
      { ...alertRow('ALT-C-TYPICAL', C, 'TYPICAL_ACCIDENT', 70, ['emergency']) },
    ]);
    try {
      expect(alertIds((await get('/api/v1/alerts', 'union')).body)).toEqual(['ALT-A-PRIORITY', 'ALT-B-OVERDUE', 'ALT-C-TYPICAL']);
      expect(alertIds((await get('/api/v1/alerts?rule=ACCIDENT_PRONE', 'union')).body)).toEqual([]);
      expect((await get('/api/v1/alerts', 'union')).body.total).toBe(3);
    } finally {
      await stack.db('alert').whereIn('alert_id', extra).delete();
    }
    const recs = await get('/api/v1/recommendations', 'union');
    expect(recs.status).toBe(403);
    expect(recs.body.message).toMatch(/无权查看/);
  });

  test('a request without a token, or with an unknown one, is refused with 401 and a Chinese message', async () => {
    const none = await get('/api/v1/alerts');
    expect(none.status).toBe(401);
    expect(none.body.message).toMatch(/令牌/);
    const res = await fetch(`${portal.url}/api/v1/alerts`, { headers: { authorization: 'Bearer dev-nobody' } });
    expect(res.status).toBe(401);
  });

  test('an alert carries its evidence by department, its routing and its employer', async () => {
    const a = (await get('/api/v1/alerts?rule=PRIORITY', 'hrss')).body.alerts[0];
    expect(a).toMatchObject({
      alertId: 'ALT-A-PRIORITY',
      rule: 'PRIORITY',
      status: 'OPEN',
      severity: 'CRITICAL',
      score: 95,
      routedTo: ['hrss', 'emergency', 'health'],
      version: 1,
      closedAt: null,
      employer: { employerKey: A, uscc: A, name: '宿迁示例建材有限公司', regionCode: '321302' },
      evidence: {
        health: [{ eventType: 'hazard', eventId: 'HZ-001' }],
        emergency: [{ eventType: 'accident', eventId: 'AC-001' }],
        hrss: [{ eventType: 'injury', eventId: 'IN-001' }],
      },
    });
    expect(a.openedAt).toBe('2026-03-04T16:00:00.000Z');
  });

  test('an alert says in Chinese what its rule is, and whether it rests on late reports (迟报)', async () => {
    const alerts = (await get('/api/v1/alerts', 'emergency')).body.alerts;
    expect(alerts.find((x: { alertId: string }) => x.alertId === 'ALT-A-PRONE')).toMatchObject({ ruleLabel: '事故多发', late: true, raisedOn: '2026-03-06', severityLabel: '高' });
    expect(alerts.find((x: { alertId: string }) => x.alertId === 'ALT-A-PRIORITY')).toMatchObject({ ruleLabel: '高危且未足额参保（重点）', late: false });
  });
});

describe('filtering alerts', () => {
  test('by employer, by rule and by status', async () => {
    expect(alertIds((await get(`/api/v1/alerts?uscc=${B}`, 'hrss')).body)).toEqual(['ALT-B-PROJECT']);
    expect(alertIds((await get(`/api/v1/alerts?uscc=${encodeURIComponent(A_NAME_KEY)}`, 'hrss')).body)).toEqual(['ALT-A-PRIORITY', 'ALT-A-PRONE', 'ALT-A-HAZARD']);
    expect(alertIds((await get('/api/v1/alerts?rule=ACCIDENT_PRONE', 'hrss')).body)).toEqual(['ALT-A-PRONE']);
    expect(alertIds((await get('/api/v1/alerts?status=CLOSED', 'hrss')).body)).toEqual(['ALT-B-UNINSURED']);
    expect(alertIds((await get(`/api/v1/alerts?status=ALL&uscc=${B}`, 'hrss')).body)).toEqual(['ALT-B-UNINSURED', 'ALT-B-PROJECT']);
  });

  test('superseded alerts only show when asked for by name', async () => {
    const all = alertIds((await get('/api/v1/alerts?status=ALL&limit=1000', 'hrss')).body);
    expect(all).toHaveLength(5);
    expect(all).not.toContain('ALT-A-PRONE-OLD');
    expect(alertIds((await get('/api/v1/alerts?status=SUPERSEDED', 'emergency')).body)).toEqual(['ALT-A-PRONE-OLD']);
  });

  test('pages with limit and offset, and refuses nonsense parameters in Chinese', async () => {
    const page = (await get('/api/v1/alerts?limit=2&offset=1', 'hrss')).body;
    expect(alertIds(page)).toEqual(['ALT-A-PRONE', 'ALT-A-HAZARD']);
    expect(page.total).toBe(4);
    const badRule = await get('/api/v1/alerts?rule=NOPE', 'hrss');
    expect(badRule.status).toBe(400);
    expect(badRule.body.message).toMatch(/未知的规则/);
    expect((await get('/api/v1/alerts?status=MAYBE', 'hrss')).status).toBe(400);
    expect((await get('/api/v1/alerts?limit=0', 'hrss')).status).toBe(400);
  });
});

describe('an employer profile', () => {
  test('人社 sees the profile, the name variants linked to it and a timeline in event time', async () => {
    const { status, body } = await get(`/api/v1/employers/${A}`, 'hrss');
    expect(status).toBe(200);
    expect(body).toMatchObject({ employerKey: A, uscc: A, name: '宿迁示例建材有限公司', regionCode: '321302', industryCode: 'C3011', headcount: 120, headcountAsOf: '2026-01-01' });
    expect(body.aliases).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rawKey: A_FUZZY_KEY, kind: 'NAME', name: '宿迁示例建材公司', confidence: 0.85, method: 'NAME_FUZZY' }),
        expect.objectContaining({ rawKey: A_NAME_KEY, method: 'USCC_NAME', confidence: 1 }),
      ]),
    );
    expect(body.timeline.map((t: { eventId: string }) => t.eventId)).toEqual(['EN-001', 'IN-001', 'AC-001', 'HZ-001', 'DS-001']);
    const times = body.timeline.map((t: { eventTime: string }) => t.eventTime);
    expect([...times].sort()).toEqual(times);
    expect(body.timeline.find((t: { eventId: string }) => t.eventId === 'AC-001')).toEqual({
      eventType: 'accident',
      department: 'emergency',
      eventId: 'AC-001',
      eventTime: '2026-02-10T01:30:00.000Z',
      summary: '事故：机械伤害，重伤 1 人',
    });
    expect(body.timeline.find((t: { eventId: string }) => t.eventId === 'HZ-001').summary).toMatch(/矽尘.*超标 2\.6 倍/);
    expect(body.alerts.map((a: { alertId: string }) => a.alertId)).toEqual(['ALT-A-PRIORITY', 'ALT-A-PRONE', 'ALT-A-HAZARD']);
    expect(body.recommendations.map((r: { recommendationId: string }) => r.recommendationId)).toEqual(['REC-A-PRIORITY', 'REC-A-HAZARD']);
    expect(body.timelineTotal).toBe(5);
  });

  test('the profile never shows a person: no pseudonym, no citizen ID number', async () => {
    const text = JSON.stringify((await get(`/api/v1/employers/${A}`, 'hrss')).body);
    expect(text).not.toMatch(/psn_/);
    expect(text).not.toMatch(/personId/);
    const ids = [...text.matchAll(/\d{17}[\dX]/g)].map((m) => m[0]).filter((s) => citizenIdProblem(s) === null);
    expect(ids).toEqual([]);
    expect(text).not.toContain(CLEAR_ID);
  });

  test('a name key, URL-encoded, opens the same employer', async () => {
    const { status, body } = await get(`/api/v1/employers/${encodeURIComponent(A_FUZZY_KEY)}`, 'hrss');
    expect(status).toBe(200);
    expect(body.employerKey).toBe(A);
  });

  test('a department with an alert of the employer reads it, seeing only its own alerts and recommendations', async () => {
    const { status, body } = await get(`/api/v1/employers/${A}`, 'emergency');
    expect(status).toBe(200);
    expect(body.alerts.map((a: { alertId: string }) => a.alertId)).toEqual(['ALT-A-PRIORITY', 'ALT-A-PRONE']);
    expect(body.recommendations.map((r: { recommendationId: string }) => r.recommendationId)).toEqual(['REC-A-PRIORITY']);
  });

  test('another department sees its own facts and the register data, never another department’s facts', async () => {
    const emergency = (await get(`/api/v1/employers/${A}`, 'emergency')).body;
    expect(emergency).toMatchObject({ name: '宿迁示例建材有限公司', industryCode: 'C3011', headcount: 120 });
    expect(emergency.timeline.map((t: { eventId: string }) => t.eventId)).toEqual(['AC-001']);
    expect(emergency.timelineTotal).toBe(1);
    // No disease names, enrolment history or their records; the joint letter it co-signs and the
    // alerts routed to it do name the evidence of the others (as ids and their own words).
    const text = JSON.stringify(emergency);
    for (const hidden of ['矽肺', '参保登记', '职业病诊断', 'DS-001', 'EN-001']) expect(text).not.toContain(hidden);
    const health = (await get(`/api/v1/employers/${A}`, 'health')).body;
    expect(health.timeline.map((t: { eventId: string }) => t.eventId)).toEqual(['HZ-001', 'DS-001']);
  });

  test('a department that has nothing to do with the employer gets 403; an unknown employer 404 for 人社 only', async () => {
    const housing = await get(`/api/v1/employers/${A}`, 'housing');
    expect(housing.status).toBe(403);
    expect(housing.body.message).toMatch(/无权查看/);
    expect((await get(`/api/v1/employers/${C}`, 'market')).status).toBe(403);
    expect((await get(`/api/v1/employers/${C}`, 'hrss')).status).toBe(200);
    const nobody = uscc('91321399MA0000000');
    const unknown = await get(`/api/v1/employers/${nobody}`, 'hrss');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/未找到用人单位/);
    // Authorisation before existence: a department cannot tell an unknown employer from a hidden one.
    expect((await get(`/api/v1/employers/${nobody}`, 'emergency')).status).toBe(403);
    expect((await get(`/api/v1/employers/${A}`, 'union')).status).toBe(403);
  });

  test('a closed alert or recommendation opens the profile for 365 days after it closed, not longer', async () => {
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
    await stack.db('alert').insert(alertRow('ALT-C-OLD', C, 'PROJECT_UNINSURED', 40, ['transport'], { status: 'CLOSED', close_reason: 'CONDITION_ENDED', closed_at: daysAgo(400) }));
    try {
      expect((await get(`/api/v1/employers/${C}`, 'transport')).status).toBe(403);
      await stack.db('alert').where('alert_id', 'ALT-C-OLD').update({ closed_at: daysAgo(300) });
      expect((await get(`/api/v1/employers/${C}`, 'transport')).status).toBe(200);
      await stack.db('alert').where('alert_id', 'ALT-C-OLD').update({ closed_at: daysAgo(400) });
      await stack.db('recommendation').insert({
        recommendation_id: 'REC-C-OLD', alert_id: 'ALT-C-OLD', employer_key: C, rule: 'PROJECT_UNINSURED', kind: 'SUPERVISE', departments: ['transport'],
        issued_at: '2025-01-01', deadline: '2025-01-31', status: 'RECTIFIED', text: '整改建议', version: 1, closed_on: daysAgo(30).toISOString().slice(0, 10),
      });
      expect((await get(`/api/v1/employers/${C}`, 'transport')).status).toBe(200);
    } finally {
      await stack.db('recommendation').where('recommendation_id', 'REC-C-OLD').delete();
      await stack.db('alert').where('alert_id', 'ALT-C-OLD').delete();
    }
  });
});

describe('recommendations, notices and the identity review list', () => {
  const recIds = (body: { recommendations: { recommendationId: string }[] }) => body.recommendations.map((r) => r.recommendationId);

  test('人社 sees every pending recommendation, nearest deadline first; departments see theirs', async () => {
    expect(recIds((await get('/api/v1/recommendations', 'hrss')).body)).toEqual(['REC-A-PRIORITY', 'REC-A-HAZARD', 'REC-B-PROJECT']);
    expect(recIds((await get('/api/v1/recommendations', 'health')).body)).toEqual(['REC-A-PRIORITY', 'REC-A-HAZARD']);
    expect(recIds((await get('/api/v1/recommendations', 'housing')).body)).toEqual(['REC-B-PROJECT']);
    expect(recIds((await get('/api/v1/recommendations?status=OVERDUE', 'hrss')).body)).toEqual(['REC-A-PRIORITY']);
    expect(recIds((await get('/api/v1/recommendations?status=ALL', 'hrss')).body)).toHaveLength(4);
    const r = (await get('/api/v1/recommendations?status=WITHDRAWN', 'hrss')).body.recommendations[0];
    expect(r).toMatchObject({ recommendationId: 'REC-B-OLD', issuedAt: '2026-03-05', deadline: '2026-02-01', employer: { uscc: B }, statusLabel: '已撤回（问题消除）' });
  });

  test('a recommendation carries its 发文字号, whether it is joint, its problems and Chinese labels of rule, kind and status', async () => {
    const r = (await get(`/api/v1/recommendations?uscc=${A}&status=OVERDUE`, 'hrss')).body.recommendations[0];
    expect(r).toMatchObject({
      recommendationId: 'REC-A-PRIORITY',
      documentNumber: '宿工预建〔2026〕7号',
      joint: true,
      kind: 'JOINT',
      kindLabel: '联合督办建议',
      status: 'OVERDUE',
      statusLabel: '已逾期',
      ruleLabel: '高危且未足额参保（重点）',
      departmentNames: ['人力资源和社会保障局', '应急管理局', '卫生健康委员会'],
      documents: { docx: '/api/v1/recommendations/REC-A-PRIORITY.docx', pdf: '/api/v1/recommendations/REC-A-PRIORITY.pdf' },
    });
    expect(r.items).toEqual([
      {
        rule: 'ACCIDENT_PRONE', ruleLabel: '事故多发', department: 'emergency', departmentName: '应急管理局', issuedAt: '2026-03-05', deadline: '2026-03-20',
        status: 'OPEN', statusLabel: '整改中', resolvedAt: null, details: ['2026年2月10日 机械伤害事故，死亡 0 人、重伤 1 人、轻伤 0 人'],
        evidence: { emergency: [{ eventType: 'accident', eventId: 'AC-001' }] },
      },
      {
        rule: 'UNINSURED', ruleLabel: '未依法参保', department: 'hrss', departmentName: '人力资源和社会保障局', issuedAt: '2026-03-05', deadline: '2026-03-20',
        status: 'RECTIFIED', statusLabel: '已整改', resolvedAt: '2026-03-18', details: ['2026年2月10日受伤职工受伤时未参加工伤保险（人社部门工伤认定记录）'],
        evidence: { hrss: [{ eventType: 'injury', eventId: 'IN-001' }] },
      },
    ]);
    const single = (await get(`/api/v1/recommendations?uscc=${A}&status=OPEN`, 'hrss')).body.recommendations[0];
    expect(single).toMatchObject({ recommendationId: 'REC-A-HAZARD', documentNumber: null, joint: false, kindLabel: '限期整改建议', statusLabel: '整改中', items: [] });
  });

  test('every department reads the notices, with the ID number in the text blanked out', async () => {
    for (const d of ['hrss', 'market', 'union']) {
      const { status, body } = await get('/api/v1/notices', d);
      expect(status).toBe(200);
      expect(body.notices.map((n: { noticeId: string }) => n.noticeId)).toEqual(['NTC-A-001']);
    }
    const n = (await get('/api/v1/notices', 'union')).body.notices[0];
    expect(n.employers).toEqual([{ employerKey: A, uscc: A, name: '宿迁示例建材有限公司', regionCode: '321302' }]);
    expect(n.body).not.toContain(CLEAR_ID);
    expect(n.body).toContain('〔已隐去〕');
    expect(n.documents.docx).toBe('/api/v1/notices/NTC-A-001.docx');
    expect(n).toMatchObject({ documentNumber: '宿工预通〔2026〕1号', kindLabel: '典型事故通报', late: false, version: 1, joined: {} });
  });

  test('notices come a page at a time, with the total, so that a province’s years of circulars never come at once', async () => {
    const total = Number((await stack.db('notice').count<{ n: string }[]>('* as n'))[0].n);
    const first = await get('/api/v1/notices?limit=1', 'union');
    expect(first.body).toMatchObject({ total, limit: 1, offset: 0 });
    expect(first.body.notices).toHaveLength(Math.min(1, total));
    const past = await get(`/api/v1/notices?limit=1&offset=${total}`, 'union');
    expect(past.body).toMatchObject({ total, notices: [] });
    const tooMany = await get('/api/v1/notices?limit=100000', 'union');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/limit/);
  });

  test('a notice not rendered yet, with no reporter to render it, is 503 with Retry-After and a Chinese message', async () => {
    const res = await fetch(`${portal.url}/api/v1/notices/NTC-A-001.docx`, { headers: { authorization: 'Bearer dev-transport' } });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { message: string }).message).toMatch(/通报正在生成.*秒后重试/);
    // The request stays for the reporter to take when it comes.
    expect(await stack.db('report_request').where({ kind: 'DOCUMENT', ref: 'NOTICE:NTC-A-001', status: 'PENDING' }).count({ n: '*' })).toEqual([{ n: '1' }]);
  });

  test('a stored notice of the current content is served without the reporter, named by its number; a stale one is not', async () => {
    const region = loadRegionConfig();
    const bytes = Buffer.from('PK stored docx of the notice');
    const stamp = documentStamp({ kind: 'NOTICE', ref: 'NTC-A-001', version: 1 }, region);
    await stack.db('document').insert({ document_id: 'NOTICE:NTC-A-001', kind: 'NOTICE', ref_id: 'NTC-A-001', document_number: '宿工预通〔2026〕1号', docx: bytes, source_stamp: stamp });
    try {
      const res = await fetch(`${portal.url}/api/v1/notices/NTC-A-001.docx`, { headers: { authorization: 'Bearer dev-transport' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/wordprocessingml/);
      expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain('通报-宿工预通〔2026〕1号.docx');
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
      // The correlator records a further accident with it: the stored file is stale.
      await stack.db('notice').where('notice_id', 'NTC-A-001').update({ version: 2 });
      expect((await fetch(`${portal.url}/api/v1/notices/NTC-A-001.docx`, { headers: { authorization: 'Bearer dev-transport' } })).status).toBe(503);
    } finally {
      await stack.db('notice').where('notice_id', 'NTC-A-001').update({ version: 1 });
      await stack.db('document').where('document_id', 'NOTICE:NTC-A-001').delete();
    }
  });

  test('an unknown notice or format is 404; no token is 401', async () => {
    expect((await get('/api/v1/notices/NTC-NOPE.pdf', 'emergency')).status).toBe(404);
    expect((await get('/api/v1/notices/NTC-A-001.txt', 'emergency')).status).toBe(404);
    expect((await fetch(`${portal.url}/api/v1/notices/NTC-A-001.docx`)).status).toBe(401);
  });

  test('人社 sees the ambiguous name matches waiting for a person; other departments may not', async () => {
    const { status, body } = await get('/api/v1/review/identities', 'hrss');
    expect(status).toBe(200);
    expect(body.reviews).toEqual([
      expect.objectContaining({
        rawKey: 'N:321302:宿迁示例建材厂',
        name: '宿迁示例建材厂',
        regionCode: '321302',
        status: 'OPEN',
        candidates: [
          { employerKey: A, uscc: A, name: '宿迁示例建材有限公司', confidence: 0.7 },
          { employerKey: C, uscc: C, name: '宿迁安然纺织有限公司', confidence: 0.7 },
        ],
      }),
    ]);
    expect((await get('/api/v1/review/identities', 'emergency')).status).toBe(403);
  });
});

describe('the quality of the feeds (feed-issues)', () => {
  beforeAll(async () => {
    const issue = (department: string, event_type: string, event_id: string, kind: string, employer_key: string, reason: string, detected_at: string) => ({
      department, event_type, event_id, kind, employer_key, reason, detected_at,
    });
    await stack.db('feed_issue').insert([
      issue('emergency', 'accident', 'AC-001', 'LATE_REPORT', A, '迟报：2025年1月5日发生，2026年3月11日报送，晚 430 日，超过 365 日的规则时间窗；仍按迟报计入预警', '2026-03-11T02:00:00Z'),
      issue('emergency', 'rectification', 'RC-7', 'RECHECK_NOT_ADDRESSEE', A, '该整改建议的主送部门为 health，emergency 报送的复查结果不予采用', '2026-03-12T02:00:00Z'),
      issue('health', 'rectification', 'RC-9', 'RECHECK_UNKNOWN_RECOMMENDATION', B, '复查记录所填建议书编号“宿工预建〔2026〕99号”未找到对应的整改建议，未予采用', '2026-03-13T02:00:00Z'),
      issue('health', 'disease', 'DS-OLD', 'LATE_REPORT', A, '迟报：2024年12月1日发生，2026年3月1日报送', '2026-03-01T02:00:00Z'),
    ]);
  });

  test('人社 sees every department’s issues, newest first, with Chinese labels, the employer and the reason', async () => {
    const { status, body } = await get('/api/v1/feed-issues', 'hrss');
    expect(status).toBe(200);
    expect(body.total).toBe(4);
    expect(body.issues.map((i: { eventId: string }) => i.eventId)).toEqual(['RC-9', 'RC-7', 'AC-001', 'DS-OLD']);
    expect(body.issues[2]).toEqual({
      department: 'emergency',
      departmentName: '应急管理局',
      eventType: 'accident',
      eventId: 'AC-001',
      kind: 'LATE_REPORT',
      kindLabel: '迟报',
      reason: '迟报：2025年1月5日发生，2026年3月11日报送，晚 430 日，超过 365 日的规则时间窗；仍按迟报计入预警',
      employer: { employerKey: A, uscc: A, name: '宿迁示例建材有限公司', regionCode: '321302' },
      detectedAt: '2026-03-11T02:00:00.000Z',
    });
  });

  test('filtered by kind and department, and paged', async () => {
    const late = (await get('/api/v1/feed-issues?kind=LATE_REPORT', 'hrss')).body;
    expect(late.issues.map((i: { eventId: string }) => i.eventId)).toEqual(['AC-001', 'DS-OLD']);
    const health = (await get('/api/v1/feed-issues?department=health&limit=1&offset=1', 'hrss')).body;
    expect(health).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(health.issues.map((i: { eventId: string }) => i.eventId)).toEqual(['DS-OLD']);
    expect((await get('/api/v1/feed-issues?kind=NOPE', 'hrss')).status).toBe(400);
    expect((await get('/api/v1/feed-issues?limit=5000', 'hrss')).status).toBe(400);
  });

  test('another department sees only its own department’s issues, and may not ask for another’s', async () => {
    const { body } = await get('/api/v1/feed-issues', 'emergency');
    expect(body.total).toBe(2);
    expect(body.issues.map((i: { eventId: string; kindLabel: string }) => [i.eventId, i.kindLabel])).toEqual([
      ['RC-7', '复查结果未采用（非主送部门报送）'],
      ['AC-001', '迟报'],
    ]);
    expect((await get('/api/v1/feed-issues?department=emergency', 'emergency')).body.total).toBe(2);
    const other = await get('/api/v1/feed-issues?department=health', 'emergency');
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/无权查看卫生健康委员会的数据质量问题/);
    expect((await get('/api/v1/feed-issues', 'market')).body).toMatchObject({ total: 0, issues: [] });
  });

  test('without a token, 401', async () => {
    expect((await get('/api/v1/feed-issues')).status).toBe(401);
  });
});

describe('risk lists when the reporter does not answer', () => {
  test('POST waits, bounded, then answers 202 with Retry-After and where to look; the request stays', async () => {
    const res = await fetch(`${portal.url}/api/v1/risk-lists?week=2026-W10`, { method: 'POST', headers: { authorization: 'Bearer dev-hrss' } });
    expect(res.status).toBe(202);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as { week: string; status: string; message: string };
    expect(body).toMatchObject({ week: '2026-W10', status: 'PENDING' });
    expect(body.message).toMatch(/正在生成.*\/api\/v1\/risk-lists\/2026-W10\.json/);
    expect(await stack.db('report_request').where({ kind: 'RISK_LIST', ref: '2026-W10', status: 'PENDING' }).count({ n: '*' })).toEqual([{ n: '1' }]);
  });

  test('a stored list is read without the reporter; one never built is 404 in Chinese', async () => {
    const missing = await get('/api/v1/risk-lists/2026-W10.json', 'hrss');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/尚未生成/);
    expect((await get('/api/v1/risk-lists/latest', 'hrss')).status).toBe(404);
  });
});

describe('health', () => {
  test('healthz answers without a token, readyz checks the database, unknown paths are 404 in Chinese', async () => {
    expect((await fetch(`${portal.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${portal.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.database).toBe('ok');
    const missing = await get('/api/v1/nothing-here', 'hrss');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/没有这个地址/);
  });
});
