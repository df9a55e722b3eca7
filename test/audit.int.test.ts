import { connectStack, Stack } from './stack';
import { SCENARIO, loadScenario } from './fixtures/reporterScenario';
import { createLogger } from '../services/shared/logger';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { Gateway, startGateway } from '../services/ingest-gateway/gateway';
import { jsonRecord } from '../services/ingest-gateway/test-fixtures';
import { Portal, startPortal } from '../services/portal/portal';
import { Reporter, startReporter } from '../services/reporter/reporter';
import { hashToken, issueToken, tokenId } from '../services/shared/auth';

/**
 * The audit log as 人社 reads it: a department's publications through the real gateway, and
 * reads of a risk list, an employer profile and a document through the real portal (with the
 * reporter building what is asked), each found in GET /api/v1/audit with who, what and when.
 */
const region = loadRegionConfig({ WHP_REGION: 'suqian' });
const NOW = () => new Date('2026-11-24T02:00:00Z');
let stack: Stack;
let reporter: Reporter;
let portal: Portal;
let gateway: Gateway;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  await loadScenario(stack.db);
  const logger = createLogger('audit-test', 'silent');
  reporter = await startReporter({ config: stack.config, region, logger, schedule: '', now: NOW, opsPort: 0 });
  portal = await startPortal({ config: stack.config, region, logger, port: 0, now: NOW });
  gateway = await startGateway({ config: stack.config, port: 0, logger });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await portal?.close();
  await reporter?.close();
  await stack?.close();
});

type Entry = { seq: number; actor: string; actorName: string; action: string; actionName: string; object: string; summary: string; detail: Record<string, unknown> };

const read = (token: string, path: string, init: RequestInit = {}) => fetch(`${portal.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}` } });

async function auditAs(token: string, query = ''): Promise<Entry[]> {
  const res = await read(token, `/api/v1/audit${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: Entry[] }).entries;
}

test('a publication is logged with the department, the token it used and the counts the department was told', async () => {
  const token = await issueToken(stack.db, 'emergency', stack.unique('应急局接口'));
  const id = stack.unique('ACC');
  const records = [jsonRecord('accident', `${id}-1`), jsonRecord('accident', `${id}-2`), { ...(jsonRecord('accident', `${id}-3`) as object), deaths: -1 }];
  const res = await fetch(`${gateway.url}/v1/events/accident`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(records),
  });
  expect(res.status).toBe(200);
  const told = (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
  expect(told).toMatchObject({ accepted: 2, duplicates: 0 });
  expect(told.rejected).toHaveLength(1);

  const [entry] = await auditAs('dev-hrss', '?action=PUBLISH&actor=emergency');
  expect(entry).toMatchObject({
    actor: 'emergency',
    actorName: '应急管理局',
    action: 'PUBLISH',
    object: 'accident',
    detail: { accepted: 2, duplicates: 0, rejected: 1, source: 'API', tokenId: tokenId(hashToken(token)) },
  });
  expect(entry.summary).toBe('报送生产安全事故：接收 2 条（其中更正 0），重复 0，拒收 1');
});

test('hrss sees who read which risk list, employer profile and document', async () => {
  expect((await read('dev-hrss', '/api/v1/risk-lists?week=2026-W47', { method: 'POST' })).status).toBe(201);
  expect((await read('dev-hrss', '/api/v1/risk-lists/2026-W47.xlsx')).status).toBe(200);
  expect((await read('dev-health', `/api/v1/employers/${SCENARIO.A.key}`)).status).toBe(200);
  await stack.db('notice').insert({
    notice_id: 'NTC-AUDIT-1',
    kind: 'TYPICAL_ACCIDENT',
    title: '关于一起高处坠落事故的通报',
    issued_at: '2026-11-20',
    employers: [SCENARIO.D.key],
    evidence: '[]',
    body: '2026年11月1日，泗洪丁建筑工程有限公司发生高处坠落事故。',
    document_number: '宿工预通〔2026〕9号',
    version: 1,
  });
  expect((await read('dev-union', '/api/v1/notices/NTC-AUDIT-1.docx')).status).toBe(200);

  const entries = await auditAs('dev-hrss', '?limit=10');
  const reads = entries.filter((e) => e.action.startsWith('READ_') && e.action !== 'READ_AUDIT').map((e) => [e.actorName, e.summary]);
  // Newest first.
  expect(reads).toEqual([
    ['总工会', '查阅文书 宿工预通〔2026〕9号'],
    ['卫生健康委员会', `查阅单位档案 ${SCENARIO.A.name}（${SCENARIO.A.key}）`],
    ['人力资源和社会保障局', '查阅 2026-W47 风险清单（XLSX）'],
  ]);
}, 60_000);

test('a read that was refused is not logged as a read', async () => {
  const before = await stack.db('audit_log').count({ n: '*' });
  expect((await read('dev-union', '/api/v1/risk-lists/2026-W47.xlsx')).status).toBe(403);
  expect((await read('dev-transport', `/api/v1/employers/${SCENARIO.A.key}`)).status).toBe(403);
  expect(await stack.db('audit_log').count({ n: '*' })).toEqual(before);
});

test('only hrss reads the audit log, and its own reading is logged too', async () => {
  for (const d of ['health', 'emergency', 'union']) {
    const res = await read(`dev-${d}`, '/api/v1/audit');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/无权查看审计日志/);
  }
  await auditAs('dev-hrss');
  const [newest] = await auditAs('dev-hrss', '?limit=1');
  expect(newest).toMatchObject({ actor: 'hrss', action: 'READ_AUDIT', summary: '查阅审计日志' });
});

test('the chain of everything above verifies intact', async () => {
  const res = await read('dev-hrss', '/api/v1/audit/verify');
  const v = (await res.json()) as { intact: boolean; checked: number; problems: unknown[] };
  expect(v.problems).toEqual([]);
  expect(v.intact).toBe(true);
  expect(v.checked).toBe(Number((await stack.db('audit_log').count({ n: '*' }))[0].n));
});
