import { connectStack, readAfter, Stack } from '../../test/stack';
import { loadRegionConfig } from '../shared/regionConfig';
import { Portal, startPortal } from '../portal/portal';
import { createLogger } from '../shared/logger';
import { Reporter, startReporter } from './reporter';
import { SCENARIO, loadScenario } from './scenario';

const region = loadRegionConfig({ WHP_REGION: 'suqian' });
const MONDAY_0800_SHANGHAI = new Date('2026-11-23T00:00:00Z');
let stack: Stack;
let reporter: Reporter;
let portal: Portal;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  await loadScenario(stack.db);
  const logger = createLogger('reporter-test', 'silent');
  // The clock of the service stands on Monday 24 Nov 2026, 10:00 Shanghai (week 2026-W48).
  reporter = await startReporter({ config: stack.config, region, logger, schedule: '', now: () => new Date('2026-11-24T02:00:00Z') });
  portal = await startPortal({ config: stack.config, region, logger, port: 0, extraRoutes: reporter.routes });
}, 60_000);

afterAll(async () => {
  await portal?.close();
  await reporter?.close();
  await stack?.close();
});

const auth = (department: string) => ({ authorization: `Bearer dev-${department}` });

describe('weekly schedule', () => {
  test('the Monday 08:00 run stores the week just ended and publishes its summary on whp.risklist.v1', async () => {
    const msgs = await readAfter(
      stack,
      ['risklist'],
      async () => {
        const { list, built } = await reporter.runWeekly(MONDAY_0800_SHANGHAI);
        expect(built).toBe(true);
        expect(list.week).toBe('2026-W47');
        expect(list.asOf).toBe('2026-11-22T16:00:00.000Z');
      },
      (m) => m.some((x) => x.key === '2026-W47'),
    );
    const summary = msgs.find((m) => m.key === '2026-W47')!.value;
    expect(summary).toMatchObject({ week: '2026-W47', employerCount: 4, priorityCount: 2, newCount: 1, removedCount: 2 }); // W46 never stored: compared with the alerts open at its end
    expect(summary.byDistrict).toEqual(expect.arrayContaining([{ key: '321302', count: 1 }]));
    expect(summary.byIndustry).toEqual(expect.arrayContaining([{ key: 'C', count: 1 }]));
    const stored = await stack.db('risk_list').select('week', 'employer_count');
    expect(stored).toEqual([{ week: '2026-W47', employer_count: 4 }]);
  }, 60_000);

  test('running the schedule again for the same Monday keeps the one stored list', async () => {
    const before = await stack.db('risk_list').where('week', '2026-W47').first('generated_at');
    const { built } = await reporter.runWeekly(new Date('2026-11-23T00:05:00Z'));
    expect(built).toBe(false);
    const after = await stack.db('risk_list').select('week', 'generated_at');
    expect(after).toEqual([{ week: '2026-W47', generated_at: before.generated_at }]);
  }, 60_000);
});

describe('risk list API', () => {
  test('POST by a department other than hrss is refused with 403', async () => {
    for (const d of ['health', 'emergency', 'union']) {
      const res = await fetch(`${portal.url}/api/v1/risk-lists?week=2026-W47`, { method: 'POST', headers: auth(d) });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toMatch(/无权生成风险清单/);
    }
  });

  test('hrss builds the current week on demand, as of the moment of the request', async () => {
    const res = await fetch(`${portal.url}/api/v1/risk-lists?week=2026-W48`, { method: 'POST', headers: auth('hrss') });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ week: '2026-W48', built: true, asOf: '2026-11-24T02:00:00.000Z', employers: 4 });
  }, 60_000);

  test('hrss reads the latest list as JSON and any week as JSON or XLSX; others may not', async () => {
    const latest = await fetch(`${portal.url}/api/v1/risk-lists/latest`, { headers: auth('hrss') });
    expect(latest.status).toBe(200);
    expect(((await latest.json()) as { week: string }).week).toBe('2026-W48');
    const json = (await (await fetch(`${portal.url}/api/v1/risk-lists/2026-W47.json`, { headers: auth('hrss') })).json()) as { rows: { employerName: string }[] };
    expect(json.rows.map((r) => r.employerName)).toEqual([SCENARIO.A.name, SCENARIO.C.name, SCENARIO.B.name, SCENARIO.D.name]);
    const xlsx = await fetch(`${portal.url}/api/v1/risk-lists/2026-W47.xlsx`, { headers: auth('hrss') });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    expect((await fetch(`${portal.url}/api/v1/risk-lists/2026-W47.json`, { headers: auth('health') })).status).toBe(403);
    expect((await fetch(`${portal.url}/api/v1/risk-lists/2026-W40.json`, { headers: auth('hrss') })).status).toBe(404);
    expect((await fetch(`${portal.url}/api/v1/risk-lists/2026-47.json`, { headers: auth('hrss') })).status).toBe(400);
  });
});

describe('限期整改建议书', () => {
  test('a recommendation becomes a numbered DOCX for its department, the same number when asked again', async () => {
    const res = await fetch(`${portal.url}/api/v1/recommendations/REC-A-PRI.docx`, { headers: auth('health') });
    expect(res.status).toBe(200);
    const docx = Buffer.from(await res.arrayBuffer());
    expect(docx.subarray(0, 2).toString()).toBe('PK');
    const row = await stack.db('document').where('document_id', 'RECOMMENDATION:REC-A-PRI').first('document_number');
    expect(row.document_number).toBe('宿工预建〔2026〕1号');
    await fetch(`${portal.url}/api/v1/recommendations/REC-B-ACC.docx`, { headers: auth('hrss') });
    const again = Buffer.from(await (await fetch(`${portal.url}/api/v1/recommendations/REC-A-PRI.docx`, { headers: auth('hrss') })).arrayBuffer());
    expect(Buffer.compare(again, docx)).toBe(0);
    const numbers = await stack.db('document').orderBy('seq').pluck('document_number');
    expect(numbers).toEqual(['宿工预建〔2026〕1号', '宿工预建〔2026〕2号']);
  }, 60_000);

  test('a department the recommendation is not addressed to, and union, are refused', async () => {
    expect((await fetch(`${portal.url}/api/v1/recommendations/REC-A-PRI.docx`, { headers: auth('housing') })).status).toBe(403);
    expect((await fetch(`${portal.url}/api/v1/recommendations/REC-A-PRI.docx`, { headers: auth('union') })).status).toBe(403);
    expect((await fetch(`${portal.url}/api/v1/recommendations/REC-NONE.docx`, { headers: auth('hrss') })).status).toBe(404);
  });
});
