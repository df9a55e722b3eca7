import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectStack, Stack } from '../../test/stack';
import { SCENARIO, loadScenario } from '../../test/fixtures/reporterScenario';
import { loadRegionConfig } from '../shared/regionConfig';
import { storedRiskListXlsx } from '../shared/storedRiskLists';
import { readRiskListXlsx } from './render/riskListXlsx';
import { generateRiskList } from './store';

/**
 * The change since last week when there is no last week to compare with: the hub's very first
 * list, and a week after one that was never stored (computed from what the hub knew then).
 */
const region = loadRegionConfig({ WHP_REGION: 'suqian' });
let stack: Stack;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  await loadScenario(stack.db);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const MONDAY_AFTER_W47 = new Date('2026-11-23T00:00:00Z');
const MONDAY_AFTER_W49 = new Date('2026-12-07T00:00:00Z');

describe('the first list on a new hub', () => {
  test('says there is nothing to compare with: every row FIRST, nobody new, nobody removed', async () => {
    const { list } = await generateRiskList(stack.db, region, '2026-W47', MONDAY_AFTER_W47);
    expect(list.previousWeek).toBeNull();
    expect(list.comparison).toBe('首次生成，无上周清单可比');
    expect(list.rows.map((r) => [r.employerName, r.change, r.changeLabel])).toEqual([
      [SCENARIO.A.name, 'FIRST', '首次生成'],
      [SCENARIO.C.name, 'FIRST', '首次生成'],
      [SCENARIO.B.name, 'FIRST', '首次生成'],
      [SCENARIO.D.name, 'FIRST', '首次生成'],
    ]);
    // E and F closed during the week: with an invented last week they would have been "removed".
    expect(list.removed).toEqual([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-first-'));
    try {
      const file = path.join(dir, 'w47.xlsx');
      fs.writeFileSync(file, (await storedRiskListXlsx(stack.db, '2026-W47'))!);
      const x = await readRiskListXlsx(file);
      expect(x.summary.info['比较基准']).toBe('首次生成，无上周清单可比');
      expect(x.summary.info['新上榜']).toBe(0);
      expect(x.rows.map((r) => r.change)).toEqual(['FIRST', 'FIRST', 'FIRST', 'FIRST']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a week after one that was never stored', () => {
  beforeAll(async () => {
    const emp = (key: string, name: string) => ({ employer_key: key, uscc: key, name, normalized_name: name, region_code: '321302', industry_code: 'C3011' });
    await stack.db('employer').insert([
      emp('91321302MA1HHHHH1H', '宿城辛机械有限公司'),
      emp('91321302MA1JJJJJ1J', '宿城壬木业有限公司'),
      emp('91321302MA1KKKKK1K', '宿城癸包装有限公司'),
      emp('91321302MA1IIIII1I', '宿城子塑料有限公司'),
    ]);
    const alert = (id: string, key: string, openedAt: string, raisedOn: string | null, extra: Record<string, unknown> = {}) => ({
      alert_id: id, employer_key: key, rule: 'HAZARD_EXCEEDED', status: 'OPEN', close_reason: null, severity: 'HIGH', score: 50,
      explanation: '说明', evidence: '[]', routed_to: ['health'], opened_at: openedAt, updated_at: openedAt, closed_at: null, raised_on: raisedOn, ...extra,
    });
    await stack.db('alert').insert([
      // H: its condition began in W48 (event time), but the hub raised it only in W49 (a late report).
      alert('ALT-H', '91321302MA1HHHHH1H', '2026-11-25T02:00:00Z', '2026-12-02'),
      // J: open at the end of W48 in event time, closed during W49.
      alert('ALT-J', '91321302MA1JJJJJ1J', '2026-11-20T02:00:00Z', '2026-11-20', { status: 'CLOSED', close_reason: 'CONDITION_ENDED', closed_at: '2026-12-02T00:00:00Z' }),
      // K: superseded, open across the end of W48: its successor counts, not it.
      alert('ALT-K', '91321302MA1KKKKK1K', '2026-11-20T02:00:00Z', '2026-11-20', { status: 'CLOSED', close_reason: 'SUPERSEDED', closed_at: '2026-12-02T00:00:00Z' }),
      // I: closed (event time) before W48 ended.
      alert('ALT-I', '91321302MA1IIIII1I', '2026-11-20T02:00:00Z', '2026-11-20', { status: 'CLOSED', close_reason: 'CONDITION_ENDED', closed_at: '2026-11-27T00:00:00Z' }),
    ]);
  });

  test('compares with what the hub had raised by the end of that week, in event time, superseded alerts aside', async () => {
    expect(await stack.db('risk_list').where('week', '2026-W48').first()).toBeUndefined();
    const { list } = await generateRiskList(stack.db, region, '2026-W49', MONDAY_AFTER_W49);
    expect(list.previousWeek).toBe('2026-W48');
    expect(list.comparison).toBe('2026-W48 的清单未存储，按该周结束时枢纽已发出且未关闭的预警比较');
    expect(Object.fromEntries(list.rows.map((r) => [r.employerName, r.change]))).toEqual({
      [SCENARIO.A.name]: 'STILL_LISTED',
      [SCENARIO.C.name]: 'STILL_LISTED',
      [SCENARIO.B.name]: 'STILL_LISTED',
      [SCENARIO.D.name]: 'STILL_LISTED',
      宿城辛机械有限公司: 'NEW',
    });
    expect(list.removed.map((r) => [r.employerName, r.reason])).toEqual([['宿城壬木业有限公司', '预警已关闭：条件消除']]);
  });
});
