import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn as signInAs } from './browser';
import { connectStack, Stack } from './stack';
import { waitFor } from './waitFor';
import { feed, scenario } from './fixtures/events';
import { makeUscc } from './fixtures/uscc';
import { createLogger } from '../services/shared/logger';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { isoWeekOf, quarterOf, shanghaiDay } from '../services/shared/time';
import { Reporter, startReporter } from '../services/reporter/reporter';
import { Portal, startPortal } from '../services/portal/portal';

/**
 * The console's 双随机与回头看 and 浮动费率 pages and the precision card beside the risk list,
 * in Chromium against the real reporter and portal. The scenario goes through the correlator's
 * real batch processor (test/fixtures/events, as test/instruments.int.test.ts): letters are
 * issued on the day the hub received their evidence, so a 回头看 needs events received months
 * ago, which the gateway (receiving them today) cannot give. Five employers, each in its own
 * stratum (so each is drawn), one per inspecting department and one rectified in the 回头看
 * window; inspections of the last two quarters for the precision; three years of contributions.
 */
const ROOT = path.resolve(__dirname, '..');
const SHOTS = path.join(ROOT, 'out', 'screenshots');
const region = loadRegionConfig({ WHP_REGION: 'suqian' });
const NOW = new Date();
const today = shanghaiDay(NOW);
const quarter = quarterOf(today);
const k = Math.floor(Math.random() * 900) + 100;
const H = scenario(makeUscc(`ic-h-${k}`), '2023-01-05', `宿迁抽查测试建材有限公司${k}`); // C 制造业, 非金属矿物制品 → 卫生健康
const U = scenario(makeUscc(`ic-u-${k}`), '2023-01-05', `宿迁抽查测试建筑工程有限公司${k}`); // E 建筑业 → 住房和城乡建设
const T = scenario(makeUscc(`ic-t-${k}`), '2023-01-05', `宿迁抽查测试道路运输有限公司${k}`); // G 交通运输 → 交通运输
const M = scenario(makeUscc(`ic-m-${k}`), '2023-01-05', `宿迁抽查测试五金批发有限公司${k}`); // F 批发零售 → 应急管理
const F = scenario(makeUscc(`ic-f-${k}`), '2023-01-05', `宿迁回头看测试石材开采有限公司${k}`); // B 采矿业 → 卫生健康; 回头看
const NAMES = { H: `宿迁抽查测试建材有限公司${k}`, U: `宿迁抽查测试建筑工程有限公司${k}`, T: `宿迁抽查测试道路运输有限公司${k}`, M: `宿迁抽查测试五金批发有限公司${k}`, F: `宿迁回头看测试石材开采有限公司${k}` };
const uscc = (s: typeof H) => s.employer('2023-01-01', 1).value.uscc as string;

// The quarter's start, the 回头看 window (3–6 months before it) and the quarter before.
const qStart = `${quarter.slice(0, 4)}-${String((Number(quarter.slice(-1)) - 1) * 3 + 1).padStart(2, '0')}-01`;
const monthsBefore = (day: string, m: number, d: number) => {
  const t = new Date(`${day}T00:00:00Z`);
  t.setUTCMonth(t.getUTCMonth() - m);
  t.setUTCDate(t.getUTCDate() + d);
  return t.toISOString().slice(0, 10);
};
const hazardDay = monthsBefore(qStart, 6, 9); // issued early in the window
const rectifiedDay = monthsBefore(qStart, 4, 19); // rectified inside it
const lastQuarterDay = monthsBefore(qStart, 2, 9);
const thisQuarterDay = qStart < today ? qStart : today;

let stack: Stack;
let reporter: Reporter;
let portal: Portal;
let browser: Browser;

beforeAll(async () => {
  execFileSync('bash', [path.join(ROOT, 'scripts', 'build-console.sh')], { stdio: 'inherit' });
  fs.mkdirSync(SHOTS, { recursive: true });
  stack = await connectStack({ freshDatabase: true });
  const yearly = (s: typeof H, paid: number) => ['2023', '2024', '2025'].map((y) => s.contribution(y, paid, { received: `${Number(y) + 1}-01-10` }));
  const inspections = (day: string, origin: 'LISTED' | 'RANDOM', n: number, found: number, department: string) =>
    Array.from({ length: n }, (_, i) => M.inspection(day, origin, i < found ? 'HAZARD_FOUND' : 'COMPLIANT', { received: day, department }));
  await feed(
    stack.db,
    region,
    [
      H.employer('2023-01-01', 30, 'C3011', { received: '2023-01-05' }),
      ...H.staff(30, '2023-01-01', { received: '2023-01-05' }),
      ...yearly(H, 40_000),
      H.benefit('2024-05-01', 150_000, { received: '2024-05-02' }),
      H.benefit('2025-03-01', 50_000, { received: '2025-03-02' }), // 支缴率 166.7%: 上浮 50%
      U.employer('2023-01-01', 20, 'E4790', { received: '2023-01-05' }),
      ...U.staff(20, '2023-01-01', { received: '2023-01-05' }),
      ...yearly(U, 40_000), // nothing paid out: 下浮 50%
      T.employer('2023-01-01', 5, 'G5430', { received: '2023-01-05' }),
      ...T.staff(5, '2023-01-01', { received: '2023-01-05' }),
      ...yearly(T, 5_000), // a small base, nothing paid out: 下浮, marked small
      M.employer('2023-01-01', 20, 'F5191', { received: '2023-01-05' }),
      ...M.staff(20, '2023-01-01', { received: '2023-01-05' }),
      ...yearly(M, 40_000),
      M.benefit('2024-06-01', 60_000, { received: '2024-06-02' }), // 支缴率 50%: 不变
      F.employer('2023-01-01', 10, 'B1011', { received: '2023-01-05' }),
      ...F.staff(10, '2023-01-01', { received: '2023-01-05' }),
      F.hazard(hazardDay, 2, 1, { received: hazardDay }),
      ...inspections(lastQuarterDay, 'LISTED', 12, 8, 'health'),
      ...inspections(lastQuarterDay, 'RANDOM', 40, 4, 'emergency'),
      ...inspections(thisQuarterDay, 'LISTED', 6, 3, 'emergency'),
      ...inspections(thisQuarterDay, 'RANDOM', 20, 2, 'emergency'),
    ],
    NOW,
  );
  const rec = await stack.db('recommendation').where({ employer_key: uscc(F), rule: 'HAZARD_EXCEEDED' }).first();
  expect(rec?.document_number).toBeTruthy();
  await feed(stack.db, region, [F.recheck(rec.document_number, rectifiedDay, 'PASSED', { received: rectifiedDay })], NOW);
  await waitFor(async () => (await stack.db('recommendation').where({ employer_key: uscc(F), rule: 'HAZARD_EXCEEDED', status: 'RECTIFIED' })).length === 1, { what: "F's letter rectified" });

  const logger = createLogger('instruments-console-test', 'silent');
  reporter = await startReporter({ config: stack.config, region, logger, schedule: '', opsPort: 0 });
  portal = await startPortal({ config: stack.config, region, logger, port: 0 });
  const week = await fetch(`${portal.url}/api/v1/risk-lists?week=${isoWeekOf(NOW).week}`, { method: 'POST', headers: { authorization: 'Bearer dev-hrss' } });
  expect([200, 201]).toContain(week.status);
  browser = await launchBrowser();
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await reporter?.close();
  await stack?.close();
});

const signIn = (department: string) => signInAs(browser, portal.url, department);

/** The table of the active inner tab (抽查 / 回头看 / 分层) inside the active 检查计划 tab. */
const INNER = '.ant-tabs-tabpane-active .ant-tabs-tabpane-active .ant-table-tbody';
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const noInternalNames = async (page: Page) => {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\b(UP|DOWN|KEEP|RANDOM|LISTED|HAZARD_FOUND|COMPLIANT|HAZARD_EXCEEDED|hrss|health|emergency|housing|transport)\b/);
  for (const s of [H, U, T, M, F]) expect(text).not.toContain(`psn_${uscc(s)}`);
};
/** What the console shows of a rate and an interval (labels.ts). */
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const ci = (x: { low: number | null; high: number | null }) => (x.low === null || x.high === null ? '—' : `${pct(x.low)}–${pct(x.high)}`);
const lift = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)} 倍`);
type Rate = { inspections: number; hazardsFound: number; rate: number | null; low: number | null; high: number | null };
type Precision = { quarters: { quarter: string; listed: Rate; random: Rate; lift: number | null; clear: boolean }[] };

test('人社 sees the whole plan with its seed, downloads it, reads the precision per quarter, the rate suggestions and the card beside the risk list', async () => {
  const { context, page } = await signIn('hrss');
  const menu = await page.locator('.ant-pro-sider, .ant-layout-sider').first().innerText();
  expect(menu).toContain('双随机与回头看');
  expect(menu).toContain('浮动费率');

  await page.goto(`${portal.url}/inspections`);
  await page.getByTestId('plan-summary').waitFor({ timeout: 60_000 });
  const plan = (await page.evaluate(async (q) => (await fetch(`/api/v1/inspections/plan?quarter=${q}`)).json(), quarter)) as { seed: number; sample: { employerName: string }[]; followUp: { employerName: string }[] };
  expect(plan.sample.map((s) => s.employerName).sort()).toEqual(Object.values(NAMES).sort());
  await expect(page.getByTestId('plan-seed').innerText()).resolves.toContain(String(plan.seed));
  const sample = await page.locator(INNER).innerText();
  for (const name of Object.values(NAMES)) expect(sample).toContain(name);
  for (const dept of ['卫生健康委员会', '住房和城乡建设局', '交通运输局', '应急管理局']) expect(sample).toContain(dept);
  await noInternalNames(page);
  await shot(page, '20-双随机抽查-人社');
  await page.getByRole('tab', { name: /回头看/ }).click();
  const followUp = await page.locator(INNER).innerText();
  expect(followUp).toContain(NAMES.F);
  expect(followUp).toContain(rectifiedDay);
  expect(followUp).toContain('危害因素浓（强）度超标');
  await shot(page, '21-回头看-人社');
  await page.getByRole('tab', { name: /抽样分层/ }).click();
  await expect(page.locator(INNER).innerText()).resolves.toContain('建筑业');

  // The XLSX, read back: every sampled employer, the seed in the title, the 回头看 sheet.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-plan-xlsx').click()]);
  const file = path.join(SHOTS, '..', 'console-inspection-plan.xlsx');
  await download.saveAs(file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['双随机抽查', '回头看', '分层']);
  const cells = wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map((v) => String(v ?? '')));
  expect(cells).toEqual(expect.arrayContaining(Object.values(NAMES)));
  expect(cells.some((c) => c.includes(`随机种子 ${plan.seed}`))).toBe(true);
  expect(wb.getWorksheet('回头看')!.getSheetValues().flat().map((v) => String(v ?? ''))).toContain(NAMES.F);

  // The precision per quarter: what is shown is what the API answers.
  await page.getByRole('tab', { name: '清单命中率' }).click();
  await page.waitForURL(/\/inspections\/precision$/);
  await page.getByTestId('precision-chart').waitFor();
  const precision = (await page.evaluate(async () => (await fetch('/api/v1/risk-lists/precision')).json())) as Precision;
  expect(precision.quarters.length).toBe(2);
  for (const q of precision.quarters) {
    const row = page.getByTestId(`precision-row-${q.quarter}`);
    await expect(row.getByTestId('listed-rate').innerText()).resolves.toBe(pct(q.listed.rate));
    await expect(row.getByTestId('listed-interval').innerText()).resolves.toBe(ci(q.listed));
    await expect(row.getByTestId('random-rate').innerText()).resolves.toBe(pct(q.random.rate));
    await expect(row.getByTestId('random-interval').innerText()).resolves.toBe(ci(q.random));
    await expect(row.getByTestId('lift').innerText()).resolves.toBe(lift(q.lift));
  }
  const current = precision.quarters.find((q) => q.quarter === quarter)!;
  expect(current.listed).toMatchObject({ inspections: 6, hazardsFound: 3 });
  expect(current.random).toMatchObject({ inspections: 20, hazardsFound: 2 });
  expect(current.lift).toBeCloseTo(0.5 / 0.1, 6);
  await expect(page.getByTestId('precision-how-to-read').innerText()).resolves.toContain('提升倍数');
  await noInternalNames(page);
  await shot(page, '22-清单命中率');

  // 浮动费率: the summary and the table agree with the API.
  await page.goto(`${portal.url}/rate-adjustments`);
  await page.locator('.ant-table-row').first().waitFor({ timeout: 60_000 });
  const rates = (await page.evaluate(async () => (await fetch('/api/v1/rate-adjustments?cycle=2023-2025')).json())) as { summary: { up: number; down: number; keep: number }; rows: { employerName: string; direction: string }[] };
  expect(rates.summary).toMatchObject({ up: 1, down: 2, keep: 1 });
  await expect(page.getByTestId('rate-up').innerText()).resolves.toContain(String(rates.summary.up));
  await expect(page.getByTestId('rate-down').innerText()).resolves.toContain(String(rates.summary.down));
  await expect(page.getByTestId('rate-keep').innerText()).resolves.toContain(String(rates.summary.keep));
  const table = await page.locator('.ant-table-tbody').first().innerText();
  expect(table).toMatch(new RegExp(`${NAMES.H}[\\s\\S]*上浮 50%`));
  expect(table).toContain(NAMES.T);
  expect(table).not.toContain(NAMES.F); // paid nothing in the cycle
  await noInternalNames(page);
  await shot(page, '23-浮动费率');
  // Filter by suggestion: 下浮 only.
  await page.locator('input#direction').click();
  await page.locator('.ant-select-item-option[title="下浮"]').click();
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await waitFor(async () => {
    const t = await page.locator('.ant-table-tbody').first().innerText();
    return t.includes(NAMES.U) && t.includes(NAMES.T) && !t.includes(NAMES.H) && !t.includes(NAMES.M);
  }, { what: 'the 下浮 rows only' });

  // Beside the risk list: the latest quarter's lift and intervals, linking to the page.
  await page.goto(`${portal.url}/risk-list`);
  const card = page.getByTestId('precision-card');
  await card.getByTestId('precision-card-lift').waitFor({ timeout: 60_000 });
  await expect(card.innerText()).resolves.toContain(`清单命中率（${quarter}）`);
  await expect(card.getByTestId('precision-card-lift').innerText()).resolves.toContain(lift(current.lift));
  await expect(card.getByTestId('precision-card-listed').innerText()).resolves.toContain(ci(current.listed));
  await expect(card.getByTestId('precision-card-random').innerText()).resolves.toContain(ci(current.random));
  await shot(page, '24-风险清单-命中率');
  await card.getByTestId('precision-card-link').click();
  await page.waitForURL(/\/inspections\/precision$/);
  await page.getByTestId('precision-chart').waitFor();
  await context.close();
}, 120_000);

test('卫生健康 sees only its own part of the plan and no rate adjustments', async () => {
  const { context, page } = await signIn('health');
  const menu = await page.locator('.ant-pro-sider, .ant-layout-sider').first().innerText();
  expect(menu).toContain('双随机与回头看');
  expect(menu).not.toContain('浮动费率');
  await page.goto(`${portal.url}/inspections`);
  await page.getByTestId('plan-summary').waitFor({ timeout: 60_000 });
  const sample = await page.locator(INNER).innerText();
  expect(sample).toContain(NAMES.H);
  expect(sample).toContain(NAMES.F);
  for (const other of [NAMES.U, NAMES.T, NAMES.M]) expect(sample).not.toContain(other);
  for (const dept of ['住房和城乡建设局', '交通运输局', '应急管理局']) expect(sample).not.toContain(dept);
  await expect(page.locator('body').innerText()).resolves.toContain('本页只列本部门负责检查的单位');
  await noInternalNames(page);
  await shot(page, '25-双随机抽查-卫生健康');
  await page.getByRole('tab', { name: /回头看/ }).click();
  await expect(page.locator(INNER).innerText()).resolves.toContain(NAMES.F);
  // The XLSX of its part holds its employers only.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-plan-xlsx').click()]);
  const file = path.join(SHOTS, '..', 'console-inspection-plan-health.xlsx');
  await download.saveAs(file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const cells = wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map((v) => String(v ?? '')));
  expect(cells).toEqual(expect.arrayContaining([NAMES.H, NAMES.F]));
  for (const other of [NAMES.U, NAMES.T, NAMES.M]) expect(cells).not.toContain(other);
  // No rate adjustments: not in the API, and the page's address leads to the department's first page.
  expect(await page.evaluate(async () => (await fetch('/api/v1/rate-adjustments?cycle=2023-2025')).status)).toBe(403);
  await page.goto(`${portal.url}/rate-adjustments`);
  await page.waitForURL((u) => !u.pathname.startsWith('/rate-adjustments'));
  await expect(page.locator('body').innerText()).resolves.not.toContain('浮动费率调整建议');
  await context.close();
}, 90_000);
