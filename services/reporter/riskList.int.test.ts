import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectStack, Stack } from '../../test/stack';
import { loadRegionConfig } from '../shared/regionConfig';
import { readRiskListXlsx } from './render/riskListXlsx';
import { SCENARIO, loadScenario } from '../../test/fixtures/reporterScenario';
import { generateRiskList } from './store';
import { storedRiskListXlsx } from '../shared/storedRiskLists';
import { isoWeekOf, parseIsoWeek, weekJustEnded } from '../shared/time';

const region = loadRegionConfig({ WHP_REGION: 'suqian' });
let stack: Stack;
let dir: string;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  await loadScenario(stack.db);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-risklist-'));
}, 60_000);

afterAll(async () => {
  await stack?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const MONDAY_AFTER_W47 = new Date('2026-11-23T00:00:00Z'); // 08:00 in Shanghai

async function xlsxOf(week: string) {
  const bytes = await storedRiskListXlsx(stack.db, week);
  expect(bytes).not.toBeNull();
  const file = path.join(dir, `${week}.xlsx`);
  fs.writeFileSync(file, bytes!);
  return readRiskListXlsx(file);
}

describe('ISO weeks in Shanghai time', () => {
  test('2026-W47 runs from Monday 16 to Sunday 22 November', () => {
    const w = parseIsoWeek('2026-W47');
    expect([w.start, w.end]).toEqual(['2026-11-16', '2026-11-22']);
    expect(w.endsAt.toISOString()).toBe('2026-11-22T16:00:00.000Z');
  });
  test('on Monday 08:00 Shanghai the week just ended is the previous one', () => {
    expect(weekJustEnded(MONDAY_AFTER_W47).week).toBe('2026-W47');
    expect(isoWeekOf(new Date('2026-11-22T15:59:59Z')).week).toBe('2026-W47');
    expect(isoWeekOf(new Date('2026-11-22T16:00:00Z')).week).toBe('2026-W48');
    expect(isoWeekOf(new Date('2027-01-01T00:00:00Z')).week).toBe('2026-W53');
    expect(weekJustEnded(new Date('2027-01-04T00:00:00Z')).week).toBe('2026-W53');
  });
  test('a malformed week is refused', () => {
    expect(() => parseIsoWeek('2026-47')).toThrow(/ISO 周/);
    expect(() => parseIsoWeek('2025-W53')).toThrow(/ISO 周/);
  });
});

describe('weekly risk list of a known scenario', () => {
  beforeAll(async () => {
    await generateRiskList(stack.db, region, '2026-W46', MONDAY_AFTER_W47);
    await generateRiskList(stack.db, region, '2026-W47', MONDAY_AFTER_W47);
  }, 60_000);

  test('PRIORITY employers come first, then the others by score, as read back from the XLSX', async () => {
    const x = await xlsxOf('2026-W47');
    expect(x.rows.map((r) => r.employerName)).toEqual([SCENARIO.A.name, SCENARIO.C.name, SCENARIO.B.name, SCENARIO.D.name]);
    expect(x.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(x.rows.map((r) => r.score)).toEqual([103, 92.5, 95, 40]);
    expect(x.rows.map((r) => r.priority)).toEqual([true, true, false, false]);
    expect(x.rows.map((r) => r.districtName)).toEqual(['宿城区', '宿豫区', '沭阳县', '泗洪县']);
  });

  test('each row lists the rules the employer hit', async () => {
    const x = await xlsxOf('2026-W47');
    expect(x.rows[0].rules).toEqual(['PRIORITY', 'HAZARD_EXCEEDED', 'UNDER_INSURED']);
    expect(x.rows[1].rules).toEqual(['PRIORITY', 'ACCIDENT_PRONE', 'UNINSURED']);
    expect(x.rows[2].rules).toEqual(['ACCIDENT_PRONE']);
    expect(x.rows[3].rules).toEqual(['PROJECT_UNINSURED']);
  });

  test('new and still-listed employers, and the removed ones with why, since last week', async () => {
    const w46 = await xlsxOf('2026-W46');
    expect(w46.rows.map((r) => r.employerName).sort()).toEqual([SCENARIO.A.name, SCENARIO.B.name, SCENARIO.C.name, SCENARIO.E.name, SCENARIO.F.name].sort());
    expect(new Set(w46.rows.map((r) => r.change))).toEqual(new Set(['FIRST'])); // the first list stored
    const x = await xlsxOf('2026-W47');
    expect(Object.fromEntries(x.rows.map((r) => [r.employerName, r.change]))).toEqual({
      [SCENARIO.A.name]: 'STILL_LISTED',
      [SCENARIO.C.name]: 'STILL_LISTED',
      [SCENARIO.B.name]: 'STILL_LISTED',
      [SCENARIO.D.name]: 'NEW',
    });
    expect(x.removed.map((r) => [r.employerName, r.reason])).toEqual([
      [SCENARIO.E.name, '预警已关闭：整改复查合格'],
      [SCENARIO.F.name, '预警已关闭：条件消除'],
    ]);
  });

  test('the key evidence comes from the facts: exceedances, enrolled workers now, accidents in the year', async () => {
    const x = await xlsxOf('2026-W47');
    const a = x.rows[0].evidence;
    expect(a).toContain('超标 2 次');
    expect(a).toContain('矽尘 2.4/0.7 mg/m³');
    expect(a).toContain('参保 2/职工 100');
    expect(a).toContain('尘肺 1 例');
    expect(x.rows[2].evidence).toContain('近一年事故 3 起/死亡 1 人（最近 2026-11-10）');
    expect(x.rows[1].evidence).toContain('未参保工伤 1 起');
    expect(x.rows[3].evidence).toContain('未提交参保证明项目 1 个');
    expect(x.rows[0].openRecommendations).toBe('宿工预建〔2026〕3号 联合督办建议（卫生健康委员会、人力资源和社会保障局） 期限 2026-12-05');
    expect(x.rows[2].openRecommendations).toBe('宿工预建〔2026〕4号 重点监控建议（应急管理局） 期限 2026-12-10');
  });

  test('the summary counts employers by district and by industry section', async () => {
    const x = await xlsxOf('2026-W47');
    expect(x.summary.byDistrict.find((d) => d.name === '宿城区')).toMatchObject({ employers: 1, priority: 1 });
    expect(x.summary.byIndustry.find((d) => d.key === 'C')).toMatchObject({ name: '制造业', employers: 1, priority: 1 });
    expect(x.summary.byIndustry.find((d) => d.key === 'B')).toMatchObject({ name: '采矿业', employers: 1, priority: 1 });
  });

  test('building a past week twice returns the stored list, stored once', async () => {
    const before = await stack.db('risk_list').where('week', '2026-W47').first('generated_at', 'xlsx');
    // Later data must not change an ended week's stored list.
    await stack.db('alert').where('alert_id', 'ALT-B-ACC').update({ score: 10 });
    try {
      const again = await generateRiskList(stack.db, region, '2026-W47', new Date('2026-11-30T00:00:00Z'));
      expect(again.built).toBe(false);
      expect(again.list.rows.map((r) => r.score)).toEqual([103, 92.5, 95, 40]);
      const after = await stack.db('risk_list').where('week', '2026-W47').select('generated_at', 'xlsx');
      expect(after).toHaveLength(1);
      expect(after[0].generated_at).toEqual(before.generated_at);
      expect(Buffer.compare(after[0].xlsx, before.xlsx)).toBe(0);
    } finally {
      await stack.db('alert').where('alert_id', 'ALT-B-ACC').update({ score: 95 });
    }
  });

  test('the current week is rebuilt as of the moment of the request', async () => {
    const first = await generateRiskList(stack.db, region, '2026-W48', new Date('2026-11-24T02:00:00Z'));
    expect(first.built).toBe(true);
    await stack.db('alert').where('alert_id', 'ALT-D-PRJ').update({ status: 'CLOSED', close_reason: 'CONDITION_ENDED', closed_at: '2026-11-24T03:00:00Z' });
    try {
      const second = await generateRiskList(stack.db, region, '2026-W48', new Date('2026-11-24T04:00:00Z'));
      expect(second.built).toBe(true);
      expect(second.list.asOf).toBe('2026-11-24T04:00:00.000Z');
      expect(second.list.rows.map((r) => r.employerName)).not.toContain(SCENARIO.D.name);
      expect(second.list.removed.map((r) => r.employerName)).toEqual([SCENARIO.D.name]);
      expect(await stack.db('risk_list').where('week', '2026-W48').count({ n: '*' })).toEqual([{ n: '1' }]);
    } finally {
      await stack.db('alert').where('alert_id', 'ALT-D-PRJ').update({ status: 'OPEN', close_reason: null, closed_at: null });
      await stack.db('risk_list').where('week', '2026-W48').delete();
    }
  });

  test('a week that has not started cannot be built', async () => {
    await expect(generateRiskList(stack.db, region, '2026-W50', MONDAY_AFTER_W47)).rejects.toThrow(/尚未开始/);
  });
});
