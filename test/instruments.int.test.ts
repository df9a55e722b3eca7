import ExcelJS from 'exceljs';
import { connectStack, Stack } from './stack';
import { feed, scenario } from './fixtures/events';
import { makeUscc } from './fixtures/uscc';
import { createLogger } from '../services/shared/logger';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { Portal, startPortal } from '../services/portal/portal';
import { Reporter, startReporter } from '../services/reporter/reporter';
import { drawSample, populationAsOf, seedOf } from '../services/reporter/instruments/inspectionPlan';

/**
 * The plan's other instruments end to end: department events through the correlator's real
 * batch processor, the reporter building on the portal's request, the portal serving JSON and
 * XLSX by each department's rights. Now is 2026-11-25 10:00 in Shanghai.
 */
const region = loadRegionConfig({ WHP_REGION: 'suqian' });
const NOW = new Date('2026-11-25T10:00:00+08:00');
let stack: Stack;
let reporter: Reporter;
let portal: Portal;

const up = scenario(makeUscc('instr-up'), '2026-01-05', '宿迁高支缴机械有限公司');
const risky = scenario(makeUscc('instr-risky'), '2026-01-05', '宿迁多事故机械有限公司');
const inWindow = scenario(makeUscc('instr-followup'), '2025-01-01', '宿迁复查合格建材有限公司');
const tooEarly = scenario(makeUscc('instr-early'), '2025-01-01', '宿迁较早整改建材有限公司');
const tooLate = scenario(makeUscc('instr-late'), '2025-01-01', '宿迁较晚整改建材有限公司');

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  const yearly = (s: typeof up, paid: number) => ['2023', '2024', '2025'].map((y) => s.contribution(y, paid, { received: `${Number(y) + 1}-01-10` }));
  const hazardRectifiedOn = (s: typeof up, sampled: string) => [s.employer('2025-01-01', 10, 'C3011', { received: sampled }), ...s.staff(10, '2025-01-01', { received: sampled }), s.hazard(sampled, 2, 1, { received: sampled })];
  await feed(
    stack.db,
    region,
    [
      up.employer('2023-01-01', 30, 'C3011', { received: '2023-01-05' }),
      ...up.staff(30, '2023-01-01', { received: '2023-01-05' }),
      ...yearly(up, 40_000), // 120,000 paid over the cycle
      up.benefit('2024-05-01', 150_000, { received: '2024-05-02' }),
      up.benefit('2025-03-01', 50_000, { received: '2025-03-02' }), // 200,000: 支缴率 166.7%
      risky.employer('2023-01-01', 30, 'C3011', { received: '2023-01-05' }),
      ...risky.staff(30, '2023-01-01', { received: '2023-01-05' }),
      ...yearly(risky, 40_000), // nothing paid out: would be 下浮 50%
      ...['2024-02-01', '2024-04-01', '2024-06-01'].map((d) => risky.accident(d, { received: d })), // but ACCIDENT_PRONE in 2024
      ...hazardRectifiedOn(inWindow, '2025-07-01'),
      ...hazardRectifiedOn(tooEarly, '2025-05-01'),
      ...hazardRectifiedOn(tooLate, '2025-09-01'),
      up.training('2026-03-01', 6, 10, { received: '2026-03-02' }),
      ...Array.from({ length: 30 }, (_, i) => up.inspection('2026-07-15', 'LISTED', i < 20 ? 'HAZARD_FOUND' : 'COMPLIANT', { received: '2026-07-16', department: 'health' })),
      ...Array.from({ length: 100 }, (_, i) => risky.inspection('2026-08-15', 'RANDOM', i < 5 ? 'HAZARD_FOUND' : 'COMPLIANT', { received: '2026-08-16' })),
    ],
    NOW,
  );
  // The re-checks name the letters the correlator issued.
  for (const [s, verified] of [[inWindow, '2025-08-15'], [tooEarly, '2025-06-20'], [tooLate, '2025-10-05']] as const) {
    const uscc = s.employer('2025-01-01', 1).value.uscc as string;
    const rec = await stack.db('recommendation').where({ employer_key: uscc }).first();
    await feed(stack.db, region, [s.recheck(rec.document_number, verified, 'PASSED', { received: verified })], NOW);
  }
  const logger = createLogger('instruments-test', 'silent');
  reporter = await startReporter({ config: stack.config, region, logger, schedule: '', now: () => NOW, opsPort: 0 });
  portal = await startPortal({ config: stack.config, region, logger, port: 0, now: () => NOW });
}, 120_000);

afterAll(async () => {
  await portal?.close();
  await reporter?.close();
  await stack?.close();
});

const get = (department: string, path: string) => fetch(`${portal.url}${path}`, { headers: { authorization: `Bearer dev-${department}` } });
const sheetText = async (res: Response) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  const out: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')).join('|'))));
  return out.join('\n');
};

describe('浮动费率 suggestions for a cycle', () => {
  test('a high 支缴率 suggests 上浮 by its tier; an employer accident-prone in the cycle is not 下浮', async () => {
    const res = await get('hrss', '/api/v1/rate-adjustments?cycle=2023-2025');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { cycle: string; rows: { employerName: string; direction: string; change: number; ratio: number; reason: string }[] };
    expect(body.cycle).toBe('2023-2025');
    const byName = new Map(body.rows.map((r) => [r.employerName, r]));
    expect(byName.get('宿迁高支缴机械有限公司')).toMatchObject({ direction: 'UP', change: 0.5 });
    expect(byName.get('宿迁高支缴机械有限公司')!.ratio).toBeCloseTo(200_000 / 120_000, 6);
    expect(byName.get('宿迁多事故机械有限公司')).toMatchObject({ direction: 'KEEP', change: 0 });
    expect(byName.get('宿迁多事故机械有限公司')!.reason).toContain('周期内曾被列为“事故多发”，不予下浮');
  }, 60_000);

  test('as XLSX 人社 can forward, in Chinese', async () => {
    const res = await get('hrss', '/api/v1/rate-adjustments.xlsx?cycle=2023-2025');
    expect(res.status).toBe(200);
    const text = await sheetText(res);
    expect(text).toContain('宿迁市工伤保险浮动费率调整建议（2023-2025 年度周期）');
    expect(text).toMatch(/宿迁高支缴机械有限公司.*上浮\|50%/);
    expect(text).not.toMatch(/\bUP\b|\bKEEP\b|ALT-|REC-/);
  }, 60_000);

  test('only 人社 reads it', async () => {
    expect((await get('health', '/api/v1/rate-adjustments?cycle=2023-2025')).status).toBe(403);
  });
});

describe('双随机 and 回头看 plan of a quarter', () => {
  test('回头看 lists exactly the employers rectified 3–6 months before the quarter began', async () => {
    const res = await get('hrss', '/api/v1/inspections/plan?quarter=2026-Q1');
    expect(res.status).toBe(200);
    const plan = (await res.json()) as { seed: number; followUp: { employerName: string; rectifiedOn: string; department: string }[]; followUpWindow: { from: string; to: string } };
    expect(plan.followUpWindow).toEqual({ from: '2025-07-01', to: '2025-10-01' });
    expect(plan.followUp.map((f) => [f.employerName, f.rectifiedOn, f.department])).toEqual([['宿迁复查合格建材有限公司', '2025-08-15', 'health']]);
  }, 60_000);

  test('the sample is the one anyone redraws with the recorded seed, and stays as drawn', async () => {
    const plan = (await (await get('hrss', '/api/v1/inspections/plan?quarter=2026-Q1')).json()) as { seed: number; sampleRate: number; sample: { employerKey: string }[] };
    expect(plan.seed).toBe(seedOf('宿迁市', '2026-Q1'));
    const redrawn = drawSample(await populationAsOf(stack.db, '2026-01-01'), plan.seed, plan.sampleRate);
    expect(plan.sample.map((s) => s.employerKey).sort()).toEqual([...redrawn.values()].flat().sort());
    expect(plan.sample.length).toBeGreaterThan(0);
  }, 60_000);

  test('each department reads its own part; 总工会 none', async () => {
    const health = (await (await get('health', '/api/v1/inspections/plan?quarter=2026-Q1')).json()) as { sample: { department: string }[]; followUp: { department: string }[] };
    expect(health.followUp).toHaveLength(1);
    expect([...health.sample, ...health.followUp].every((x) => x.department === 'health')).toBe(true);
    const emergency = (await (await get('emergency', '/api/v1/inspections/plan?quarter=2026-Q1')).json()) as { followUp: unknown[] };
    expect(emergency.followUp).toEqual([]);
    expect((await get('union', '/api/v1/inspections/plan?quarter=2026-Q1')).status).toBe(403);
    const xlsx = await sheetText(await get('health', '/api/v1/inspections/plan.xlsx?quarter=2026-Q1'));
    expect(xlsx).toContain('宿迁复查合格建材有限公司');
    expect(xlsx).not.toContain('应急管理局|');
  }, 60_000);
});

test('the list’s precision: listed inspections against the random sample, per quarter, with the lift', async () => {
  const res = await get('hrss', '/api/v1/risk-lists/precision');
  expect(res.status).toBe(200);
  const body = (await res.json()) as { quarters: { quarter: string; listed: { rate: number }; random: { rate: number }; lift: number; clear: boolean }[] };
  const q3 = body.quarters.find((q) => q.quarter === '2026-Q3')!;
  expect(q3.listed.rate).toBeCloseTo(20 / 30, 6);
  expect(q3.random.rate).toBeCloseTo(5 / 100, 6);
  expect(q3.lift).toBeCloseTo((20 / 30) / 0.05, 6);
  expect(q3.clear).toBe(true);
}, 60_000);

test('training coverage of the key industries', async () => {
  const body = (await (await get('hrss', '/api/v1/training-coverage')).json()) as { coverage: number; employers: { employerName: string; coverage: number | null }[] };
  expect(body.employers.find((e) => e.employerName === '宿迁高支缴机械有限公司')!.coverage).toBeCloseTo(0.6, 6);
  expect(body.coverage).toBeCloseTo(0.6, 6); // the only employer that gave its key-post headcount
  expect(body.employers.find((e) => e.employerName === '宿迁多事故机械有限公司')!.coverage).toBeNull();
}, 60_000);
