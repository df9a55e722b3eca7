import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { connectStack, readAfter, Stack } from './stack';
import { waitFor } from './waitFor';
import { zipEntries } from './docx';
import { citizenIdCheckChar } from '../services/shared/identifiers';
import { CITIZEN_ID_PATTERN, OLD_CITIZEN_ID_PATTERN, PSEUDONYM_PATTERN } from '../services/shared/privacy';
import { createLogger } from '../services/shared/logger';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { addDays, isoWeekOf, quarterOf, shanghaiDay } from '../services/shared/time';
import { Gateway, startGateway } from '../services/ingest-gateway/gateway';
import { jsonRecord } from '../services/ingest-gateway/test-fixtures';
import { Correlator, startCorrelator } from '../services/correlator/correlator';
import { Portal, startPortal } from '../services/portal/portal';
import { Reporter, startReporter } from '../services/reporter/reporter';
import { makeUscc } from './fixtures/uscc';

/**
 * Every output format the hub produces, from department data full of personal identifiers,
 * through the real pipeline (gateway → Kafka → correlator → reporter → portal), scanned byte by
 * byte: XLSX and DOCX unzipped and every XML part read, PDFs through pdftotext, JSON answers and
 * the Avro messages on the output topics. No citizen ID (18-digit, 15-digit old form, the raw ones
 * used here in any form) and no pseudonym may appear anywhere; a failure names the file and the
 * place. The employer is called `=HYPERLINK(…)`: every spreadsheet shows it as inert text.
 */
const region = loadRegionConfig({ WHP_REGION: 'suqian' });
const silent = createLogger('privacy-test', 'silent');
let stack: Stack;
let gateway: Gateway;
let correlator: Correlator;
let reporter: Reporter;
let portal: Portal;
const hasPdfToText = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v pdftotext && command -v soffice'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const today = shanghaiDay(new Date());
const day = (n: number) => addDays(today, -n);
const id18 = (body17: string) => body17 + citizenIdCheckChar(body17);
// People of the records, with the check characters the standard gives them.
const PEOPLE = [id18('32130219850312123'), id18('32130219900101456'), id18('32132219780505789'), id18('32130220010228001')];
const OLD_IDS = ['320102850312123', '321302780505456']; // 15-digit IDs issued before 1999
const FORMULA_NAME = '=HYPERLINK("http://x","y")';
const uscc = makeUscc('privacy-scan');
const run = `priv-${Date.now().toString(36)}`;

/** Everything an ID could look like in an output: raw, lower-case x, and the pseudonym shape. */
function findings(text: string, pseudonymsAllowed = false): string[] {
  const hits: string[] = [];
  for (const re of pseudonymsAllowed ? [CITIZEN_ID_PATTERN, OLD_CITIZEN_ID_PATTERN] : [CITIZEN_ID_PATTERN, OLD_CITIZEN_ID_PATTERN, PSEUDONYM_PATTERN]) for (const m of text.matchAll(new RegExp(re.source, 'g'))) hits.push(m[0]);
  for (const id of [...PEOPLE, ...OLD_IDS]) if (text.includes(id) || text.includes(id.toLowerCase())) hits.push(id);
  return [...new Set(hits)];
}

/** Scanned outputs: name → where → what was found (all must be empty). */
const scanned: { name: string; where: string; hits: string[] }[] = [];
function scan(name: string, where: string, text: string, pseudonymsAllowed = false): void {
  scanned.push({ name, where, hits: findings(text, pseudonymsAllowed) });
}
function scanZip(name: string, zip: Buffer): void {
  for (const [entry, bytes] of zipEntries(zip)) scan(name, entry, bytes.toString('utf8'));
}
function scanPdf(name: string, pdf: Buffer): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-pdf-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.pdf'), pdf);
    scan(name, 'pdftotext', execFileSync('pdftotext', ['-layout', path.join(dir, 'a.pdf'), '-'], { encoding: 'utf8' }));
    scan(name, 'raw bytes', pdf.toString('latin1'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const get = (department: string, p: string, init: RequestInit = {}) => fetch(`${portal.url}${p}`, { ...init, headers: { authorization: `Bearer dev-${department}` } });
async function getOk(department: string, p: string): Promise<Buffer> {
  const res = await get(department, p);
  expect({ path: p, status: res.status }).toEqual({ path: p, status: 200 });
  return Buffer.from(await res.arrayBuffer());
}

let outputMessages: { topic: string; value: Record<string, unknown> }[] = [];

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  gateway = await startGateway({ config: stack.config, port: 0, logger: silent });
  correlator = await startCorrelator({ config: stack.config, region, logger: silent, groupId: stack.unique('privacy'), startAt: 'latest', opsPort: 0 });
  reporter = await startReporter({ config: stack.config, region, logger: silent, schedule: '', opsPort: 0 });
  portal = await startPortal({ config: stack.config, region, logger: silent, port: 0 });

  const common = { regionCode: '321302', uscc, employerName: FORMULA_NAME };
  const summary = (i: number) => `伤者张三丰（身份证号 ${PEOPLE[i]}，旧证 ${OLD_IDS[i % 2]}）在破碎车间被卷入皮带；工友李四（${PEOPLE[(i + 1) % 4].toLowerCase()}）报告`;
  const publish = async (type: string, dept: string, records: Record<string, unknown>[]) => {
    const res = await fetch(`${gateway.url}/v1/events/${type}`, { method: 'POST', headers: { authorization: `Bearer dev-${dept}`, 'content-type': 'application/json' }, body: JSON.stringify(records) });
    const body = (await res.json()) as { accepted: number; rejected: unknown[] };
    expect({ type, status: res.status, rejected: body.rejected }).toEqual({ type, status: 200, rejected: [] });
  };
  const msgs = await readAfter(
    stack,
    ['alert', 'recommendation', 'notice'],
    async () => {
      await publish('employer', 'hrss', [{ ...jsonRecord('employer', `${run}-emp`), ...common, asOf: day(60), headcount: 40 }]);
      await publish('enrollment', 'hrss', PEOPLE.slice(0, 2).map((p, i) => ({ ...jsonRecord('enrollment', `${run}-enr-${i}`), ...common, personId: p, effectiveDate: day(50) })));
      await publish('hazard', 'health', [{ ...jsonRecord('hazard', `${run}-haz`), ...common, sampledAt: day(20), post: `破碎工（${PEOPLE[3]}）` }]);
      await publish('disease', 'health', [{ ...jsonRecord('disease', `${run}-dis`), ...common, personId: PEOPLE[2], diagnosedAt: day(15), diseaseName: `矽肺壹期（患者王五 ${OLD_IDS[1]}）` }]);
      await publish('injury', 'hrss', [{ ...jsonRecord('injury', `${run}-inj`), ...common, personId: PEOPLE[3], injuryDate: day(12), decidedAt: day(5), insuredAtInjury: false }]);
      await publish('benefit', 'hrss', [{ ...jsonRecord('benefit', `${run}-ben`), ...common, personId: PEOPLE[3], paidAt: day(4) }]);
      await publish('accident', 'emergency', [0, 1, 2].map((i) => ({ ...jsonRecord('accident', `${run}-acc-${i}`), ...common, occurredAt: `${day(10 + i)}T10:00:00+08:00`, deaths: i === 0 ? 1 : 0, summary: summary(i) })));
      await publish('inspection', 'emergency', [{ ...jsonRecord('inspection', `${run}-ins`), ...common, inspectedAt: day(3), note: `复查时询问了 ${PEOPLE[0]}` }]);
      await publish('training', 'emergency', [{ ...jsonRecord('training', `${run}-trn`), ...common, heldAt: day(30), courseName: `=培训（${OLD_IDS[0]}）` }]);
      await publish('contribution', 'hrss', [{ ...jsonRecord('contribution', `${run}-con`), ...common, period: String(Number(today.slice(0, 4)) - 1) }]);
      // Every event taken before the sweep: the 通报 comes from the sweep, which must see the accidents.
      await waitFor(async () => Number((await stack.db('fact').where('raw_key', uscc).count<{ n: string }[]>('* as n'))[0].n) >= 13, { timeoutMs: 60_000, what: 'the correlator to take all 13 events' });
      await waitFor(async () => Number((await stack.db('alert').where('employer_key', uscc).count<{ n: string }[]>('* as n'))[0].n) > 0, { timeoutMs: 60_000, what: 'the correlator to raise alerts' });
      await correlator.sweep();
      await waitFor(async () => Number((await stack.db('notice').count<{ n: string }[]>('* as n'))[0].n) > 0, { timeoutMs: 30_000, what: 'a 通报 of the fatal accident' });
    },
    (m) => m.some((x) => x.topic === 'whp.notice.v1') && m.some((x) => x.topic === 'whp.recommendation.v1'),
    90_000,
  );
  outputMessages = msgs.map((m) => ({ topic: m.topic, value: m.value }));
}, 240_000);

afterAll(async () => {
  await portal?.close();
  await reporter?.close();
  await correlator?.close();
  await gateway?.close();
  await stack?.close();
});

test('the hub stored no ID in clear in the facts the outputs are made of (pseudonyms are the join key there)', async () => {
  const facts = await stack.db('fact').where('raw_key', uscc).select('event_type', 'payload');
  expect(facts.length).toBeGreaterThan(5);
  const mine = scanned.length;
  for (const f of facts) scan(`fact ${f.event_type}`, 'payload', JSON.stringify(f.payload), true);
  expect(scanned.slice(mine).filter((s) => s.hits.length > 0)).toEqual([]);
});

test('every output format is produced and scanned: no citizen ID, old or new, raw or as pseudonym', async () => {
  const week = isoWeekOf(new Date()).week;
  const quarter = quarterOf(today);
  const cycleEnd = Number(today.slice(0, 4)) - 1;

  for (const m of outputMessages) scan(`Kafka ${m.topic}`, String(m.value.alertId ?? m.value.recommendationId ?? m.value.noticeId ?? ''), JSON.stringify(m.value));

  expect((await get('hrss', `/api/v1/risk-lists?week=${week}`, { method: 'POST' })).status).toBeLessThan(300);
  const list = await getOk('hrss', `/api/v1/risk-lists/${week}.json`);
  scan('risk list JSON', week, list.toString());
  const listXlsx = await getOk('hrss', `/api/v1/risk-lists/${week}.xlsx`);
  scanZip('risk list XLSX', listXlsx);

  for (const [name, p] of [
    ['rate adjustments', `/api/v1/rate-adjustments?cycle=${cycleEnd - 2}-${cycleEnd}`],
    ['inspection plan', `/api/v1/inspections/plan?quarter=${quarter}`],
    ['precision', '/api/v1/risk-lists/precision'],
    ['training coverage', '/api/v1/training-coverage'],
  ]) {
    scan(`${name} JSON`, p, (await getOk('hrss', p)).toString());
    scanZip(`${name} XLSX`, await getOk('hrss', p.replace(/(\?|$)/, '.xlsx$1')));
  }

  for (const [dept, p] of [
    ['hrss', `/api/v1/employers/${uscc}`],
    ['emergency', `/api/v1/employers/${uscc}`],
    ['hrss', `/api/v1/alerts?uscc=${uscc}`],
    ['hrss', `/api/v1/recommendations?uscc=${uscc}`],
    ['hrss', '/api/v1/notices'],
    ['hrss', '/api/v1/feed-issues'],
    ['hrss', '/api/v1/review/identities'],
  ]) scan(`portal ${p} (${dept})`, 'body', (await getOk(dept, p)).toString());

  const recs = (await (await get('hrss', `/api/v1/recommendations?uscc=${uscc}`)).json()) as { recommendations?: { recommendationId: string }[] } | { recommendationId: string }[];
  const recIds = (Array.isArray(recs) ? recs : recs.recommendations ?? []).map((r) => r.recommendationId);
  expect(recIds.length).toBeGreaterThan(0);
  const notices = (await (await get('hrss', '/api/v1/notices')).json()) as { notices?: { noticeId: string }[] } | { noticeId: string }[];
  const noticeIds = (Array.isArray(notices) ? notices : notices.notices ?? []).map((n) => n.noticeId);
  expect(noticeIds.length).toBeGreaterThan(0);
  for (const id of recIds) {
    scanZip(`建议书 ${id}.docx`, await getOk('hrss', `/api/v1/recommendations/${id}.docx`));
    if (hasPdfToText) scanPdf(`建议书 ${id}.pdf`, await getOk('hrss', `/api/v1/recommendations/${id}.pdf`));
  }
  for (const id of noticeIds) {
    scanZip(`通报 ${id}.docx`, await getOk('hrss', `/api/v1/notices/${id}.docx`));
    if (hasPdfToText) scanPdf(`通报 ${id}.pdf`, await getOk('hrss', `/api/v1/notices/${id}.pdf`));
  }

  const leaks = scanned.filter((s) => s.hits.length > 0).map((s) => `${s.name} — ${s.where}: ${s.hits.join(', ')}`);
  expect(leaks).toEqual([]);
  expect(scanned.length).toBeGreaterThan(20);
}, 240_000);

test('the employer called =HYPERLINK(…) is inert text in the risk list: a string cell behind an apostrophe, no formula', async () => {
  const week = isoWeekOf(new Date()).week;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await getOk('hrss', `/api/v1/risk-lists/${week}.xlsx`)) as never);
  const cells: ExcelJS.Cell[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(c))));
  expect(cells.filter((c) => c.formula !== undefined || c.type === ExcelJS.ValueType.Formula)).toEqual([]);
  const named = cells.filter((c) => String(c.value).includes('HYPERLINK'));
  expect(named.length).toBeGreaterThan(0);
  for (const c of named) expect(c.value).toBe(`'${FORMULA_NAME}`);
  for (const entry of zipEntries(await getOk('hrss', `/api/v1/risk-lists/${week}.xlsx`)).keys()) expect(entry).not.toMatch(/calcChain/);
});

test('…and in the letters it is text, never a field code Word would update', async () => {
  const recs = await stack.db('recommendation').where('employer_key', uscc).select('recommendation_id');
  for (const { recommendation_id: id } of recs) {
    const xml = zipEntries(await getOk('hrss', `/api/v1/recommendations/${id}.docx`)).get('word/document.xml')!.toString('utf8');
    expect(xml).not.toMatch(/<w:fldSimple|<w:instrText/);
    expect(xml).toContain('=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)');
  }
});
