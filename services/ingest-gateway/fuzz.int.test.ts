import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { connectStack, readAfter, Stack } from '../../test/stack';
import { sharedStringBomb, worksheetBomb } from '../../test/fixtures/zipBomb';
import { badRequestArbitrary, fuzzRuns, fuzzSeed, isPendingXlsx, xlsxRequest } from '../../test/fixtures/fuzzInputs';
import { EventType, PUBLISHERS } from '../shared/contract';
import { createLogger } from '../shared/logger';
import { Gateway, startGateway } from './gateway';
import { fileTable, jsonRecord } from './test-fixtures';

/**
 * Bad input found by machines, against the real gateway, Kafka, registry and PostgreSQL: every
 * answer is a 200 that accounts for each record (reasons in Chinese) or a 4xx with a Chinese
 * `message`; never a 5xx; the gateway answers the next request; and a refused body leaves
 * nothing behind: the acceptance ledger (`ingest_event`, in this suite's own database) does not
 * move. Named cases first (zip bombs, 100,000-level nesting, 1 MB cells…), then a bounded run of
 * generated requests (seed printed; WHP_FUZZ_RUNS / WHP_FUZZ_SEED for a longer soak).
 */
let stack: Stack;
let gateway: Gateway;
const FILE_LIMIT = 32 * 1024 * 1024;
const CJK = /[\u4e00-\u9fff]/;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  gateway = await startGateway({ config: stack.config, port: 0, logger: createLogger('fuzz-test', 'silent'), maxFileBytes: FILE_LIMIT });
});
afterAll(async () => {
  await gateway?.close();
  await stack?.close();
});

const tokenOf = (type: EventType) => `dev-${PUBLISHERS[type][0]}`;

interface Reply {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** A request not answered within 30 s fails (a hang is a finding too). */
async function post(path: string, type: EventType, body: Buffer | string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${gateway.url}${path}/${type}`, { method: 'POST', headers: { authorization: `Bearer ${tokenOf(type)}`, ...headers }, body, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // a non-JSON answer fails the checks below, with the text shown
  }
  return { status: res.status, body: parsed, text };
}
const postJson = (type: EventType, body: Buffer | string, contentType = 'application/json') => post('/v1/events', type, body, { 'content-type': contentType });
const postFile = (type: EventType, body: Buffer | string, contentType = 'text/csv') => post('/v1/files', type, body, { 'content-type': contentType });

/** Rows the gateway has taken (accepted at least once): the ledger a refused body must not move. */
async function ledger(): Promise<number> {
  const [{ n }] = await stack.db('ingest_event').count<{ n: string }[]>('* as n');
  return Number(n);
}

/** A refusal as the contract says: 4xx, JSON, a Chinese message. */
function expectRefused(r: Reply, status?: number): void {
  expect({ status: r.status, message: r.body.message }).toEqual({ status: status ?? expect.any(Number), message: expect.stringMatching(CJK) });
  expect(r.status).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
}

/** A 200 that accounts for every record, each rejection with a Chinese reason. */
function expectAccounted(r: Reply, submitted: number): void {
  expect(r.status).toBe(200);
  const b = r.body as { accepted: number; duplicates: number; rejected: { reason: string }[] };
  expect(b.accepted + b.duplicates + b.rejected.length).toBe(submitted);
  for (const x of b.rejected) expect(x.reason).toMatch(CJK);
}

/** The gateway still takes a valid record after whatever came before. */
async function expectAlive(): Promise<void> {
  const id = stack.unique('alive');
  const r = await postJson('accident', JSON.stringify([jsonRecord('accident', id)]));
  expect(r.body).toEqual({ accepted: 1, corrected: 0, duplicates: 0, rejected: [] });
}

async function xlsxOf(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('数据');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const csvOf = (rows: unknown[][]) => rows.map((r) => r.map((c) => `"${String(c ?? '').replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n';

describe('zip bombs posing as XLSX', () => {
  test.each([
    ['a worksheet that inflates to 2 GiB (temporary file)', worksheetBomb],
    ['a shared string that inflates to 2 GiB (memory)', sharedStringBomb],
  ])('%s: 413 in Chinese within seconds, memory bounded, nothing taken', async (_what, bomb) => {
    const before = await ledger();
    const body = bomb();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const started = Date.now();
    const r = await postFile('accident', body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').finally(() => clearInterval(sampler));
    expectRefused(r, 413);
    expect(r.body.message).toMatch(/解压后的内容过大.*疑似压缩炸弹/);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(peak - rssBefore).toBeLessThan(512 * 1024 * 1024);
    expect(await ledger()).toBe(before);
    await expectAlive();
  }, 120_000);

  test('a valid XLSX cut short, and random bytes behind the zip signature: 400 in Chinese', async () => {
    const { headers, row } = fileTable('accident', stack.unique('cut'));
    const whole = await xlsxOf([headers, row]);
    const before = await ledger();
    expectRefused(await postFile('accident', whole.subarray(0, Math.floor(whole.length / 2))), 400);
    const junk = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))]);
    expectRefused(await postFile('accident', junk));
    expect(await ledger()).toBe(before);
    await expectAlive();
  });
});

describe('JSON bodies no record could be', () => {
  test.each([
    ['arrays nested 100,000 deep', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['objects nested 100,000 deep', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    ['a record whose field nests 100,000 deep', `[{"eventId":"deep","employerName":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`],
  ])('%s: 400 naming the nesting, nothing taken', async (_what, body) => {
    const before = await ledger();
    const r = await postJson('accident', body);
    expectRefused(r, 400);
    expect(r.body.message).toMatch(/嵌套/);
    expect(await ledger()).toBe(before);
    await expectAlive();
  });

  test('malformed UTF-8 and GBK bytes: 400 naming the encoding, not stored with “\ufffd”', async () => {
    const before = await ledger();
    const rec = JSON.stringify([jsonRecord('accident', stack.unique('gbk'))]).replace('宿迁示例建材有限公司', '@@NAME@@');
    const [head, tail] = rec.split('@@NAME@@');
    const gbk = Buffer.concat([Buffer.from(head), iconv.encode('宿迁示例建材有限公司', 'gbk'), Buffer.from(tail)]);
    const broken = Buffer.concat([Buffer.from(head), Buffer.from([0xe5, 0xae, 0xff, 0xc0, 0x80]), Buffer.from(tail)]);
    for (const body of [gbk, broken]) {
      const r = await postJson('accident', body);
      expectRefused(r, 400);
      expect(r.body.message).toMatch(/UTF-8/);
    }
    expectRefused(await postJson('accident', gbk, 'application/json; charset=gbk'), 415);
    expect(await ledger()).toBe(before);
    await expectAlive();
  });

  test('empty bodies, bodies that are not JSON, wrong content types: 4xx in Chinese', async () => {
    const before = await ledger();
    const record = JSON.stringify([jsonRecord('accident', stack.unique('ct'))]);
    expectRefused(await postJson('accident', ''), 400);
    expectRefused(await postJson('accident', 'null'), 400);
    expectRefused(await postJson('accident', '"一段文本"'), 400);
    expectRefused(await postJson('accident', '{"eventId": '), 400);
    expectRefused(await postJson('accident', record, 'text/plain'), 400);
    expectRefused(await postJson('accident', record, 'application/xml'), 400);
    expectRefused(await postFile('accident', ''), 400);
    expectRefused(await postFile('accident', record, 'application/json'), 400); // no header row
    expectRefused(await postFile('accident', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0])), 415); // .xls
    expect(await ledger()).toBe(before);
    expectAccounted(await postJson('accident', '[]'), 0);
    await expectAlive();
  });

  test('a gzip bomb behind Content-Encoding: 413, the inflated body is bounded', async () => {
    const before = await ledger();
    const bomb = zlib.gzipSync(Buffer.alloc(256 * 1024 * 1024, 0x20));
    const r = await post('/v1/events', 'accident', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expectRefused(r, 413);
    expectRefused(await post('/v1/events', 'accident', '[]', { 'content-type': 'application/json', 'content-encoding': 'compress' }), 415);
    expect(await ledger()).toBe(before);
    await expectAlive();
  }, 60_000);
});

describe('records of the wrong shape, and many of them', () => {
  test('every field of every type given the wrong type: each record rejected with Chinese reasons', async () => {
    const wrong: unknown[] = [[], {}, [1, 2], { a: 1 }, true, -1e308, 1e308, '', '   ', '\u0000', '\ud800'];
    const before = await ledger();
    for (const type of ['accident', 'enrollment', 'hazard', 'contribution'] as EventType[]) {
      const base = jsonRecord(type, 'x');
      const records = Object.keys(base).flatMap((field) => wrong.map((w, i) => ({ ...base, eventId: stack.unique(`${field}-${i}`), [field]: w })));
      const r = await postJson(type, JSON.stringify(records));
      expectAccounted(r, records.length);
      const b = r.body as { accepted: number; rejected: unknown[] };
      expect(b.rejected.length).toBeGreaterThan(records.length / 2);
    }
    expect(await ledger()).toBeGreaterThanOrEqual(before);
    await expectAlive();
  });

  test('10,000 records of generated garbage: every one rejected with a Chinese reason, none taken', async () => {
    const garbage = fc.sample(fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())), { numRuns: 10_000, seed: fuzzSeed });
    const before = await ledger();
    const r = await postJson('accident', JSON.stringify(garbage));
    expectAccounted(r, 10_000);
    expect((r.body as { rejected: unknown[] }).rejected).toHaveLength(10_000);
    expect(await ledger()).toBe(before);
    await expectAlive();
  }, 120_000);

  test('10,001 records: 413 in Chinese, none taken', async () => {
    const before = await ledger();
    expectRefused(await postJson('accident', JSON.stringify(Array.from({ length: 10_001 }, () => ({})))), 413);
    expect(await ledger()).toBe(before);
  });

  test('a 1 MB cell, by JSON, CSV and XLSX: the record is rejected as too long, its neighbours taken', async () => {
    const huge = '工'.repeat(1024 * 1024);
    for (const field of ['employerName', 'summary'] as const) {
      const id = stack.unique(`huge-${field}`);
      const r = await postJson('accident', JSON.stringify([{ ...jsonRecord('accident', `${id}-a`), [field]: huge }, jsonRecord('accident', `${id}-b`)]));
      expectAccounted(r, 2);
      expect(r.body).toMatchObject({ accepted: 1, rejected: [{ index: 0, reason: expect.stringMatching(/长度不能超过 \d+ 个字符，实际为 1048576/) }] });
    }
    const id = stack.unique('huge-file');
    const { headers, row } = fileTable('accident', `${id}-a`);
    const big = row.map((c, i) => (headers[i] === '事故简况' ? huge : c));
    const next = fileTable('accident', `${id}-b`).row;
    for (const body of [Buffer.from(csvOf([headers, big, next])), await xlsxOf([headers, big, next])]) {
      const r = await postFile('accident', body);
      expectAccounted(r, 2);
      expect(r.body).toMatchObject({ rejected: [{ row: 2, reason: expect.stringMatching(/事故简况.*长度不能超过 4000/) }] });
    }
    await expectAlive();
  }, 60_000);

  test('2,000 records at the longest texts allowed, all taken; 2,000 such records rejected, all answered', async () => {
    const id = stack.unique('long');
    const longest = { employerName: '长'.repeat(100), summary: '事'.repeat(4000) };
    const good = Array.from({ length: 2000 }, (_, i) => ({ ...jsonRecord('accident', `${id}-${i}`, (i % 50) + 1), ...longest }));
    const before = await ledger();
    const r = await postJson('accident', JSON.stringify(good));
    expectAccounted(r, 2000);
    expect(r.body.accepted).toBe(2000);
    expect(await ledger()).toBe(before + 2000);
    const bad = good.map((g, i) => ({ ...g, eventId: `${id}-bad-${i}`, deaths: -1 }));
    const rb = await postJson('accident', JSON.stringify(bad));
    expectAccounted(rb, 2000);
    expect((rb.body as { rejected: unknown[] }).rejected).toHaveLength(2000);
  }, 120_000);
});

describe('formula cells are data, kept exactly (neutralised where they are exported)', () => {
  test('=, +, -, @ first, and a formula cell in XLSX: accepted as text, never evaluated', async () => {
    const names = ["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1:A2)', '=HYPERLINK("http://x","y")'];
    const id = stack.unique('formula');
    const rows = names.map((name, i) => {
      const { headers, row } = fileTable('accident', `${id}-${i}`);
      return { headers, row: row.map((c, j) => (headers[j] === '单位名称' ? name : headers[j] === '统一社会信用代码' ? '' : c)) };
    });
    const headers = rows[0].headers;
    const withFormula = fileTable('accident', `${id}-f`);
    const xlsx = await (async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('数据');
      ws.addRow(headers);
      for (const r of rows) ws.addRow(r.row);
      const fr = ws.addRow(withFormula.row);
      fr.getCell(headers.indexOf('事故简况') + 1).value = { formula: 'CONCATENATE("机械","伤害")', result: '机械伤害' } as ExcelJS.CellFormulaValue;
      return Buffer.from(await wb.xlsx.writeBuffer());
    })();
    const msgs = await readAfter(
      stack,
      ['accident'],
      async () => {
        const r = await postFile('accident', xlsx);
        expect(r.body).toMatchObject({ accepted: names.length + 1, rejected: [] });
      },
      (m) => m.filter((x) => String(x.value.eventId).startsWith(id)).length >= names.length + 1,
    );
    const byId = new Map(msgs.map((m) => [m.value.eventId, m.value]));
    names.forEach((name, i) => expect(byId.get(`${id}-${i}`)?.employerName).toBe(name));
    expect(byId.get(`${id}-f`)?.summary).toBe('机械伤害'); // the cached result, never the formula
  });
});

describe(`generated requests (seed ${fuzzSeed}, ${fuzzRuns} runs)`, () => {
  beforeAll(() => console.log(`fuzz: seed ${fuzzSeed}, ${fuzzRuns} runs (WHP_FUZZ_SEED / WHP_FUZZ_RUNS to change)`));

  test('every generated request gets a 200 that accounts for it or a 4xx in Chinese; a refusal takes nothing; the gateway stays up', async () => {
    await fc.assert(
      fc.asyncProperty(badRequestArbitrary(), async (generated) => {
        const req = isPendingXlsx(generated) ? await xlsxRequest(generated) : generated;
        const before = await ledger();
        const r = await post(req.path, req.type, req.body, req.headers);
        if (r.status === 200) {
          const b = r.body as { accepted: number; duplicates: number; rejected: { reason: string }[]; skipped?: unknown[] };
          if (req.records !== undefined) expectAccounted(r, req.records);
          for (const x of b.rejected) expect(x.reason).toMatch(CJK);
          expect(await ledger()).toBeLessThanOrEqual(before + b.accepted);
        } else {
          expectRefused(r);
          expect(await ledger()).toBe(before);
        }
      }),
      { seed: fuzzSeed, numRuns: fuzzRuns, endOnFailure: true, interruptAfterTimeLimit: Number(process.env.WHP_FUZZ_SECONDS ?? 0) * 1000 || undefined },
    );
    await expectAlive();
  }, 600_000);
});
