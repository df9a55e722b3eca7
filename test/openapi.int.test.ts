import type { EventType } from '../services/shared/contract';
import { EVENT_TYPES } from '../services/shared/contract';
import { createLogger } from '../services/shared/logger';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { Portal, startPortal } from '../services/portal/portal';
import { Reporter, startReporter } from '../services/reporter/reporter';
import { Gateway, startGateway } from '../services/ingest-gateway/gateway';
import { csvText, fileTable, jsonRecord } from '../services/ingest-gateway/test-fixtures';
import { connectStack, Stack } from './stack';
import { A, B, seedPortalScenario } from './fixtures/portalScenario';
import { DocOperation, answerValidator, appRoutes, docOperations, operationOf, routeOf } from './routes';

/**
 * The OpenAPI 3.1 documents of the gateway and the portal against the running services: every
 * route the express apps have is in the document (and nothing documented is missing from the
 * app), and real answers — successes and errors — validate against the document's schemas.
 * A reporter runs beside the portal, so risk lists and reports are really built.
 */
const region = loadRegionConfig({ WHP_REGION: 'suqian' });
const NOW = () => new Date('2026-11-24T02:00:00Z'); // Tuesday of 2026-W48, Shanghai
let stack: Stack;
let portal: Portal;
let reporter: Reporter;
let gateway: Gateway;
type Doc = { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
let portalDoc: Doc;
let gatewayDoc: Doc;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  await seedPortalScenario(stack.db);
  await stack.db('feed_issue').insert({
    department: 'emergency', event_type: 'accident', event_id: 'AC-001', kind: 'LATE_REPORT', employer_key: A,
    reason: '迟报：2025年1月5日发生，2026年3月11日报送，晚 430 日', detected_at: '2026-03-11T02:00:00Z',
  });
  const logger = createLogger('openapi-test', 'silent');
  reporter = await startReporter({ config: stack.config, region, logger, schedule: '', now: NOW, opsPort: null });
  gateway = await startGateway({ config: stack.config, region, logger, port: 0, maxFileBytes: 64 * 1024 });
  // The console's re-checks go to this gateway.
  portal = await startPortal({ config: { ...stack.config, gatewayUrl: gateway.url }, region, logger, port: 0, now: NOW, waitMs: 30_000 });
  portalDoc = (await (await fetch(`${portal.url}/openapi.json`)).json()) as Doc;
  gatewayDoc = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as Doc;
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await portal?.close();
  await reporter?.close();
  await stack?.close();
});

describe('/openapi.json', () => {
  test('both services serve an OpenAPI 3.1 document without a token, with their routes', async () => {
    for (const [url, first] of [[portal.url, '/api/v1/alerts'], [gateway.url, '/v1/events/{type}']] as const) {
      const res = await fetch(`${url}/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const doc = (await res.json()) as Doc;
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toContain(first);
    }
  });
});

/** Every route of the app is documented, and every documented operation is a route of the app. */
function coverage(app: Portal['app'], doc: Doc): { undocumented: string[]; missing: string[] } {
  const routes = appRoutes(app);
  const ops = docOperations(doc);
  const reached = new Set(ops.map((o) => routeOf(routes, o.method, o.example)).filter(Boolean));
  return {
    undocumented: routes.filter((r) => !reached.has(r)).map((r) => `${r.method} ${r.path}`),
    missing: ops.filter((o) => !routeOf(routes, o.method, o.example)).map((o) => `${o.method} ${o.path}`),
  };
}

describe('every route of the apps is in the document', () => {
  test('the portal', () => {
    expect(appRoutes(portal.app).length).toBeGreaterThan(20); // the router stack is really read
    expect(coverage(portal.app, portalDoc)).toEqual({ undocumented: [], missing: [] });
  });
  test('the gateway', () => {
    expect(appRoutes(gateway.app).map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      ['GET /healthz', 'GET /metrics', 'GET /openapi.json', 'GET /readyz', 'POST /v1/events/:type', 'POST /v1/files/:type'],
    );
    expect(coverage(gateway.app, gatewayDoc)).toEqual({ undocumented: [], missing: [] });
  });
  test('the check fails on a route the document lacks', () => {
    const trimmed = { ...portalDoc, paths: { ...portalDoc.paths } };
    delete trimmed.paths['/api/v1/audit/verify'];
    expect(coverage(portal.app, trimmed).undocumented).toEqual(['GET /api/v1/audit/verify']);
  });
});

interface Sample {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  as?: string; // department; none = no token
  /** Signed in to the console as this department: the session cookie instead of a token. */
  session?: string;
  json?: unknown; // a JSON request body
  status: number;
}

const RECHECK = { recommendationId: 'REC-A-PRIORITY', result: 'PASSED', verifiedAt: '2026-03-18', note: '现场复查，破碎工段已加装防护罩' };

/** Real requests to the portal: each documented operation at least once, errors included. */
const PORTAL_SAMPLES: Sample[] = [
  { path: '/healthz', status: 200 },
  { path: '/readyz', status: 200 },
  { path: '/openapi.json', status: 200 },
  { path: '/api/v1/alerts', as: 'hrss', status: 200 },
  { path: '/api/v1/alerts?status=all&limit=2', as: 'emergency', status: 200 },
  { path: '/api/v1/alerts?rule=NOPE', as: 'hrss', status: 400 },
  { path: '/api/v1/alerts', status: 401 },
  { path: `/api/v1/employers/${A}`, as: 'hrss', status: 200 },
  { path: `/api/v1/employers/${A}`, as: 'emergency', status: 200 },
  { path: `/api/v1/employers/${B}`, as: 'emergency', status: 403 },
  { path: '/api/v1/employers/91320000000000000X', as: 'hrss', status: 404 },
  { path: '/api/v1/recommendations?status=ALL', as: 'hrss', status: 200 },
  { path: '/api/v1/recommendations', as: 'union', status: 403 },
  { path: '/api/v1/recommendations?limit=0', as: 'hrss', status: 400 },
  { path: '/api/v1/notices', as: 'union', status: 200 },
  { path: '/api/v1/review/identities', as: 'hrss', status: 200 },
  { path: '/api/v1/review/identities', as: 'health', status: 403 },
  { path: '/api/v1/feed-issues', as: 'hrss', status: 200 },
  { path: '/api/v1/feed-issues?department=health', as: 'emergency', status: 403 },
  { path: '/api/v1/audit/verify', as: 'hrss', status: 200 },
  { path: '/api/v1/audit?from=2026-99-01', as: 'hrss', status: 400 },
  { path: '/api/v1/risk-lists/latest', as: 'hrss', status: 404 },
  { method: 'POST', path: '/api/v1/risk-lists?week=2026-W48', as: 'hrss', status: 201 },
  { method: 'POST', path: '/api/v1/risk-lists?week=2026-W48', as: 'health', status: 403 },
  { method: 'POST', path: '/api/v1/risk-lists?week=2027-W10', as: 'hrss', status: 400 },
  { path: '/api/v1/risk-lists/latest', as: 'hrss', status: 200 },
  { path: '/api/v1/risk-lists/2026-W48.json', as: 'hrss', status: 200 },
  { path: '/api/v1/risk-lists/2026-W48.xlsx', as: 'hrss', status: 200 },
  { path: '/api/v1/risk-lists/2026-W40.json', as: 'hrss', status: 404 },
  { path: '/api/v1/risk-lists/2026-W40.xlsx', as: 'union', status: 403 },
  { path: '/api/v1/rate-adjustments?cycle=2023-2025', as: 'hrss', status: 200 },
  { path: '/api/v1/rate-adjustments.xlsx?cycle=2023-2025', as: 'hrss', status: 200 },
  { path: '/api/v1/rate-adjustments', as: 'hrss', status: 400 },
  { path: '/api/v1/inspections/plan?quarter=2026-Q4', as: 'hrss', status: 200 },
  { path: '/api/v1/inspections/plan.xlsx?quarter=2026-Q4', as: 'emergency', status: 200 },
  { path: '/api/v1/inspections/plan?quarter=2026-Q4', as: 'union', status: 403 },
  { path: '/api/v1/risk-lists/precision', as: 'hrss', status: 200 },
  { path: '/api/v1/risk-lists/precision.xlsx', as: 'hrss', status: 200 },
  { path: '/api/v1/training-coverage', as: 'hrss', status: 200 },
  { path: '/api/v1/training-coverage.xlsx', as: 'hrss', status: 200 },
  // Last: it logs a read of everything above.
  { path: '/api/v1/audit?limit=50', as: 'hrss', status: 200 },
  { path: '/api/v1/audit', as: 'housing', status: 403 },
  { path: '/api/v1/notices/NTC-A-001.docx', as: 'housing', status: 200 },
  { path: '/api/v1/notices/NOPE.pdf', as: 'hrss', status: 404 },
  { path: '/api/v1/recommendations/REC-A-PRIORITY.docx', as: 'hrss', status: 200 },
  { path: '/api/v1/recommendations/REC-A-PRIORITY.pdf', as: 'union', status: 403 },
  // Sign-in (session cookie) and the console's own API.
  { path: '/', status: 200 },
  { method: 'POST', path: '/api/v1/session', json: {}, status: 400 },
  { method: 'POST', path: '/api/v1/session', json: { token: 'dev-nobody' }, status: 401 },
  { method: 'POST', path: '/api/v1/session', json: { token: 'dev-emergency' }, status: 201 },
  { path: '/api/v1/session', session: 'emergency', status: 200 },
  { path: '/api/v1/session', status: 401 },
  { path: '/api/v1/alerts', session: 'emergency', status: 200 },
  { path: '/api/v1/console/risk-list?district=321302&change=NEW&q=宿迁&limit=5', as: 'hrss', status: 200 },
  { path: '/api/v1/console/risk-list?change=REMOVED', session: 'hrss', status: 200 },
  { path: '/api/v1/console/risk-list?rule=NOPE', as: 'hrss', status: 400 },
  { path: '/api/v1/console/risk-list?week=2026-W40', as: 'hrss', status: 404 },
  { path: '/api/v1/console/risk-list', session: 'emergency', status: 403 },
  { path: `/api/v1/console/employers/${A}/facts`, as: 'hrss', status: 200 },
  { path: `/api/v1/console/employers/${A}/facts`, session: 'emergency', status: 200 },
  { path: `/api/v1/console/employers/${B}/facts`, as: 'emergency', status: 403 },
  { path: '/api/v1/console/employers/91320000000000000X/facts', as: 'hrss', status: 404 },
  { path: '/api/v1/console/feeds', as: 'hrss', status: 200 },
  { path: '/api/v1/console/feeds', as: 'emergency', status: 200 },
  { path: '/api/v1/console/dead-letters?department=health', as: 'hrss', status: 200 },
  { path: '/api/v1/console/dead-letters?department=health', as: 'emergency', status: 403 },
  { path: '/api/v1/console/dead-letters?department=nope', as: 'hrss', status: 400 },
  { path: '/api/v1/console/plan-targets', as: 'health', status: 200 },
  { method: 'POST', path: '/api/v1/console/rechecks', session: 'emergency', json: RECHECK, status: 200 },
  { method: 'POST', path: '/api/v1/console/rechecks', as: 'emergency', json: { ...RECHECK, verifiedAt: '2099-01-01' }, status: 200 }, // rejected by the gateway: a future date
  { method: 'POST', path: '/api/v1/console/rechecks', as: 'emergency', json: { recommendationId: 'REC-A-PRIORITY' }, status: 400 },
  { method: 'POST', path: '/api/v1/console/rechecks', as: 'housing', json: RECHECK, status: 403 },
  { method: 'POST', path: '/api/v1/console/rechecks', as: 'hrss', json: RECHECK, status: 403 },
  { method: 'POST', path: '/api/v1/console/rechecks', json: RECHECK, status: 401 },
  { method: 'DELETE', path: '/api/v1/session', session: 'emergency', status: 204 },
];

/** Session cookies per department, from a real sign-in (POST /api/v1/session). */
const cookies = new Map<string, string>();
async function cookieOf(base: string, department: string): Promise<string> {
  if (!cookies.has(department)) {
    const res = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: `dev-${department}` }) });
    expect(res.status).toBe(201);
    cookies.set(department, (res.headers.get('set-cookie') ?? '').split(';')[0]);
  }
  return cookies.get(department)!;
}

async function call(base: string, s: { method?: string; path: string; as?: string; session?: string; json?: unknown; body?: string | Buffer; type?: string }) {
  const headers: Record<string, string> = {};
  if (s.as) headers.authorization = `Bearer dev-${s.as}`;
  if (s.session) headers.cookie = await cookieOf(base, s.session);
  if (s.type) headers['content-type'] = s.type;
  let sent = s.body;
  if (s.json !== undefined) {
    headers['content-type'] = 'application/json';
    sent = JSON.stringify(s.json);
  }
  const res = await fetch(`${base}${encodeURI(s.path)}`, { method: s.method ?? 'GET', headers, body: sent });
  const contentType = res.headers.get('content-type') ?? '';
  const body = contentType.startsWith('application/json') ? await res.json() : Buffer.from(await res.arrayBuffer());
  return { status: res.status, contentType, body, retryAfter: res.headers.get('retry-after'), setCookie: res.headers.get('set-cookie') };
}

describe('real answers validate against the document', () => {
  test('the portal: every documented operation answered for real, each answer fits', async () => {
    const ops = docOperations(portalDoc);
    const check = answerValidator(portalDoc);
    const problems: string[] = [];
    const seen = new Set<DocOperation>();
    for (const s of PORTAL_SAMPLES) {
      const method = s.method ?? 'GET';
      const op = operationOf(ops, method, s.path.split('?')[0]);
      if (!op) {
        problems.push(`${method} ${s.path}: 文档中没有这个地址`);
        continue;
      }
      seen.add(op);
      const res = await call(portal.url, s);
      if (res.status !== s.status) problems.push(`${method} ${s.path} as ${s.as ?? s.session ?? '-'}: 期望 ${s.status}，实际 ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      const wrong = check(op, res.status, res.contentType, res.body);
      if (wrong) problems.push(wrong);
      if (res.status >= 400) expect((res.body as { message: string }).message).toMatch(/[\u4e00-\u9fff]/);
      if (res.status === 201 && s.path === '/api/v1/session') expect(res.setCookie).toMatch(/^whp_session=[^;]+;.*HttpOnly.*SameSite=Strict/);
    }
    expect(problems).toEqual([]);
    // A new documented operation without a sample fails here.
    expect(ops.filter((o) => !seen.has(o)).map((o) => `${o.method} ${o.path}`)).toEqual([]);
  }, 240_000);

  test('the validation rejects an answer that does not fit (the check can fail)', () => {
    const check = answerValidator(portalDoc);
    const op = operationOf(docOperations(portalDoc), 'GET', '/api/v1/notices')!;
    expect(check(op, 200, 'application/json', { notices: [{ noticeId: 1 }] })).toMatch(/noticeId|required/);
    expect(check(op, 418, 'application/json', {})).toMatch(/状态码 418/);
  });

  test('the gateway: every record the contract describes fits its schema, and the answers fit', async () => {
    const ops = docOperations(gatewayDoc);
    const check = answerValidator(gatewayDoc);
    const problems: string[] = [];
    const validateRecord = (type: EventType, rec: unknown) => {
      const op = operationOf(ops, 'POST', `/v1/events/${type}`)!;
      const wrong = check({ ...op, operation: { responses: { '200': { content: { 'application/json': { schema: { $ref: `#/components/schemas/Record_${type}` } } } } } } }, 200, 'application/json', rec);
      if (wrong) problems.push(`${type}: ${wrong}`);
    };
    const run = stack.unique('oa');
    const owner: Record<EventType, string> = {
      employer: 'hrss', enrollment: 'hrss', accident: 'emergency', hazard: 'health', disease: 'health', injury: 'hrss',
      project: 'housing', rectification: 'emergency', contribution: 'hrss', benefit: 'hrss', training: 'union', inspection: 'transport',
    };
    const samples: (Sample & { body?: string | Buffer; type?: string; retry?: boolean })[] = [
      { path: '/healthz', status: 200 },
      { path: '/readyz', status: 200 },
      { path: '/metrics', status: 200 },
      { path: '/openapi.json', status: 200 },
      { method: 'POST', path: '/v1/events/hazard', as: 'health', status: 400, body: '[{"eventId":', type: 'application/json' },
      { method: 'POST', path: '/v1/events/hazard', status: 401, body: '[]', type: 'application/json' },
      { method: 'POST', path: '/v1/events/hazard', as: 'market', status: 403, body: '[]', type: 'application/json' },
      { method: 'POST', path: '/v1/events/weather', as: 'health', status: 404, body: '[]', type: 'application/json' },
      { method: 'POST', path: '/v1/files/hazard', as: 'health', status: 413, body: Buffer.alloc(65 * 1024, 0x41), type: 'text/csv' },
      { method: 'POST', path: '/v1/files/hazard', as: 'health', status: 400, body: '', type: 'text/csv' },
      { method: 'POST', path: '/v1/events/hazard', as: 'health', status: 200, body: JSON.stringify([{ eventId: `${run}-bad`, regionCode: '321302' }]), type: 'application/json' },
    ];
    for (const type of EVENT_TYPES) {
      const rec = jsonRecord(type, `${run}-${type}`);
      validateRecord(type, rec);
      samples.push({ method: 'POST', path: `/v1/events/${type}`, as: owner[type], status: 200, body: JSON.stringify([rec]), type: 'application/json' });
      const t = fileTable(type, `${run}-${type}-f`);
      samples.push({ method: 'POST', path: `/v1/files/${type}`, as: owner[type], status: 200, body: csvText([t.headers, t.row]), type: 'text/csv' });
    }
    for (const s of samples) {
      const op = operationOf(ops, s.method ?? 'GET', s.path);
      if (!op) {
        problems.push(`${s.path}: 文档中没有这个地址`);
        continue;
      }
      const res = await call(gateway.url, s);
      if (res.status !== s.status) problems.push(`${s.method ?? 'GET'} ${s.path}: 期望 ${s.status}，实际 ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      const wrong = check(op, res.status, res.contentType, res.body);
      if (wrong) problems.push(wrong);
      if (res.status === 200 && s.path.startsWith('/v1/')) {
        const answer = res.body as { accepted: number; rejected: unknown[] };
        // Valid records are taken; the one incomplete record is rejected with its reasons.
        if (String(s.body).includes(`${run}-bad`)) expect(answer.rejected).toHaveLength(1);
        else expect({ path: s.path, accepted: answer.accepted, rejected: answer.rejected }).toEqual({ path: s.path, accepted: 1, rejected: [] });
      }
    }
    expect(problems).toEqual([]);
    // A record missing what the contract requires does not fit the schema either.
    const check2 = answerValidator(gatewayDoc);
    const op = operationOf(ops, 'POST', '/v1/events/hazard')!;
    const asRecord = { ...op, operation: { responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Record_hazard' } } } } } } };
    expect(check2(asRecord, 200, 'application/json', { eventId: 'x', regionCode: '321302', uscc: null, employerName: null })).not.toBeNull();
    expect(check2(asRecord, 200, 'application/json', { ...jsonRecord('hazard', 'x'), limitType: 'TWA' })).toMatch(/enum|allowed/);
  }, 180_000);
});
