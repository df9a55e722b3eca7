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
  const logger = createLogger('access-test', 'silent');
  // No reporter: an allowed request for something not built is answered 202/404/503, never 401/403.
  portal = await startPortal({ config: stack.config, logger, port: 0, waitMs: 300 });
  gateway = await startGateway({ config: stack.config, logger, port: 0 });
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
  allowed: readonly Dept[];
  why: string;
}

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
};

async function request(c: Pick<Case, 'path' | 'method'>, token?: string) {
  const res = await fetch(`${portal.url}${c.path}`, { method: c.method ?? 'GET', headers: token ? { authorization: `Bearer ${token}` } : {} });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: (type.startsWith('application/json') ? await res.json() : null) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const apiRoutes = () => appRoutes(portal.app).filter((r) => r.path.startsWith('/api/v1/')).map((r) => `${r.method} ${r.path}`);

describe('the portal, route by route', () => {
  test('every API route of the app has a row in the table, and every row a route', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => !PORTAL[r])).toEqual([]);
    expect(Object.keys(PORTAL).filter((k) => !routes.includes(k))).toEqual([]);
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

  test('each department: 403 with a Chinese message where the contract does not let it read, never 401/403 where it does', async () => {
    const wrong: string[] = [];
    for (const [route, cases] of Object.entries(PORTAL)) {
      for (const c of cases) {
        for (const d of DEPARTMENTS) {
          const res = await request(c, `dev-${d}`);
          const allowed = c.allowed.includes(d);
          if (allowed && (res.status === 401 || res.status === 403)) wrong.push(`${route} ${c.path} ${d}: 应允许（${c.why}），实际 ${res.status} ${res.body?.message}`);
          if (!allowed && (res.status !== 403 || !CHINESE.test(res.body?.message ?? ''))) wrong.push(`${route} ${c.path} ${d}: 应为 403（${c.why}），实际 ${res.status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
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
