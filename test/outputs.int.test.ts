import { execFileSync } from 'node:child_process';
import { connectStack, Stack } from './stack';
import { docxText } from './docx';
import { SCENARIO, loadScenario } from './fixtures/reporterScenario';
import { createLogger } from '../services/shared/logger';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { Portal, startPortal } from '../services/portal/portal';
import { Reporter, startReporter } from '../services/reporter/reporter';

/**
 * The portal and the reporter side by side, as `npm start` runs them: the portal asks through
 * the database, the reporter builds and stores, the portal serves. Both clocks stand on Monday
 * 24 Nov 2026, 10:00 Shanghai (week 2026-W48).
 */
const region = loadRegionConfig({ WHP_REGION: 'suqian' });
const NOW = () => new Date('2026-11-24T02:00:00Z');
let stack: Stack;
let reporter: Reporter;
let portal: Portal;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  await loadScenario(stack.db);
  const logger = createLogger('outputs-test', 'silent');
  reporter = await startReporter({ config: stack.config, region, logger, schedule: '', now: NOW, opsPort: 0 });
  portal = await startPortal({ config: stack.config, region, logger, port: 0, now: NOW });
}, 60_000);

afterAll(async () => {
  await portal?.close();
  await reporter?.close();
  await stack?.close();
});

const auth = (department: string) => ({ authorization: `Bearer dev-${department}` });
const fetchAs = (department: string, path: string, init: RequestInit = {}) => fetch(`${portal.url}${path}`, { ...init, headers: auth(department) });
const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());
const hasSoffice = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v soffice'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('risk lists: the portal asks, the reporter builds', () => {
  test('POST by a department other than hrss is refused with 403', async () => {
    for (const d of ['health', 'emergency', 'union']) {
      const res = await fetchAs(d, '/api/v1/risk-lists?week=2026-W47', { method: 'POST' });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toMatch(/无权生成风险清单/);
    }
  });

  test('hrss builds the current week on demand, as of the moment of the request', async () => {
    const res = await fetchAs('hrss', '/api/v1/risk-lists?week=2026-W48', { method: 'POST' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ week: '2026-W48', built: true, asOf: '2026-11-24T02:00:00.000Z', employers: 4, previousWeek: null, comparison: '首次生成，无上周清单可比' });
  }, 60_000);

  test('an ended week is built once: 201 the first time, 200 with the stored list after', async () => {
    const first = await fetchAs('hrss', '/api/v1/risk-lists?week=2026-W47', { method: 'POST' });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ week: '2026-W47', built: true, asOf: '2026-11-22T16:00:00.000Z', employers: 4 });
    const requests = await stack.db('report_request').where({ kind: 'RISK_LIST', ref: '2026-W47' }).count({ n: '*' });
    const again = await fetchAs('hrss', '/api/v1/risk-lists?week=2026-W47', { method: 'POST' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ week: '2026-W47', built: false, documents: { xlsx: '/api/v1/risk-lists/2026-W47.xlsx' } });
    // Answered from the stored list: the reporter was not asked again.
    expect(await stack.db('report_request').where({ kind: 'RISK_LIST', ref: '2026-W47' }).count({ n: '*' })).toEqual(requests);
  }, 60_000);

  test('a week that has not started is refused in Chinese', async () => {
    const res = await fetchAs('hrss', '/api/v1/risk-lists?week=2026-W50', { method: 'POST' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/尚未开始/);
  });

  test('hrss reads the latest list as JSON and any week as JSON or XLSX; others may not', async () => {
    const latest = await fetchAs('hrss', '/api/v1/risk-lists/latest');
    expect(latest.status).toBe(200);
    expect(((await latest.json()) as { week: string }).week).toBe('2026-W48');
    const json = (await (await fetchAs('hrss', '/api/v1/risk-lists/2026-W47.json')).json()) as { rows: { employerName: string }[] };
    expect(json.rows.map((r) => r.employerName)).toEqual([SCENARIO.A.name, SCENARIO.C.name, SCENARIO.B.name, SCENARIO.D.name]);
    const xlsx = await fetchAs('hrss', '/api/v1/risk-lists/2026-W47.xlsx');
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect((await bytesOf(xlsx)).subarray(0, 2).toString()).toBe('PK');
    expect((await fetchAs('health', '/api/v1/risk-lists/2026-W47.json')).status).toBe(403);
    expect((await fetchAs('hrss', '/api/v1/risk-lists/2026-W40.json')).status).toBe(404);
    expect((await fetchAs('hrss', '/api/v1/risk-lists/2026-47.json')).status).toBe(400);
  });
});

describe('限期整改建议书: rendered and stored by the reporter, served by the portal', () => {
  test('a joint letter lists every problem under both organs and its stored number, and is named by that number', async () => {
    const res = await fetchAs('health', '/api/v1/recommendations/REC-A-PRI.docx');
    expect(res.status).toBe(200);
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain('限期整改建议书-宿工预建〔2026〕3号.docx');
    const text = docxText(await bytesOf(res));
    expect(text).toContain('宿迁市卫生健康委员会宿迁市人力资源和社会保障局宿工预建〔2026〕3号');
    expect(text).toContain(`关于${SCENARIO.A.name}限期整改职业病危害因素超标和工伤保险参保不足问题的建议书`);
    expect(text).toContain('（一）危害因素浓（强）度超标（卫生健康委员会）');
    expect(text).toContain('2026年8月15日 破碎岗位 矽尘 检测值 2.4 mg/m³，PC-TWA 限值 0.7 mg/m³，为限值的 3.4 倍。');
    expect(text).toContain('（二）参保不足（人力资源和社会保障局）');
    expect(text).toContain('请你单位于2026年12月5日前完成上述问题的整改');
    expect(text).not.toMatch(/REC-|ALT-|PRIORITY|JOINT|HAZARD_EXCEEDED/);
  }, 60_000);

  test('asked again, the stored file is served as it was, without asking the reporter', async () => {
    const before = await stack.db('report_request').where({ ref: 'RECOMMENDATION:REC-A-PRI' }).count({ n: '*' });
    const a = await bytesOf(await fetchAs('hrss', '/api/v1/recommendations/REC-A-PRI.docx'));
    const b = await bytesOf(await fetchAs('health', '/api/v1/recommendations/REC-A-PRI.docx'));
    expect(a.equals(b)).toBe(true);
    expect(await stack.db('report_request').where({ ref: 'RECOMMENDATION:REC-A-PRI' }).count({ n: '*' })).toEqual(before);
  });

  test('a problem added to the letter appears in it with its own deadline, under the same 发文字号', async () => {
    const row = await stack.db('recommendation').where('recommendation_id', 'REC-A-PRI').first('items', 'version');
    const added = {
      rule: 'HAZARD_EXCEEDED', department: 'health', key: '噪声|包装', issuedAt: '2026-11-20', deadline: '2026-12-20', status: 'OPEN', resolvedAt: null,
      details: ['2026年11月18日 包装岗位 噪声 检测值 92 dB(A)，8h-Leq 限值 85 dB(A)，为限值的 1.1 倍'], evidence: [],
    };
    // What the correlator does when a further problem of 卫生健康 joins the open letter.
    await stack.db('recommendation').where('recommendation_id', 'REC-A-PRI').update({ items: JSON.stringify([...row.items, added]), version: Number(row.version) + 1 });
    const text = docxText(await bytesOf(await fetchAs('health', '/api/v1/recommendations/REC-A-PRI.docx')));
    expect(text).toContain('2026年11月18日 包装岗位 噪声 检测值 92 dB(A)，8h-Leq 限值 85 dB(A)，为限值的 1.1 倍。（2026年11月20日补充列入，整改期限为2026年12月20日）');
    expect(text).toContain('宿工预建〔2026〕3号');
    expect(text).toContain('（其中另注整改期限的事项，按所注期限完成）');
  }, 60_000);

  test('evidence reported late (迟报) is said beside its problem', async () => {
    await stack.db('fact').where({ department: 'emergency', event_type: 'accident', event_id: 'EV-11' }).update({
      payload: stack.db.raw(`payload || '{"firstIngestedAt": "2026-11-09T02:00:00.000Z"}'::jsonb`),
    });
    await stack.db('feed_issue').insert({ department: 'emergency', event_type: 'accident', event_id: 'EV-11', kind: 'LATE_REPORT', employer_key: SCENARIO.B.key, reason: '迟报' });
    await stack.db('recommendation').where('recommendation_id', 'REC-B-ACC').increment('version', 1);
    const res = await fetchAs('emergency', '/api/v1/recommendations/REC-B-ACC.docx');
    expect(res.status).toBe(200);
    const text = docxText(await bytesOf(res));
    expect(text).toContain('（一）事故多发（应急管理局）');
    expect(text).toContain('迟报：应急管理局报送的2026年3月1日事故于2026年11月9日方才报送，超过规定报送时限，仍予列入');
    expect(text).toContain('宿迁市人力资源和社会保障局'); // 抄送 人社
  }, 60_000);

  (hasSoffice ? test : test.skip)('the PDF comes out of LibreOffice, from the same letter', async () => {
    const res = await fetchAs('hrss', '/api/v1/recommendations/REC-A-PRI.pdf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect((await bytesOf(res)).subarray(0, 5).toString()).toBe('%PDF-');
  }, 120_000);

  test('authorisation comes before existence: a department learns nothing from 404', async () => {
    expect((await fetchAs('housing', '/api/v1/recommendations/REC-A-PRI.docx')).status).toBe(403);
    expect((await fetchAs('union', '/api/v1/recommendations/REC-A-PRI.docx')).status).toBe(403);
    expect((await fetchAs('health', '/api/v1/recommendations/REC-NONE.docx')).status).toBe(403);
    expect((await fetchAs('hrss', '/api/v1/recommendations/REC-NONE.docx')).status).toBe(404);
  });
});

describe('通报 through the portal', () => {
  beforeAll(async () => {
    await stack.db('notice').insert({
      notice_id: 'NTC-OUT-1',
      kind: 'TYPICAL_ACCIDENT',
      title: '关于建筑业高处坠落事故集中发生情况的通报',
      issued_at: '2026-11-20',
      employers: [SCENARIO.D.key],
      evidence: '[]',
      body: '2026年10月1日至2026年10月20日，本地区建筑业 30 日内连续发生高处坠落事故 3 起。\n请相关行业主管部门组织开展专项排查整治。',
      document_number: '宿工预通〔2026〕5号',
      version: 1,
    });
  });

  test('every member reads it as DOCX, named and numbered as the correlator issued it', async () => {
    const res = await fetchAs('union', '/api/v1/notices/NTC-OUT-1.docx');
    expect(res.status).toBe(200);
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain('通报-宿工预通〔2026〕5号.docx');
    const text = docxText(await bytesOf(res));
    expect(text).toContain('宿迁市应急管理局文件');
    expect(text).toContain('宿工预通〔2026〕5号');
    expect(text).toContain('关于建筑业高处坠落事故集中发生情况的通报');
  }, 60_000);

  (hasSoffice ? test : test.skip)('and as PDF', async () => {
    const res = await fetchAs('market', '/api/v1/notices/NTC-OUT-1.pdf');
    expect(res.status).toBe(200);
    expect((await bytesOf(res)).subarray(0, 5).toString()).toBe('%PDF-');
  }, 120_000);
});
