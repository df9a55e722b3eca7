import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn as signInAs } from './browser';
import { connectStack, Stack } from './stack';
import { waitFor } from './waitFor';
import { createLogger } from '../services/shared/logger';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { Gateway, startGateway } from '../services/ingest-gateway/gateway';
import { jsonRecord, validCitizenId, validUscc } from '../services/ingest-gateway/test-fixtures';
import { Correlator, startCorrelator } from '../services/correlator/correlator';
import { Reporter, startReporter } from '../services/reporter/reporter';
import { Portal, startPortal } from '../services/portal/portal';
import { addDays, isoWeekOf, shanghaiDay } from '../services/shared/time';

/**
 * The console in a real browser (Debian's Chromium through playwright-core) against the real
 * hub: events go in through the gateway, the correlator flags the employer, the reporter builds
 * the week's list, the portal serves the built console. 人社 and 应急管理 sign in with their
 * tokens and see what the contract gives each; every page is photographed to out/screenshots/.
 */
const ROOT = path.resolve(__dirname, '..');
const SHOTS = path.join(ROOT, 'out', 'screenshots');
const region = loadRegionConfig({ WHP_REGION: 'suqian' });
const n = 7_000_000 + Math.floor(Math.random() * 900_000);
const A = { uscc: validUscc(n), name: `宿迁控制台测试建材有限公司${n % 1000}` };
const B = { uscc: validUscc(n + 1, '321322'), name: `沭阳控制台测试物流有限公司${n % 1000}` };
const today = shanghaiDay(new Date());
const daysAgo = (d: number) => addDays(today, -d);

let stack: Stack;
let gateway: Gateway;
let correlator: Correlator;
let reporter: Reporter;
let portal: Portal;
let browser: Browser;

async function publish(dept: string, type: string, records: Record<string, unknown>[]) {
  const res = await fetch(`${gateway.url}/v1/events/${type}`, {
    method: 'POST',
    headers: { authorization: `Bearer dev-${dept}`, 'content-type': 'application/json' },
    body: JSON.stringify(records),
  });
  const body = (await res.json()) as { accepted: number; rejected: unknown[] };
  expect({ type, status: res.status, rejected: body.rejected }).toEqual({ type, status: 200, rejected: [] });
  return body;
}

const at = (e: { uscc: string; name: string }, region = '321302') => ({ uscc: e.uscc, employerName: e.name, regionCode: region });

beforeAll(async () => {
  execFileSync('bash', [path.join(ROOT, 'scripts', 'build-console.sh')], { stdio: 'inherit' });
  fs.mkdirSync(SHOTS, { recursive: true });
  stack = await connectStack({ freshDatabase: true });
  const logger = createLogger('console-test', 'silent');
  gateway = await startGateway({ config: stack.config, port: 0, logger, region });
  correlator = await startCorrelator({ config: stack.config, region, logger, groupId: stack.unique('console'), startAt: 'latest', opsPort: 0, sweepSchedule: '' });
  reporter = await startReporter({ config: stack.config, region, logger, schedule: '', opsPort: 0 });
  portal = await startPortal({ config: { ...stack.config, gatewayUrl: gateway.url }, region, logger, port: 0 });

  // A: a dusty, accident-prone building-materials works with 3 of 100 workers insured.
  await publish('hrss', 'employer', [{ ...jsonRecord('employer', `${n}-E1`), ...at(A), industryCode: 'C3011', headcount: 100, asOf: daysAgo(200) }]);
  await publish('hrss', 'enrollment', [1, 2, 3].map((i) => ({ ...jsonRecord('enrollment', `${n}-EN${i}`), ...at(A), personId: validCitizenId(n + i), action: 'ENROLL', effectiveDate: daysAgo(300 - i * 60) })));
  await publish('health', 'hazard', [{ ...jsonRecord('hazard', `${n}-HZ1`), ...at(A), sampledAt: daysAgo(40) }]);
  await publish('health', 'disease', [{ ...jsonRecord('disease', `${n}-DS1`), ...at(A), personId: validCitizenId(n + 9), diagnosedAt: daysAgo(50), exposureYears: 3 }]);
  await publish('hrss', 'injury', [{ ...jsonRecord('injury', `${n}-IN1`), ...at(A), personId: validCitizenId(n + 1), injuryDate: daysAgo(70), decidedAt: daysAgo(45) }]);
  await publish('emergency', 'accident', [30, 60, 90].map((d, i) => ({ ...jsonRecord('accident', `${n}-AC${i}`), ...at(A), occurredAt: `${daysAgo(d)}T09:30:00+08:00` })));
  // B: an uninsured logistics firm elsewhere, for the district filter.
  await publish('hrss', 'employer', [{ ...jsonRecord('employer', `${n}-E2`), ...at(B, '321322'), industryCode: 'G5430', headcount: 50, asOf: daysAgo(200) }]);
  await publish('hrss', 'injury', [{ ...jsonRecord('injury', `${n}-IN2`), ...at(B, '321322'), personId: validCitizenId(n + 5), injuryDate: daysAgo(20), decidedAt: daysAgo(10) }]);
  // One rejected record, for the 数据报送 page's dead letters.
  await fetch(`${gateway.url}/v1/events/accident`, { method: 'POST', headers: { authorization: 'Bearer dev-emergency', 'content-type': 'application/json' }, body: JSON.stringify([{ ...jsonRecord('accident', `${n}-BAD`), ...at(A), deaths: -1 }]) });

  await waitFor(async () => (await stack.db('recommendation').where('employer_key', A.uscc).whereRaw(`'emergency' = any(departments)`)).length > 0, { timeoutMs: 60_000, what: "the correlator's recommendation to 应急管理" });
  await waitFor(async () => (await stack.db('alert').where({ employer_key: B.uscc, status: 'OPEN' })).length > 0, { timeoutMs: 60_000, what: 'an alert for B' });
  const week = isoWeekOf(new Date()).week;
  const built = await fetch(`${portal.url}/api/v1/risk-lists?week=${week}`, { method: 'POST', headers: { authorization: 'Bearer dev-hrss' } });
  expect([200, 201]).toContain(built.status);
  browser = await launchBrowser();
}, 170_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await reporter?.close();
  await correlator?.close();
  await gateway?.close();
  await stack?.close();
});

const signIn = (department: string, o: { timezoneId?: string } = {}) => signInAs(browser, portal.url, department, o);

/** A browser zone whose calendar day differs from China's at this moment (one of the two always does). */
function zoneOnAnotherDay(): string {
  const day = (timeZone: string) => new Date().toLocaleDateString('sv-SE', { timeZone });
  return ['Pacific/Pago_Pago', 'Pacific/Kiritimati'].find((zone) => day(zone) !== day('Asia/Shanghai'))!;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const noInternalNames = async (page: Page) => {
  const text = await page.locator('body').innerText();
  // No rule ids, status enums or department codes on screen; no citizen ID.
  expect(text).not.toMatch(/\b(PRIORITY|HAZARD_EXCEEDED|ACCIDENT_PRONE|UNINSURED|OPEN|OVERDUE|RECTIFIED|hrss|emergency)\b/);
  expect(text).not.toContain(validCitizenId(n + 1));
};

test('a wrong token is refused in Chinese; the API without a session answers 401', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${portal.url}/`);
  await page.getByTestId('token').fill('not-a-token');
  await page.getByTestId('sign-in').click();
  await expect(page.getByTestId('login-error').innerText()).resolves.toContain('身份令牌无效或已停用');
  await shot(page, '00-登录');
  await context.close();
  // The API without a session or token: 401 in Chinese; the console's page paths are served the app.
  const anon = await fetch(`${portal.url}/api/v1/console/feeds`);
  expect(anon.status).toBe(401);
  expect(((await anon.json()) as { message: string }).message).toMatch(/身份令牌/);
  expect((await fetch(`${portal.url}/risk-list`)).headers.get('content-type')).toMatch(/text\/html/);
});

test('人社 filters this week\'s risk list, downloads the XLSX and opens an employer with every department\'s facts', async () => {
  const { context, page } = await signIn('hrss');
  await page.waitForURL(/\/risk-list$/);
  await page.locator('.ant-table-row').first().waitFor();
  await expect(page.locator('body').innerText()).resolves.toContain(A.name);
  await shot(page, '01-风险清单');
  // Search by name, then by district.
  await page.locator('input#q').fill(B.name);
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await waitFor(async () => (await page.locator('.ant-table-row').count()) === 1 && (await page.locator('.ant-table-row').first().innerText()).includes(B.name), { what: 'the row of B only' });
  await page.locator('input#q').fill('');
  await page.locator('input#district').click();
  await page.locator('.ant-select-item-option[title="宿城区"]').click();
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await waitFor(async () => {
    const text = await page.locator('.ant-table-tbody').innerText();
    return text.includes(A.name) && !text.includes(B.name);
  }, { what: 'the 宿城区 rows without B' });
  await noInternalNames(page);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
  const file = path.join(SHOTS, '..', 'console-risk-list.xlsx');
  await download.saveAs(file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const cells = wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map((v) => String(v ?? '')));
  expect(cells).toEqual(expect.arrayContaining([A.name, B.name, A.uscc]));

  await page.getByTestId('employer-link').filter({ hasText: A.name }).click();
  await page.waitForURL(new RegExp(`/employers/${A.uscc}$`));
  await page.getByTestId('enrollment-chart').waitFor();
  const text = await page.locator('body').innerText();
  for (const section of ['参保人数与职工人数', '生产安全事故（3）', '职业病危害因素检测（1）', '职业病诊断（只计例数）', '工伤认定（1）']) expect(text).toContain(section);
  expect(text).toContain('矽尘');
  expect(text).not.toContain(validCitizenId(n + 9));
  await shot(page, '02-单位画像-人社');

  for (const [p, name] of [['/rectification', '03-整改跟踪-人社'], ['/documents', '04-通报与文书'], ['/feeds', '05-数据报送'], ['/targets', '06-五年目标'], ['/audit', '07-审计日志']] as const) {
    await page.goto(`${portal.url}${p}`);
    await page.locator('.ant-pro-page-container, .ant-pro-table, .ant-tabs').first().waitFor();
    await page.waitForLoadState('networkidle');
    if (p === '/feeds') await expect(page.locator('body').innerText()).resolves.toContain('第 1 条');
    if (p === '/audit') await expect(page.locator('body').innerText()).resolves.toContain('查阅单位档案');
    await noInternalNames(page);
    await shot(page, name);
  }

  // 通报与文书: the letter's PDF previewed in the page. The frame's answer is the PDF, and the
  // browser lets the console (same origin) frame it.
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Refused to (display|frame)/i.test(m.text())) refused.push(m.text());
  });
  await page.goto(`${portal.url}/documents`);
  await page.getByRole('tab', { name: '限期整改建议书' }).click();
  const preview = page.getByTestId('preview-pdf').first();
  await preview.waitFor();
  const [pdf] = await Promise.all([
    page.waitForResponse((r) => /\/api\/v1\/recommendations\/[^/]+\.pdf\?inline=1$/.test(r.url()), { timeout: 90_000 }),
    preview.click(),
  ]);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect(pdf.headers()['x-frame-options']).toBe('SAMEORIGIN');
  expect(pdf.frame().parentFrame()).toBe(page.mainFrame()); // loaded in the preview frame, not as a page
  await page.getByTestId('pdf-frame').waitFor();
  await page.waitForTimeout(1000);
  expect(refused).toEqual([]);
  await shot(page, '04b-文书预览');
  await context.close();
}, 180_000);

test('应急管理 sees its own facts on the employer page, never hrss\'s or health\'s, and has no risk list', async () => {
  const { context, page } = await signIn('emergency');
  const menu = await page.locator('.ant-pro-sider, .ant-layout-sider').first().innerText();
  expect(menu).not.toContain('风险清单');
  expect(menu).not.toContain('审计日志');
  await page.goto(`${portal.url}/employers/${A.uscc}`);
  await page.getByText('生产安全事故（3）').waitFor();
  const text = await page.locator('body').innerText();
  expect(text).not.toContain('参保人数与职工人数');
  expect(text).not.toContain('工伤认定');
  expect(text).not.toContain('职业病诊断');
  expect(text).toContain('职业病危害因素检测（0）');
  expect(text).not.toContain('矽尘');
  expect(text).toContain('本页只显示本部门报送的数据');
  await shot(page, '08-单位画像-应急管理');
  // The API agrees: no hrss or health facts in emergency's answer.
  const facts = await page.evaluate(async (u) => (await fetch(`/api/v1/console/employers/${u}/facts`)).json(), A.uscc);
  expect(facts).toMatchObject({ enrollment: null, diagnoses: null, injuries: null, measurements: [] });
  expect(await page.evaluate(async () => (await fetch('/api/v1/console/risk-list')).status)).toBe(403);
  await context.close();
}, 60_000);

test('应急管理 records a re-check; it goes through the gateway as its own rectification event and shows on the employer page', async () => {
  // Staff whose computer keeps another zone (or UTC) still date the re-check by China's day.
  const { context, page } = await signIn('emergency', { timezoneId: zoneOnAnotherDay() });
  await page.goto(`${portal.url}/rectification`);
  const row = page.locator('.ant-table-row').filter({ hasText: A.name });
  await row.getByTestId('days-left').waitFor();
  await shot(page, '09-整改跟踪-应急管理');
  await row.getByTestId('record-recheck').click();
  await page.getByTestId('recheck-note').fill('安全防护装置已加装，复查合格');
  await shot(page, '10-登记复查');
  await page.getByRole('button', { name: /报\s*送/ }).click();
  await page.getByText('复查结果已报送').waitFor();
  // It arrived as the department's own rectification event, and the correlator applied it.
  await waitFor(async () => (await stack.db('fact').where({ department: 'emergency', event_type: 'rectification' }).where('raw_key', A.uscc)).length === 1, { timeoutMs: 30_000, what: 'the rectification fact' });
  // The letter was issued today and re-checked today: 应急管理's part of it is rectified (what the
  // console's API says, as the 整改跟踪 page reads it), and the re-check is not listed as naming
  // an unknown letter.
  type Rec = { employer: { uscc: string | null }; items: { department: string; status: string; statusLabel: string }[] };
  await waitFor(
    async () => {
      const recs = (await page.evaluate(async () => ((await (await fetch('/api/v1/recommendations?status=ALL')).json()) as { recommendations: unknown }).recommendations)) as Rec[];
      const mine = recs.filter((r) => r.employer.uscc === A.uscc).flatMap((r) => r.items.filter((i) => i.department === 'emergency'));
      return mine.length > 0 && mine.every((i) => i.status === 'RECTIFIED');
    },
    { timeoutMs: 30_000, what: "应急管理's part of the letter rectified by the re-check" },
  );
  expect(await stack.db('feed_issue').where({ department: 'emergency', event_type: 'rectification' })).toEqual([]);
  await page.goto(`${portal.url}/rectification`);
  await page.locator('.ant-table-row').first().waitFor();
  await page.waitForLoadState('networkidle');
  await shot(page, '11-整改跟踪-复查之后');
  const published = await stack.db('audit_log').where({ actor: 'emergency', action: 'PUBLISH', object: 'rectification' });
  expect(published).toHaveLength(1);
  await page.goto(`${portal.url}/employers/${A.uscc}`);
  await page.getByText('整改复查（1）').waitFor();
  await expect(page.locator('body').innerText()).resolves.toContain('合格');
  await context.close();
}, 90_000);

test('signing out ends the session: the cookie no longer opens the API', async () => {
  const { context, page } = await signIn('hrss');
  const cookie = (await context.cookies()).find((c) => c.name === 'whp_session')!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  await page.getByRole('button', { name: /退\s*出/ }).click();
  await page.getByTestId('token').waitFor();
  const res = await fetch(`${portal.url}/api/v1/alerts`, { headers: { cookie: `whp_session=${cookie.value}` } });
  expect(res.status).toBe(401);
  await context.close();
});

test('sign-in attempts beyond 10 a minute from one address are answered 429 with Retry-After, in Chinese', async () => {
  let res: Response | undefined;
  for (let i = 0; i < 12; i++) {
    res = await fetch(`${portal.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: `guess-${i}` }) });
    if (res.status === 429) break;
    expect(res.status).toBe(401);
  }
  expect(res!.status).toBe(429);
  expect(Number(res!.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(((await res!.json()) as { message: string }).message).toMatch(/登录尝试过于频繁/);
});
