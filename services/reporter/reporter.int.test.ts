import { connectStack, readAfter, Stack } from '../../test/stack';
import { docxText } from '../../test/docx';
import { SCENARIO, loadScenario } from '../../test/fixtures/reporterScenario';
import { loadRegionConfig } from '../shared/regionConfig';
import { createLogger } from '../shared/logger';
import { Reporter, startReporter } from './reporter';

const region = loadRegionConfig({ WHP_REGION: 'suqian' });
const MONDAY_0800_SHANGHAI = new Date('2026-11-23T00:00:00Z');
let stack: Stack;
let reporter: Reporter;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  await loadScenario(stack.db);
  const logger = createLogger('reporter-test', 'silent');
  // The clock of the service stands on Monday 24 Nov 2026, 10:00 Shanghai (week 2026-W48).
  // Polling is slow here, so that a request answered within a second was woken by NOTIFY.
  reporter = await startReporter({ config: stack.config, region, logger, schedule: '', now: () => new Date('2026-11-24T02:00:00Z'), pollMs: 60_000, opsPort: 0 });
}, 60_000);

afterAll(async () => {
  await reporter?.close();
  await stack?.close();
});

/** Writes a request as the portal does (with or without NOTIFY) and waits for the reporter to finish it. */
async function request(kind: string, ref: string, params: object, notify: boolean, timeoutMs: number) {
  const [{ request_id: id }] = await stack.db('report_request').insert({ kind, ref, params: JSON.stringify(params), requested_by: 'hrss' }).returning('request_id');
  if (notify) await stack.db.raw(`select pg_notify('whp_report_request', ?)`, [String(id)]);
  const started = Date.now();
  for (;;) {
    const row = await stack.db('report_request').where('request_id', id).first();
    if (row.status === 'DONE' || row.status === 'FAILED') return { row, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`request ${id} still ${row.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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
    // The hub's first list: nothing to compare with, so nobody is new and nobody removed.
    expect(summary).toMatchObject({ week: '2026-W47', employerCount: 4, priorityCount: 2, newCount: 0, removedCount: 0 });
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

describe('requests of the portal, taken from the database', () => {
  test('a risk list request, announced by NOTIFY, is built as of the time it names and marked done at once', async () => {
    const { row, ms } = await request('RISK_LIST', '2026-W48', { at: '2026-11-24T01:00:00.000Z' }, true, 20_000);
    expect(row.status).toBe('DONE');
    expect(row.result).toEqual({ week: '2026-W48', built: true });
    expect(ms).toBeLessThan(5_000); // the poll is a minute away: NOTIFY woke the reporter
    const stored = await stack.db('risk_list').where('week', '2026-W48').first('as_of');
    expect(new Date(stored.as_of).toISOString()).toBe('2026-11-24T01:00:00.000Z');
  }, 30_000);

  test('a document request renders the letter under the number the correlator gave it and stores it with its stamp', async () => {
    const { row } = await request('DOCUMENT', 'RECOMMENDATION:REC-A-PRI', { format: 'docx' }, true, 20_000);
    expect(row).toMatchObject({ status: 'DONE', result: { documentNumber: '宿工预建〔2026〕3号', format: 'docx' } });
    const doc = await stack.db('document').where('document_id', 'RECOMMENDATION:REC-A-PRI').first('document_number', 'docx', 'pdf', 'source_stamp');
    expect(doc.document_number).toBe('宿工预建〔2026〕3号');
    expect(doc.source_stamp).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.pdf).toBeNull();
    const text = docxText(doc.docx);
    expect(text).toContain('宿工预建〔2026〕3号');
    expect(text).toContain(`${SCENARIO.A.name}：`);
    // The reporter assigns no numbers of its own any more.
    expect(await stack.db('document_counter').count({ n: '*' })).toEqual([{ n: '0' }]);
  }, 30_000);

  test('a request nobody announced is still taken by the poll', async () => {
    const quick = await startReporter({ config: stack.config, region, logger: createLogger('reporter-poll', 'silent'), schedule: '', pollMs: 300, opsPort: 0 });
    try {
      const { row } = await request('DOCUMENT', 'RECOMMENDATION:REC-B-ACC', { format: 'docx' }, false, 20_000);
      expect(row).toMatchObject({ status: 'DONE', result: { documentNumber: '宿工预建〔2026〕4号' } });
    } finally {
      await quick.close();
    }
  }, 30_000);

  test('a request for something that does not exist fails with a Chinese reason, and the reporter goes on', async () => {
    const { row } = await request('DOCUMENT', 'RECOMMENDATION:REC-NONE', { format: 'docx' }, true, 20_000);
    expect(row.status).toBe('FAILED');
    expect(row.result).toEqual({ code: 'NOT_FOUND', message: '未找到该整改建议' });
    const next = await request('RISK_LIST', '2026-W50', { at: '2026-11-24T01:00:00.000Z' }, true, 20_000);
    expect(next.row.result).toMatchObject({ code: 'BAD_REQUEST' });
    expect(next.row.result.message).toMatch(/尚未开始/);
  }, 30_000);
});

test('the reporter says whether it is listening for the portal’s requests, and counts what it did', async () => {
  const ready = await fetch(`${reporter.opsUrl}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ checks: { database: 'ok', requests: 'ok' } });
  const metrics = await (await fetch(`${reporter.opsUrl}/metrics`)).text();
  expect(metrics).toMatch(/whp_reporter_requests_total\{kind="RISK_LIST",status="DONE"\} [1-9]/);
});
