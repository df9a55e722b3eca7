import { EVENT_TYPES } from '../services/shared/contract';
import { createLogger } from '../services/shared/logger';
import { Portal, startPortal } from '../services/portal/portal';
import { Gateway, startGateway } from '../services/ingest-gateway/gateway';
import { connectStack, Stack } from './stack';
import { A, B, C, seedPortalScenario } from './fixtures/portalScenario';
import { appRoutes } from './routes';

/**
 * Department isolation, route by route, publish and read (issue 10 "Done when", issue 12 item 3).
 * The routes come from the running express apps, so a new route without a row here fails.
 * The expectations are written from the contract's text (../shared/CONTRACT.md sections 1 and 3),
 * never from the services' own access functions.
 */
const DEPARTMENTS = ['hrss', 'emergency', 'health', 'housing', 'transport', 'market', 'union'] as const;
type Dept = (typeof DEPARTMENTS)[number];
const ALL = DEPARTMENTS;
const HRSS: readonly Dept[] = ['hrss'];
const CHINESE = /[\u4e00-\u9fff]/;

let stack: Stack;
let portal: Portal;
let gateway: Gateway;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  await seedPortalScenario(stack.db);
  await stack.db('feed_issue').insert([
    { department: 'emergency', event_type: 'accident', event_id: 'AC-001', kind: 'LATE_REPORT', employer_key: A, reason: '迟报', detected_at: '2026-03-11T02:00:00Z' },
    { department: 'health', event_type: 'disease', event_id: 'DS-OLD', kind: 'LATE_REPORT', employer_key: A, reason: '迟报', detected_at: '2026-03-01T02:00:00Z' },
  ]);
  const received_at = new Date();
  await stack.db('dead_letter').insert([
    { department: 'emergency', event_type: 'accident', source: 'FILE', event_id: 'AC-BAD', position: 3, reasons: JSON.stringify([{ field: '发生时间', reason: '发生时间不能晚于今天' }]), received_at },
    { department: 'health', event_type: 'hazard', source: 'API', event_id: 'HZ-BAD', position: 0, reasons: JSON.stringify([{ field: 'limit', reason: '缺少限值' }]), received_at },
  ]);
  const logger = createLogger('access-test', 'silent');
  gateway = await startGateway({ config: stack.config, logger, port: 0 });
  // No reporter: an allowed request for something not built is answered 202/404/503, never 401/403.
  // The console's re-checks go to this gateway.
  portal = await startPortal({ config: { ...stack.config, gatewayUrl: gateway.url }, logger, port: 0, waitMs: 300 });
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await portal?.close();
  await stack?.close();
});

/** One request of a route and who may make it, with the contract's words for why. */
interface Case {
  path: string;
  method?: 'GET' | 'POST';
  /** A JSON request body. */
  body?: unknown;
  allowed: readonly Dept[];
  why: string;
}

/** A re-check dated in the future: the gateway refuses the record, so nothing is published. */
const recheck = (recommendationId: string) => ({ recommendationId, result: 'PASSED', verifiedAt: '2099-01-01', note: '' });

// The seed: A has alerts routed to hrss, emergency, health (PRIORITY, ACCIDENT_PRONE,
// HAZARD_EXCEEDED); B to housing (PROJECT_UNINSURED) and hrss (UNINSURED, closed); C none.
const UNKNOWN_EMPLOYER = '91320000000000000X';

const PORTAL: Record<string, Case[]> = {
  'GET /api/v1/alerts': [{ path: '/api/v1/alerts?status=ALL', allowed: ALL, why: '§3: hrss 全部；其他部门读推送给本部门的预警；union 读 PRIORITY、TYPICAL_ACCIDENT、OVERDUE（内容见下方检查）' }],
  'GET /api/v1/employers/:key': [
    { path: `/api/v1/employers/${A}`, allowed: ['hrss', 'emergency', 'health'], why: '§3 单位画像：有推送给本部门的该单位预警或建议才可看' },
    { path: `/api/v1/employers/${B}`, allowed: ['hrss', 'housing'], why: '§3 单位画像：B 的预警推送给住建' },
    { path: `/api/v1/employers/${C}`, allowed: HRSS, why: '§3 单位画像：C 没有推送给任何部门的预警，只有人社可看' },
    { path: `/api/v1/employers/${UNKNOWN_EMPLOYER}`, allowed: HRSS, why: '§3 先授权后判断存在：未知单位对其他部门也是 403' },
  ],
  'GET /api/v1/recommendations': [
    { path: '/api/v1/recommendations?status=ALL', allowed: ['hrss', 'emergency', 'health', 'housing', 'transport', 'market'], why: '§3: 其他部门读发给本部门的整改建议；union 无整改建议' },
  ],
  'GET /api/v1/recommendations/:file': [
    { path: '/api/v1/recommendations/REC-A-PRIORITY.docx', allowed: ['hrss', 'emergency', 'health'], why: '§3: 建议书发给人社、应急、卫健' },
    { path: '/api/v1/recommendations/REC-B-PROJECT.pdf', allowed: ['hrss', 'housing'], why: '§3: 建议书发给住建' },
    { path: '/api/v1/recommendations/REC-NOPE.docx', allowed: HRSS, why: '§3 先授权后判断存在' },
  ],
  'GET /api/v1/notices': [{ path: '/api/v1/notices', allowed: ALL, why: '§3: 每个成员部门都读通报' }],
  'GET /api/v1/notices/:file': [{ path: '/api/v1/notices/NTC-A-001.docx', allowed: ALL, why: '§3: 每个成员部门都读通报' }],
  'GET /api/v1/review/identities': [{ path: '/api/v1/review/identities', allowed: HRSS, why: '§3: 人社读全部，其他部门只读推送给本部门的预警与建议' }],
  'GET /api/v1/risk-lists/latest': [{ path: '/api/v1/risk-lists/latest', allowed: HRSS, why: '风险清单每周向人社提供（§3 生成仅人社）' }],
  'GET /api/v1/risk-lists/:file': [
    { path: '/api/v1/risk-lists/2026-W47.json', allowed: HRSS, why: '风险清单为人社的' },
    { path: '/api/v1/risk-lists/2026-W47.xlsx', allowed: HRSS, why: '风险清单为人社的' },
  ],
  'POST /api/v1/risk-lists': [{ method: 'POST', path: '/api/v1/risk-lists?week=2026-W10', allowed: HRSS, why: '§3: POST /api/v1/risk-lists — generate now (hrss only)' }],
  'GET /api/v1/rate-adjustments': [{ path: '/api/v1/rate-adjustments?cycle=2023-2025', allowed: HRSS, why: '§3: rate-adjustments (hrss; XLSX too)' }],
  'GET /api/v1/rate-adjustments.xlsx': [{ path: '/api/v1/rate-adjustments.xlsx?cycle=2023-2025', allowed: HRSS, why: '§3: rate-adjustments (hrss; XLSX too)' }],
  'GET /api/v1/inspections/plan': [
    { path: '/api/v1/inspections/plan?quarter=2026-Q1', allowed: ['hrss', 'emergency', 'health', 'housing', 'transport'], why: '§3: each department reading its own part（检查部门即 §1 可报送 inspection 者；市场监管、总工会无此部分）' },
  ],
  'GET /api/v1/inspections/plan.xlsx': [
    { path: '/api/v1/inspections/plan.xlsx?quarter=2026-Q1', allowed: ['hrss', 'emergency', 'health', 'housing', 'transport'], why: '同上' },
  ],
  'GET /api/v1/risk-lists/precision': [{ path: '/api/v1/risk-lists/precision', allowed: ALL, why: '§3 未限定读者；只有汇总数字，无单位数据' }],
  'GET /api/v1/risk-lists/precision.xlsx': [{ path: '/api/v1/risk-lists/precision.xlsx', allowed: ALL, why: '同上' }],
  'GET /api/v1/training-coverage': [{ path: '/api/v1/training-coverage', allowed: HRSS, why: '§3: 人社读全部；逐单位数据不属推送给其他部门的预警与建议' }],
  'GET /api/v1/training-coverage.xlsx': [{ path: '/api/v1/training-coverage.xlsx', allowed: HRSS, why: '同上' }],
  'GET /api/v1/feed-issues': [
    { path: '/api/v1/feed-issues', allowed: ALL, why: '§4: departments see the quality of their feeds（内容见下方检查）' },
    { path: '/api/v1/feed-issues?department=health', allowed: ['hrss', 'health'], why: '§4: 只看本部门的报送质量，人社看全部' },
  ],
  'GET /api/v1/audit': [{ path: '/api/v1/audit', allowed: HRSS, why: '审计日志：人社查看谁读了什么' }],
  'GET /api/v1/audit/verify': [{ path: '/api/v1/audit/verify', allowed: HRSS, why: '审计日志仅人社' }],
  // The console's API: the same rules, route by route.
  'GET /api/v1/console/risk-list': [{ path: '/api/v1/console/risk-list?change=NEW', allowed: HRSS, why: '风险清单为人社的（同 /risk-lists）' }],
  'GET /api/v1/console/employers/:key/facts': [
    { path: `/api/v1/console/employers/${A}/facts`, allowed: ['hrss', 'emergency', 'health'], why: '§3 单位画像：有推送给本部门的该单位预警或建议才可看' },
    { path: `/api/v1/console/employers/${B}/facts`, allowed: ['hrss', 'housing'], why: '§3 单位画像：B 的预警推送给住建' },
    { path: `/api/v1/console/employers/${C}/facts`, allowed: HRSS, why: '§3 单位画像：C 没有推送给任何部门的预警' },
    { path: `/api/v1/console/employers/${UNKNOWN_EMPLOYER}/facts`, allowed: HRSS, why: '§3 先授权后判断存在' },
  ],
  'GET /api/v1/console/feeds': [{ path: '/api/v1/console/feeds', allowed: ALL, why: '§4: departments see the quality of their feeds（内容见下方检查）' }],
  'GET /api/v1/console/dead-letters': [
    { path: '/api/v1/console/dead-letters', allowed: ALL, why: '§4: 本部门的报送质量（内容见下方检查）' },
    { path: '/api/v1/console/dead-letters?department=health', allowed: ['hrss', 'health'], why: '§4: 只看本部门的，人社看全部' },
  ],
  'GET /api/v1/console/plan-targets': [{ path: '/api/v1/console/plan-targets', allowed: ALL, why: '§3 未限定读者；五年目标只有全地区汇总数字，无单位数据' }],
  'POST /api/v1/console/rechecks': [
    { method: 'POST', path: '/api/v1/console/rechecks', body: recheck('REC-A-PRIORITY'), allowed: ['emergency', 'health'], why: '§1 rectification 由应急、卫健报送；§3 建议书发给人社、应急、卫健：两者之交' },
    { method: 'POST', path: '/api/v1/console/rechecks', body: recheck('REC-B-PROJECT'), allowed: [], why: '§1: 住建不报送 rectification；该建议不发给应急、卫健' },
    { method: 'POST', path: '/api/v1/console/rechecks', body: recheck('REC-NOPE'), allowed: [], why: '§3 先授权后判断存在' },
  ],
};

/**
 * Sign-in routes: how a session is had, so not under the token rule. Written from the README's
 * "Signing in": POST {token} → cookie; GET says who is signed in; DELETE signs out.
 */
const SESSION_ROUTES = ['POST /api/v1/session', 'GET /api/v1/session', 'DELETE /api/v1/session'];

async function request(c: Pick<Case, 'path' | 'method' | 'body'>, token?: string, cookie?: string) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (cookie) headers.cookie = cookie;
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${portal.url}${c.path}`, { method: c.method ?? 'GET', headers, body: c.body === undefined ? undefined : JSON.stringify(c.body) });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: (type.startsWith('application/json') ? await res.json() : null) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const apiRoutes = () => appRoutes(portal.app).filter((r) => r.path.startsWith('/api/v1/')).map((r) => `${r.method} ${r.path}`);

describe('the portal, route by route', () => {
  test('every API route of the app has a row in the table, and every row a route', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => !PORTAL[r] && !SESSION_ROUTES.includes(r))).toEqual([]);
    expect([...Object.keys(PORTAL), ...SESSION_ROUTES].filter((k) => !routes.includes(k))).toEqual([]);
  });

  test('every API route without a token, or with an unknown one, is 401 with a Chinese message', async () => {
    const wrong: string[] = [];
    for (const [route, cases] of Object.entries(PORTAL)) {
      for (const token of [undefined, 'dev-nobody']) {
        const res = await request(cases[0], token);
        if (res.status !== 401 || !CHINESE.test(res.body?.message ?? '')) wrong.push(`${route} (${token ?? '无令牌'}): ${res.status} ${res.body?.message}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('each department, by token and by the console’s session: 403 with a Chinese message where the contract does not let it read, never 401/403 where it does', async () => {
    const wrong: string[] = [];
    const cookies = Object.fromEntries(await Promise.all(DEPARTMENTS.map(async (d) => [d, await signIn(`dev-${d}`)] as const)));
    for (const [route, cases] of Object.entries(PORTAL)) {
      for (const c of cases) {
        for (const d of DEPARTMENTS) {
          for (const [how, res] of [
            ['令牌', await request(c, `dev-${d}`)],
            ['会话', await request(c, undefined, cookies[d])],
          ] as const) {
            const allowed = c.allowed.includes(d);
            if (allowed && (res.status === 401 || res.status === 403)) wrong.push(`${route} ${c.path} ${d}（${how}）: 应允许（${c.why}），实际 ${res.status} ${res.body?.message}`);
            if (!allowed && (res.status !== 403 || !CHINESE.test(res.body?.message ?? ''))) wrong.push(`${route} ${c.path} ${d}（${how}）: 应为 403（${c.why}），实际 ${res.status}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000);
});

/** Signs in with a token; the session cookie (name=value), or null with the answer's status. */
async function signIn(token: unknown): Promise<string> {
  const res = await fetch(`${portal.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  expect(res.status).toBe(201);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

describe('signing in to the console', () => {
  const post = (body: unknown) => fetch(`${portal.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('no token is 400, an unknown token 401, both in Chinese; no cookie is set', async () => {
    for (const [body, status] of [[{}, 400], [{ token: 'dev-nobody' }, 401]] as const) {
      const res = await post(body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(((await res.json()) as { message: string }).message).toMatch(CHINESE);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  test('who is signed in: the session says it; a bearer token or nothing is not a session (401); after sign-out the cookie opens nothing', async () => {
    const cookie = await signIn('dev-health');
    const me = await fetch(`${portal.url}/api/v1/session`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { department: string }).department).toBe('health');
    expect((await fetch(`${portal.url}/api/v1/session`)).status).toBe(401);
    expect((await fetch(`${portal.url}/api/v1/session`, { headers: { authorization: 'Bearer dev-health' } })).status).toBe(401);
    // Signed in, the cookie is 卫健's rights: its alerts, not the risk list.
    expect((await request({ path: '/api/v1/alerts' }, undefined, cookie)).status).toBe(200);
    expect((await request({ path: '/api/v1/risk-lists/latest' }, undefined, cookie)).status).toBe(403);
    const out = await fetch(`${portal.url}/api/v1/session`, { method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const after = await request({ path: '/api/v1/alerts' }, undefined, cookie);
    expect(after.status).toBe(401);
    expect(after.body.message).toMatch(CHINESE);
    // Signing out without a session is no error.
    expect((await fetch(`${portal.url}/api/v1/session`, { method: 'DELETE' })).status).toBe(204);
  });
});

describe('what an allowed department reads is only its part', () => {
  const UNION_RULES = ['PRIORITY', 'TYPICAL_ACCIDENT', 'OVERDUE'];

  test('alerts: hrss all of them; union only its three rules; the others only those routed to them', async () => {
    const all = (await request({ path: '/api/v1/alerts?status=ALL' }, 'dev-hrss')).body.alerts as { alertId: string; rule: string; routedTo: string[] }[];
    expect(all.map((a) => a.alertId).sort()).toEqual(['ALT-A-HAZARD', 'ALT-A-PRIORITY', 'ALT-A-PRONE', 'ALT-B-PROJECT', 'ALT-B-UNINSURED']);
    for (const d of DEPARTMENTS.filter((x) => x !== 'hrss')) {
      const seen = (await request({ path: '/api/v1/alerts?status=ALL' }, `dev-${d}`)).body.alerts as typeof all;
      const expected = all.filter((a) => (d === 'union' ? UNION_RULES.includes(a.rule) : a.routedTo.includes(d))).map((a) => a.alertId).sort();
      expect({ d, seen: seen.map((a) => a.alertId).sort() }).toEqual({ d, seen: expected });
    }
    // The seed gives each reader something, so the filter is tested, not an empty answer.
    expect(all.filter((a) => a.rule === 'PRIORITY')).toHaveLength(1);
  });

  test('recommendations: the others only those addressed to them', async () => {
    const all = (await request({ path: '/api/v1/recommendations?status=ALL' }, 'dev-hrss')).body.recommendations as { recommendationId: string; departments: string[] }[];
    expect(all.length).toBe(4);
    for (const d of ['emergency', 'health', 'housing', 'transport', 'market'] as const) {
      const seen = (await request({ path: '/api/v1/recommendations?status=ALL' }, `dev-${d}`)).body.recommendations as typeof all;
      expect({ d, seen: seen.map((r) => r.recommendationId).sort() }).toEqual({ d, seen: all.filter((r) => r.departments.includes(d)).map((r) => r.recommendationId).sort() });
    }
  });

  test('an employer profile: another department sees its own facts only, and only the alerts routed to it', async () => {
    const full = (await request({ path: `/api/v1/employers/${A}` }, 'dev-hrss')).body;
    expect(new Set(full.timeline.map((t: { department: string }) => t.department))).toEqual(new Set(['hrss', 'health', 'emergency']));
    for (const d of ['emergency', 'health'] as const) {
      const p = (await request({ path: `/api/v1/employers/${A}` }, `dev-${d}`)).body;
      expect(p.timeline.length).toBeGreaterThan(0);
      expect(p.timeline.filter((t: { department: string }) => t.department !== d)).toEqual([]);
      expect(p.alerts.filter((a: { routedTo: string[] }) => !a.routedTo.includes(d))).toEqual([]);
      expect(p.recommendations.filter((r: { departments: string[] }) => !r.departments.includes(d))).toEqual([]);
    }
  });

  test('an employer profile: another department gets no other department’s evidence (ids or facts) on the alerts and letters routed to it; hrss gets all', async () => {
    // §3: "sees its own department's facts, the employer's register data, and the explanations of
    // the alerts routed to it, never another department's facts".
    type Evidence = Record<string, { eventType: string; eventId: string }[]>;
    type Profile = { alerts: { alertId: string; explanation: string; evidence: Evidence }[]; recommendations: { items: { evidence: Evidence }[] }[] };
    const evidenceOf = (p: Profile) => [...p.alerts.map((a) => a.evidence), ...p.recommendations.flatMap((r) => r.items.map((i) => i.evidence))];
    const full = (await request({ path: `/api/v1/employers/${A}` }, 'dev-hrss')).body as Profile;
    expect(new Set(evidenceOf(full).flatMap((e) => Object.keys(e)))).toEqual(new Set(['hrss', 'health', 'emergency']));
    for (const d of ['emergency', 'health'] as const) {
      const p = (await request({ path: `/api/v1/employers/${A}` }, `dev-${d}`)).body as Profile;
      const others = evidenceOf(p).flatMap((e) => Object.entries(e).filter(([dept]) => dept !== d));
      expect({ d, others }).toEqual({ d, others: [] });
      // Nor does any other department's event id appear anywhere in the answer.
      const text = JSON.stringify(p);
      for (const id of { emergency: ['HZ-001', 'IN-001', 'DS-001', 'EN-001'], health: ['AC-001', 'IN-001', 'EN-001'] }[d]) expect({ d, id, found: text.includes(`"${id}"`) }).toEqual({ d, id, found: false });
      // Its own evidence and the explanations stay.
      expect(evidenceOf(p).some((e) => (e[d] ?? []).length > 0)).toBe(true);
      expect(p.alerts.find((a) => a.alertId === 'ALT-A-PRIORITY')?.explanation).toBe('PRIORITY 的说明');
    }
  });

  test('the console’s feeds and rejected records: a department sees its own only, hrss every department’s', async () => {
    for (const d of DEPARTMENTS.filter((x) => x !== 'hrss')) {
      const feeds = (await request({ path: '/api/v1/console/feeds' }, `dev-${d}`)).body as { feeds: { department: string }[]; notReported: { department: string }[] };
      expect(feeds.feeds.length).toBeGreaterThan(0);
      expect([...feeds.feeds, ...feeds.notReported].filter((f) => f.department !== d)).toEqual([]);
      const dead = (await request({ path: '/api/v1/console/dead-letters' }, `dev-${d}`)).body.deadLetters as { department: string }[];
      expect(dead.filter((x) => x.department !== d)).toEqual([]);
    }
    // The seeded ones (the re-checks above, dated in the future, were refused too).
    const seeded = async (d: Dept) => ((await request({ path: '/api/v1/console/dead-letters' }, `dev-${d}`)).body.deadLetters as { eventId: string }[]).map((x) => x.eventId).filter((e) => e.endsWith('-BAD')).sort();
    expect(await seeded('hrss')).toEqual(['AC-BAD', 'HZ-BAD']);
    expect(await seeded('emergency')).toEqual(['AC-BAD']);
    expect(await seeded('health')).toEqual(['HZ-BAD']);
  });

  test('feed issues: a department sees its own feeds only', async () => {
    for (const d of DEPARTMENTS.filter((x) => x !== 'hrss')) {
      const issues = (await request({ path: '/api/v1/feed-issues' }, `dev-${d}`)).body.issues as { department: string }[];
      expect(issues.filter((i) => i.department !== d)).toEqual([]);
    }
    expect(((await request({ path: '/api/v1/feed-issues' }, 'dev-hrss')).body.issues as { department: string }[]).map((i) => i.department).sort()).toEqual(['emergency', 'health']);
  });
});

/** CONTRACT.md section 1, "may publish", as written there. */
const MAY_PUBLISH: Record<Dept, string[]> = {
  hrss: ['employer', 'enrollment', 'injury', 'contribution', 'benefit', 'training'],
  emergency: ['accident', 'rectification', 'training', 'inspection'],
  health: ['hazard', 'disease', 'rectification', 'inspection'],
  housing: ['project', 'accident', 'inspection'],
  transport: ['project', 'accident', 'inspection'],
  market: ['employer'],
  union: ['training'],
};

describe('the gateway, type by type and department by department', () => {
  test('every event type the gateway takes is in the contract’s table', () => {
    const inTable = new Set(Object.values(MAY_PUBLISH).flat());
    expect([...EVENT_TYPES].filter((t) => !inTable.has(t))).toEqual([]);
    const routes = appRoutes(gateway.app).filter((r) => r.path.startsWith('/v1/')).map((r) => `${r.method} ${r.path}`);
    expect(routes.sort()).toEqual(['POST /v1/events/:type', 'POST /v1/files/:type']);
  });

  test('a type a department does not own is 403 (Chinese), JSON and files; an owned one is taken; no token is 401', async () => {
    const wrong: string[] = [];
    const post = async (path: string, body: string, type: string, token?: string) => {
      const res = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
      return { status: res.status, body: (await res.json()) as { message?: string } };
    };
    for (const type of EVENT_TYPES) {
      for (const [path, body, ctype, ownedStatus] of [
        [`/v1/events/${type}`, '[]', 'application/json', 200], // an empty batch: admitted, nothing published
        [`/v1/files/${type}`, '', 'text/csv', 400], // an empty file: admitted, then refused as empty
      ] as const) {
        const anonymous = await post(path, body, ctype);
        if (anonymous.status !== 401 || !CHINESE.test(anonymous.body.message ?? '')) wrong.push(`${path} 无令牌: ${anonymous.status}`);
        for (const d of DEPARTMENTS) {
          const res = await post(path, body, ctype, `dev-${d}`);
          const owns = MAY_PUBLISH[d].includes(type);
          if (owns && res.status !== ownedStatus) wrong.push(`${path} ${d}: 应受理（§1），实际 ${res.status} ${res.body.message}`);
          if (!owns && (res.status !== 403 || !CHINESE.test(res.body.message ?? ''))) wrong.push(`${path} ${d}: 应为 403（§1），实际 ${res.status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
