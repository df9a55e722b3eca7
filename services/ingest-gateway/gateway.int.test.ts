import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import iconv from 'iconv-lite';
import pino from 'pino';
import { connectStack, readAfter, Stack } from '../../test/stack';
import { DecodedMessage } from '../shared/kafka';
import { EVENT_TYPES, EventType, PUBLISHERS, topicOf } from '../shared/contract';
import { citizenIdCheckChar, pseudonymize } from '../shared/identifiers';
import { hashToken } from '../shared/auth';
import { publishEvents, publishFile, IngestAnswer } from './client';
import { Gateway, startGateway } from './gateway';
import { badCheckCitizenId, csvText, fileTable, jsonRecord, validCitizenId, validUscc, writeCsv, writeWorkbook, writeXlsx } from './test-fixtures';

/**
 * The ingest gateway against the real Kafka, registry and PostgreSQL (contract sections 1–3).
 */
let stack: Stack;
let gateway: Gateway;
let dir: string;
const logLines: string[] = [];
const logger = pino(
  { level: 'debug', base: { service: 'ingest-gateway' } },
  new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  }),
);
const FILE_LIMIT = 4 * 1024 * 1024;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  gateway = await startGateway({ config: stack.config, port: 0, logger, maxFileBytes: FILE_LIMIT });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-gw-'));
});
afterAll(async () => {
  await gateway?.close();
  await stack?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const owner = (type: EventType) => PUBLISHERS[type][0];
const tokenOf = (type: EventType) => `dev-${owner(type)}`;
const send = (type: EventType, events: unknown[], token = tokenOf(type)) => publishEvents({ gatewayUrl: gateway.url, token, type, events });
const upload = (type: EventType, file: string, token = tokenOf(type)) => publishFile({ gatewayUrl: gateway.url, token, type, file });

async function post(p: string, body: string | Buffer, headers: Record<string, string>) {
  const res = await fetch(`${gateway.url}${p}`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function expectAccounted(answer: IngestAnswer, submitted: number) {
  expect(answer.accepted + answer.duplicates + answer.rejected.length).toBe(submitted);
}

describe('every event type goes through to its topic', () => {
  test('via JSON, as Avro keyed by employer, with department, source and pseudonymised person', async () => {
    const run = stack.unique('json');
    const msgs = await readAfter(
      stack,
      [...EVENT_TYPES],
      async () => {
        for (const type of EVENT_TYPES) {
          const answer = await send(type, [jsonRecord(type, `${run}-${type}`)]);
          expect(answer).toEqual({ accepted: 1, corrected: 0, duplicates: 0, rejected: [] });
        }
      },
      (m) => m.filter((x) => String(x.value.eventId).startsWith(run)).length >= EVENT_TYPES.length,
    );
    for (const type of EVENT_TYPES) {
      const got = msgs.find((m) => m.topic === topicOf(type) && m.value.eventId === `${run}-${type}`);
      expect(got).toBeDefined();
      expect(got!.key).toBe(validUscc(1));
      expect(got!.value).toMatchObject({ department: owner(type), source: 'API', employerKey: validUscc(1), regionCode: '321302' });
      if ('personId' in got!.value) expect(got!.value.personId).toBe(pseudonymize(validCitizenId(1), stack.config.pseudonymKey));
    }
    const accident = msgs.find((m) => m.value.eventId === `${run}-accident`)!.value;
    expect(accident).toMatchObject({ occurredAt: '2026-10-12T01:30:00.000Z', category: 3, categoryStandard: 'GB6441_1986', directLossYuan: 182000.5 });
    const hazard = msgs.find((m) => m.value.eventId === `${run}-hazard`)!.value;
    expect(hazard).toMatchObject({ limitType: 'PC_TWA', measured: 2.4, limit: 0.7, sampledAt: '2026-08-15', exposedWorkers: 12 });
  });

  test('via a CSV file with the contract Chinese headers', async () => {
    const run = stack.unique('csv');
    const msgs = await readAfter(
      stack,
      [...EVENT_TYPES],
      async () => {
        for (const type of EVENT_TYPES) {
          const { headers, row } = fileTable(type, `${run}-${type}`);
          const file = path.join(dir, `${type}.csv`);
          writeCsv(file, [headers, row]);
          expect(await upload(type, file)).toEqual({ accepted: 1, corrected: 0, duplicates: 0, rejected: [], skipped: [] });
        }
      },
      (m) => m.filter((x) => String(x.value.eventId).startsWith(run)).length >= EVENT_TYPES.length,
    );
    for (const type of EVENT_TYPES) {
      const got = msgs.find((m) => m.topic === topicOf(type) && m.value.eventId === `${run}-${type}`);
      expect(got?.value).toMatchObject({ department: owner(type), source: 'FILE', employerKey: validUscc(1) });
    }
    const byId = (t: EventType) => msgs.find((m) => m.value.eventId === `${run}-${t}`)!.value;
    expect(byId('accident')).toMatchObject({ occurredAt: '2026-10-12T01:30:00.000Z', category: 3 });
    expect(byId('enrollment')).toMatchObject({ action: 'ENROLL', dustExposed: true, effectiveDate: '2026-01-01', projectId: null });
    expect(byId('injury')).toMatchObject({ decision: 'RECOGNIZED', insuredAtInjury: false });
    expect(byId('project')).toMatchObject({ projectId: `${run}-project`, startDate: '2026-03-01', insuranceCertificate: null });
    expect(byId('employer')).toMatchObject({ asOf: '2026-09-30', headcount: 120 });
    expect(byId('hazard')).toMatchObject({ exposedWorkers: 12, unit: 'mg/m³' });
  });
});

describe('each validation rule rejects the record with a precise Chinese reason', () => {
  const birthInvalid = (() => {
    const body = '32010219850230001';
    return body + citizenIdCheckChar(body);
  })();
  const bad = validUscc(2).slice(0, 17) + (validUscc(2)[17] === '0' ? '1' : '0');
  const rules: [string, EventType, Record<string, unknown>, string, RegExp][] = [
    ['a USCC with a wrong check digit', 'employer', { uscc: bad }, 'uscc', /^统一社会信用代码校验位错误（应为 \w，实际为 \w）$/],
    ['a citizen ID with a wrong check digit', 'enrollment', { personId: badCheckCitizenId(5) }, 'personId', /^身份证号校验位错误（应为 .）$/],
    ['a citizen ID with an impossible birth date', 'injury', { personId: birthInvalid }, 'personId', /^身份证号中的出生日期无效$/],
    ['a region code that is not GB/T 2260 shaped', 'hazard', { regionCode: '32130' }, 'regionCode', /^行政区划代码应为 6 位数字（GB\/T 2260）$/],
    ['a region code that is not one of the configured province', 'hazard', { regionCode: '329999' }, 'regionCode', /^行政区划代码 329999 不是江苏省（32）的 GB\/T 2260 代码$/],
    ['no USCC and no employer name', 'employer', { uscc: null, employerName: ' ' }, 'employerName', /^无统一社会信用代码时，单位名称为必填项$/],
    ['an accident category outside GB6441-1986 1–20', 'accident', { category: 21 }, 'category', /^事故类别代码应为 1–20（GB6441-1986），实际为 21$/],
    ['an accident under GB6441-2025 before its table is configured', 'accident', { categoryStandard: 'GB6441-2025' }, 'categoryStandard', /GB6441-2025 的分类表尚未配置/],
    ['a diagnosis dated in the future', 'disease', { diagnosedAt: '2099-01-01' }, 'diagnosedAt', /^诊断日期：日期 2099-01-01 晚于今天/],
    ['a date that does not exist', 'employer', { asOf: '2026-02-30' }, 'asOf', /^统计日期：日期 2026-02-30 不存在$/],
    ['a negative number of deaths', 'accident', { deaths: -1 }, 'deaths', /^死亡人数：不能小于 0，实际为 -1$/],
    ['a negative direct loss', 'accident', { directLossYuan: -5 }, 'directLossYuan', /^直接经济损失\(元\)：不能小于 0/],
    ['a headcount that is not whole', 'employer', { headcount: 1.5 }, 'headcount', /^职工人数：应为整数，实际为 1.5$/],
    ['a missing required field', 'project', { projectName: undefined }, 'projectName', /^项目名称（projectName）为必填项，不能为空$/],
    ['an unknown rectification result', 'rectification', { result: '通过' }, 'result', /^复查结果\(合格\/不合格\)：取值应为 合格、不合格、PASSED、FAILED 之一，实际为 “通过”$/],
    ['an unknown limit type', 'hazard', { limitType: 'TWA' }, 'limitType', /取值应为 PC-TWA、PC-STEL、MAC、8h-Leq 之一/],
    ['a yes/no field that is neither', 'injury', { insuredAtInjury: '也许' }, 'insuredAtInjury', /应为“是”或“否”/],
    ['an occupational disease category outside 1–12', 'disease', { category: 0 }, 'category', /^职业病类别：不能小于 1，实际为 0$/],
  ];
  test.each(rules)('%s', async (_name, type, change, field, reason) => {
    const run = stack.unique('rule');
    const answer = await send(type, [jsonRecord(type, `${run}-ok`), { ...jsonRecord(type, `${run}-bad`, 2), ...change }]);
    expect(answer.accepted).toBe(1);
    expect(answer.rejected).toHaveLength(1);
    expect(answer.rejected[0]).toMatchObject({ index: 1, field });
    expect(answer.rejected[0].reason).toMatch(reason);
  });

  test('a record with several problems names them all in one rejection', async () => {
    const answer = await send('accident', [{ ...jsonRecord('accident', stack.unique('multi')), deaths: -1, regionCode: 'x' }]);
    expect(answer.rejected).toEqual([{ index: 0, field: 'regionCode,deaths', reason: '行政区划代码应为 6 位数字（GB/T 2260）；死亡人数：不能小于 0，实际为 -1' }]);
  });
});

describe('the dead-letter topic', () => {
  test('holds every rejected record with its department, payload and reasons, person IDs pseudonymised', async () => {
    const run = stack.unique('dl');
    const id = badCheckCitizenId(11);
    const records = [
      jsonRecord('disease', `${run}-0`),
      { ...jsonRecord('disease', `${run}-1`), personId: id },
      { ...jsonRecord('disease', `${run}-2`), category: 99 },
      'not a record',
    ];
    let answer: IngestAnswer | undefined;
    const msgs = await readAfter(
      stack,
      ['deadletter'],
      async () => {
        answer = await send('disease', records);
      },
      (m) => m.filter((x) => x.value.department === 'health' && String(x.value.payload).includes(run)).length >= 2 && m.some((x) => x.value.payload === '"not a record"'),
    );
    expectAccounted(answer!, 4);
    expect(answer!.rejected.map((r) => r.index)).toEqual([1, 2, 3]);
    const mine = msgs.filter((m) => m.value.department === 'health' && (String(m.value.payload).includes(run) || m.value.payload === '"not a record"'));
    expect(mine).toHaveLength(3);
    const one = mine.find((m) => m.value.eventId === `${run}-1`)!.value;
    expect(one).toMatchObject({ eventType: 'disease', source: 'API', position: 1 });
    expect(one.reasons).toEqual([{ field: 'personId', reason: expect.stringMatching(/^身份证号校验位错误/) }]);
    expect(JSON.parse(String(one.payload)).personId).toBe(pseudonymize(id, stack.config.pseudonymKey));
    expect(mine.find((m) => m.value.eventId === `${run}-2`)!.value.reasons).toEqual([{ field: 'category', reason: '职业病类别：不能大于 12，实际为 99' }]);
    expect(mine.find((m) => m.value.payload === '"not a record"')!.value).toMatchObject({ eventId: null, position: 3 });
  });

  test('file rejections carry the row number and the column as written', async () => {
    const run = stack.unique('dlf');
    const { headers, row } = fileTable('hazard', `${run}-1`);
    const badRow = [...row];
    badRow[0] = `${run}-2`;
    badRow[headers.indexOf('限值类型')] = 'TWA';
    const file = path.join(dir, 'dl.csv');
    writeCsv(file, [headers, row, badRow]);
    const msgs = await readAfter(
      stack,
      ['deadletter'],
      async () => {
        const a = await upload('hazard', file);
        expect(a.rejected).toEqual([{ row: 3, column: '限值类型', reason: expect.stringContaining('取值应为 PC-TWA') }]);
      },
      (m) => m.some((x) => x.value.eventId === `${run}-2`),
    );
    const dl = msgs.find((x) => x.value.eventId === `${run}-2`)!.value;
    expect(dl).toMatchObject({ department: 'health', eventType: 'hazard', source: 'FILE', position: 3 });
    expect(dl.reasons).toEqual([{ field: '限值类型', reason: expect.stringContaining('实际为 “TWA”') }]);
    expect(JSON.parse(String(dl.payload))).toMatchObject({ 检测编号: `${run}-2`, 限值类型: 'TWA' });
  });
});

describe('files as departments really send them', () => {
  test('a GBK-encoded CSV is read', async () => {
    const run = stack.unique('gbk');
    const { headers, row } = fileTable('accident', `${run}-1`);
    const file = path.join(dir, 'gbk.csv');
    writeCsv(file, [headers, row], 'gbk');
    expect(fs.readFileSync(file).includes(Buffer.from('事故编号', 'utf8'))).toBe(false); // really not UTF-8
    const msgs = await readAfter(
      stack,
      ['accident'],
      async () => {
        expect(await upload('accident', file)).toEqual({ accepted: 1, corrected: 0, duplicates: 0, rejected: [], skipped: [] });
      },
      (m) => m.some((x) => x.value.eventId === `${run}-1`),
    );
    expect(msgs.find((x) => x.value.eventId === `${run}-1`)!.value).toMatchObject({ employerName: '宿迁示例建材有限公司', summary: '清理堵料时发生机械伤害' });
  });

  test('a GB 18030 CSV keeps rare characters exactly; a row whose bytes cannot be decoded is rejected, never stored with U+FFFD', async () => {
    const run = stack.unique('gb18030');
    const rare = '宿迁市𠮷祥䶮记建材有限公司';
    const { headers, row } = fileTable('accident', `${run}-1`);
    const nameCol = headers.indexOf('单位名称');
    const good = row.map((v, i) => (i === nameCol ? rare : i === headers.indexOf('事故简况') ? '（﨑岖路段）清理堵料时受伤' : v));
    const bad = row.map((v, i) => (i === 0 ? `${run}-2` : i === nameCol ? 'BROKEN' : v));
    // 0xFF is never a GB 18030 byte: the name of row 3 cannot be decoded.
    const text = iconv.encode(csvText([headers, good, bad, [`${run}-3`, ...row.slice(1)]]), 'gb18030');
    const body = Buffer.from(text.toString('latin1').replace('BROKEN', 'BR\u00ffKEN'), 'latin1');
    expect(body.includes(Buffer.from([0x95, 0x34, 0xb2, 0x35]))).toBe(true); // 𠮷 as four GB 18030 bytes
    const file = path.join(dir, 'gb18030.csv');
    fs.writeFileSync(file, body);
    let answer: IngestAnswer | undefined;
    const msgs = await readAfter(
      stack,
      ['accident', 'deadletter'],
      async () => {
        answer = await upload('accident', file);
      },
      (m) => m.filter((x) => String(x.value.eventId).startsWith(run)).length >= 3,
    );
    expect(answer).toEqual({
      accepted: 2, corrected: 0, duplicates: 0,
      rejected: [{ row: 3, column: '单位名称', reason: '单位名称：含有无法按 GB 18030 解码的字节（已显示为“�”），该行未接收；请检查文件编码（应为 UTF-8 或 GB 18030）后重新报送' }],
      skipped: [],
    });
    const first = msgs.find((x) => x.topic === topicOf('accident') && x.value.eventId === `${run}-1`)!.value;
    expect(first).toMatchObject({ employerName: rare, summary: '（﨑岖路段）清理堵料时受伤' });
    const dl = msgs.find((x) => x.topic === topicOf('deadletter') && x.value.eventId === `${run}-2`)!.value;
    expect(dl.reasons).toEqual([{ field: '单位名称', reason: expect.stringContaining('GB 18030') }]);
    for (const m of msgs.filter((x) => x.topic === topicOf('accident'))) expect(JSON.stringify(m.value)).not.toContain('\ufffd');
  });

  test('a UTF-8 CSV with one corrupt byte: that row is rejected, the others are read as UTF-8', async () => {
    const run = stack.unique('utf8-bad');
    const { headers, row } = fileTable('employer', `${run}-1`);
    const text = csvText([headers, row, [`${run}-2`, ...row.slice(1)], [`${run}-3`, ...row.slice(1)]]);
    const body = Buffer.from(Buffer.from(text, 'utf8').toString('latin1').replace(`${run}-2,`, `${run}-2,\u00ff`), 'latin1');
    const file = path.join(dir, 'utf8-bad.csv');
    fs.writeFileSync(file, body);
    const answer = await upload('employer', file);
    expect(answer).toMatchObject({ accepted: 2, rejected: [{ row: 3, column: '统一社会信用代码', reason: expect.stringContaining('无法按 UTF-8 解码') }] });
  });

  test('a UTF-8 CSV with a BOM, spaces and full-width brackets in headers, columns shuffled, trailing empty rows', async () => {
    const run = stack.unique('variants');
    const { headers, row } = fileTable('enrollment', `${run}-1`);
    const order = [5, 0, 3, 2, 1, 4, 6, 7, 8].filter((i) => i < headers.length);
    const messy = order.map((i) => ` ${headers[i].replace('(', '（').replace(')', '）')} `);
    const r1 = order.map((i) => row[i]);
    const r2 = order.map((i) => (i === 0 ? `${run}-2` : headers[i].startsWith('接尘') ? '否' : row[i]));
    const file = path.join(dir, 'variants.csv');
    writeCsv(file, [messy, r1, r2, order.map(() => ''), []], 'utf8', true);
    const msgs = await readAfter(
      stack,
      ['enrollment'],
      async () => {
        expect(await upload('enrollment', file)).toEqual({ accepted: 2, corrected: 0, duplicates: 0, rejected: [], skipped: [] });
      },
      (m) => m.filter((x) => String(x.value.eventId).startsWith(run)).length >= 2,
    );
    expect(msgs.find((x) => x.value.eventId === `${run}-1`)!.value.dustExposed).toBe(true);
    expect(msgs.find((x) => x.value.eventId === `${run}-2`)!.value.dustExposed).toBe(false);
  });

  test('an XLSX with Excel date cells, a title row, a category name and trailing empty rows', async () => {
    const run = stack.unique('xlsx');
    const { headers } = fileTable('accident', run);
    const uscc = validUscc(4);
    const rows: unknown[][] = [
      ['2026年第三季度生产安全事故统计表'],
      headers,
      [`${run}-1`, uscc, '某机械厂', 321302, new Date(Date.UTC(2026, 2, 1, 8, 30)), '机械伤害', 0, 1, 0, 5000, '手部卷入', ''],
      [`${run}-2`, uscc, '某机械厂', '321302', new Date(Date.UTC(2026, 7, 9)), 9, 1, 0, 0, 800000, '高处坠落', 'SQ-1'],
      [`${run}-3`, uscc, '某机械厂', '321302', new Date(Date.UTC(2099, 0, 1)), 3, 0, 0, 0, 0, '', ''],
      [],
      ['', '', ''],
    ];
    const file = path.join(dir, 'accidents.xlsx');
    await writeXlsx(file, rows);
    const msgs = await readAfter(
      stack,
      ['accident'],
      async () => {
        const answer = await upload('accident', file);
        expect(answer.accepted).toBe(2);
        expect(answer.rejected).toEqual([{ row: 5, column: '发生时间', reason: expect.stringContaining('晚于当前时间') }]);
      },
      (m) => m.filter((x) => String(x.value.eventId).startsWith(run)).length >= 2,
    );
    expect(msgs.find((x) => x.value.eventId === `${run}-1`)!.value).toMatchObject({ occurredAt: '2026-03-01T00:30:00.000Z', category: 3, regionCode: '321302' });
    expect(msgs.find((x) => x.value.eventId === `${run}-2`)!.value).toMatchObject({ occurredAt: '2026-08-08T16:00:00.000Z', category: 9, deaths: 1, projectId: 'SQ-1' });
  });

  test('dates as staff type them: compact dates and Chinese date-times are read; a bare year is refused, not taken as 1905', async () => {
    const run = stack.unique('dates');
    const { headers, row } = fileTable('hazard', run);
    const col = headers.indexOf('采样日期');
    const withDate = (n: number, date: unknown) => row.map((v, i) => (i === 0 ? `${run}-${n}` : i === col ? date : v));
    const xlsx = path.join(dir, 'dates.xlsx');
    await writeXlsx(xlsx, [headers, withDate(1, 20260301), withDate(2, '20260302'), withDate(3, 2026), withDate(4, new Date(Date.UTC(2026, 2, 4)))]);
    const acc = fileTable('accident', `${run}-acc`);
    const csv = path.join(dir, 'cn-time.csv');
    writeCsv(csv, [acc.headers, acc.row.map((v, i) => (acc.headers[i] === '发生时间' ? '2026年10月1日 14时30分' : v))]);
    const msgs = await readAfter(
      stack,
      ['hazard', 'accident'],
      async () => {
        const answer = await upload('hazard', xlsx);
        expect(answer.accepted).toBe(3);
        expect(answer.rejected).toEqual([{ row: 4, column: '采样日期', reason: '采样日期：数字 2026 不是日期：请填写 YYYY-MM-DD、YYYY/M/D 或 YYYYMMDD，或将单元格设为日期格式' }]);
        expect(await upload('accident', csv)).toMatchObject({ accepted: 1, rejected: [] });
      },
      (m) => m.filter((x) => String(x.value.eventId).startsWith(run)).length >= 4,
    );
    const sampled = (n: number) => msgs.find((x) => x.value.eventId === `${run}-${n}`)?.value.sampledAt;
    expect([sampled(1), sampled(2), sampled(3), sampled(4)]).toEqual(['2026-03-01', '2026-03-02', undefined, '2026-03-04']);
    expect(msgs.find((x) => x.value.eventId === `${run}-acc`)!.value.occurredAt).toBe('2026-10-01T06:30:00.000Z');
  });

  test('units in headers: 直接经济损失（万元） and 接害工龄（月） are converted to 元 and 年; an unknown unit refuses the file', async () => {
    const run = stack.unique('units');
    const acc = fileTable('accident', `${run}-acc`);
    const dis = fileTable('disease', `${run}-dis`);
    const accFile = path.join(dir, 'units-acc.csv');
    const disFile = path.join(dir, 'units-dis.xlsx');
    writeCsv(accFile, [acc.headers.map((h) => (h === '直接经济损失(元)' ? '直接经济损失（万元）' : h)), acc.row.map((v, i) => (acc.headers[i] === '直接经济损失(元)' ? '1200' : v))]);
    const months = dis.headers.indexOf('接害工龄(年)');
    await writeXlsx(disFile, [
      dis.headers.map((h, i) => (i === months ? '接尘工龄（月）' : h)),
      dis.row.map((v, i) => (i === months ? 36 : v)),
      dis.row.map((v, i) => (i === 0 ? `${run}-dis2` : i === months ? 7 : v)),
    ]);
    const msgs = await readAfter(
      stack,
      ['accident', 'disease'],
      async () => {
        expect(await upload('accident', accFile)).toMatchObject({ accepted: 1, rejected: [] });
        expect(await upload('disease', disFile)).toMatchObject({ accepted: 2, rejected: [] });
      },
      (m) => m.filter((x) => String(x.value.eventId).startsWith(run)).length >= 3,
    );
    const of = (id: string) => msgs.find((x) => x.value.eventId === id)!.value;
    expect(of(`${run}-acc`).directLossYuan).toBe(12_000_000);
    expect(of(`${run}-dis`).exposureYears).toBe(3);
    expect(of(`${run}-dis2`).exposureYears).toBe(7 / 12);

    const bad = path.join(dir, 'units-bad.csv');
    writeCsv(bad, [acc.headers.map((h) => (h === '直接经济损失(元)' ? '直接经济损失(美元)' : h)), [`${run}-usd`, ...acc.row.slice(1)]]);
    const res = await post('/v1/files/accident', fs.readFileSync(bad), { authorization: 'Bearer dev-emergency', 'content-type': 'text/csv' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('“直接经济损失(美元)”列的单位“美元”不受支持：直接经济损失只接受 元、万元（见契约第 2 节“表头中的单位”）');
    expect(await stack.db('ingest_event').where({ event_id: `${run}-usd` }).first()).toBeUndefined();
  });

  test('a workbook as staff keep it: 填表说明 first, data on the second sheet under a title, a 合计 row at the end', async () => {
    const run = stack.unique('staff');
    const { headers } = fileTable('accident', run);
    const uscc = validUscc(41);
    const wide = (n: number) => String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const file = path.join(dir, 'staff.xlsx');
    await writeWorkbook(file, [
      { name: '填表说明', rows: [['填表说明'], ['1. 事故编号为本单位事故登记编号'], ['2. 直接经济损失单位为元'], [], ['3. 日期格式 YYYY-MM-DD']] },
      {
        name: '事故统计',
        rows: [
          ['2026年第三季度生产安全事故统计表'],
          ['填报单位：宿迁市应急管理局'],
          headers,
          [`${run}-1`, uscc.toLowerCase(), '某机械厂', '321302', '2026-09-01 08:30', '机械伤害', 0, 1, 0, '1,200,000', '手部卷入', ''],
          [`${run}-2`, uscc, '某机械厂', '３２１３０２', '2026-09-02 10:00', '３', wide(0), wide(0), wide(2), wide(5000), '', ''],
          ['', '小计', '', '', '', '', 0, 1, 2, 1205000, '', ''],
          ['合 计', '', '', '', '', '', 0, 1, 2, 1205000, '', ''],
        ],
      },
      { name: '附表', rows: [headers, [`${run}-other`, uscc, '某厂', '321302', '2026-09-03 08:00', 3, 0, 0, 1, 100, '', '']] },
    ]);
    const msgs = await readAfter(
      stack,
      ['accident'],
      async () => {
        expect(await upload('accident', file)).toEqual({
          accepted: 2, corrected: 0, duplicates: 0, rejected: [],
          skipped: [{ row: 6, reason: '小计行，已跳过' }, { row: 7, reason: '合计行，已跳过' }],
        });
      },
      (m) => m.filter((x) => String(x.value.eventId).startsWith(run)).length >= 2,
    );
    expect(msgs.find((x) => x.value.eventId === `${run}-1`)!.value).toMatchObject({ uscc, directLossYuan: 1_200_000, seriousInjuries: 1 });
    expect(msgs.find((x) => x.value.eventId === `${run}-2`)!.value).toMatchObject({ regionCode: '321302', category: 3, minorInjuries: 2, directLossYuan: 5000 });
    expect(msgs.some((x) => x.value.eventId === `${run}-other`)).toBe(false); // only the first sheet with the header row is read
  });

  test('a CSV with a trailing 总计 row: skipped and said so, not rejected', async () => {
    const run = stack.unique('total');
    const { headers, row } = fileTable('employer', `${run}-1`);
    const file = path.join(dir, 'total.csv');
    writeCsv(file, [headers, row, ['总计：', '', '', '', '', '120', '']]);
    expect(await upload('employer', file)).toEqual({ accepted: 1, corrected: 0, duplicates: 0, rejected: [], skipped: [{ row: 3, reason: '总计行，已跳过' }] });
  });

  test('a workbook whose sheets have no header row in their first 10 rows is refused with 400', async () => {
    const { headers, row } = fileTable('employer', stack.unique('nohdr'));
    const file = path.join(dir, 'nohdr.xlsx');
    const filler = Array.from({ length: 10 }, (_, i) => [`说明第 ${i + 1} 行`]);
    await writeWorkbook(file, [{ name: '填表说明', rows: [['填表说明']] }, { name: '数据', rows: [...filler, headers, row] }]);
    await expect(upload('employer', file)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/未找到表头.*登记编号.*每个工作表/) });
  });

  test('a file missing a required column rejects every row naming the column', async () => {
    const { headers, row } = fileTable('rectification', stack.unique('nocol'));
    const keep = headers.map((h, i) => (h.startsWith('复查日期') ? -1 : i)).filter((i) => i >= 0);
    const file = path.join(dir, 'nocol.csv');
    writeCsv(file, [keep.map((i) => headers[i]), keep.map((i) => row[i])]);
    expect(await upload('rectification', file)).toEqual({ accepted: 0, corrected: 0, duplicates: 0, rejected: [{ row: 2, column: '复查日期', reason: '文件中没有“复查日期”列（必填）' }], skipped: [] });
  });

  test('a file without the header row is refused with 400', async () => {
    const res = await post('/v1/files/employer', csvText([['a', 'b'], ['1', '2']]), { authorization: 'Bearer dev-hrss', 'content-type': 'text/csv' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/未找到表头.*登记编号/);
  });
});

describe('authentication, authorisation and request limits', () => {
  const good = () => JSON.stringify([jsonRecord('accident', stack.unique('auth'))]);
  test('no token → 401', async () => {
    const res = await post('/v1/events/accident', good(), { 'content-type': 'application/json' });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/缺少身份令牌/);
  });
  test('an unknown token → 401', async () => {
    const res = await post('/v1/events/accident', good(), { authorization: 'Bearer dev-nobody', 'content-type': 'application/json' });
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('身份令牌无效或已停用');
  });
  test('a department publishing a type it does not own → 403', async () => {
    const res = await post('/v1/events/accident', good(), { authorization: 'Bearer dev-health', 'content-type': 'application/json' });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/卫生健康委员会（health）无权报送 accident/);
    const union = await post('/v1/files/employer', 'x', { authorization: 'Bearer dev-union', 'content-type': 'text/csv' });
    expect(union.status).toBe(403);
  });
  test('an unknown event type → 404', async () => {
    const res = await post('/v1/events/weather', good(), { authorization: 'Bearer dev-emergency', 'content-type': 'application/json' });
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/未知的事件类型“weather”/);
  });
  test('a malformed JSON body → 400', async () => {
    const res = await post('/v1/events/accident', '[{"eventId": ', { authorization: 'Bearer dev-emergency', 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/不是有效的 JSON/);
  });
  test('a body that is not JSON → 400', async () => {
    const res = await post('/v1/events/accident', 'eventId=1', { authorization: 'Bearer dev-emergency', 'content-type': 'text/plain' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/请求体应为 JSON/);
  });
  test('more than 10,000 records in one request → 413, nothing taken', async () => {
    const run = stack.unique('big');
    const many = Array.from({ length: 10_001 }, (_, i) => ({ ...jsonRecord('accident', `${run}-${i}`) }));
    const res = await post('/v1/events/accident', JSON.stringify(many), { authorization: 'Bearer dev-emergency', 'content-type': 'application/json' });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/一次最多提交 10000 条记录，实际为 10001 条/);
    const [{ n }] = await stack.db('ingest_event').where('event_id', 'like', `${run}-%`).count({ n: '*' });
    expect(Number(n)).toBe(0);
  });
  test('a file over the size limit → 413', async () => {
    const file = path.join(dir, 'huge.csv');
    fs.writeFileSync(file, Buffer.alloc(FILE_LIMIT + 1, 0x41));
    await expect(upload('employer', file)).rejects.toMatchObject({ status: 413, message: expect.stringMatching(/文件过大/) });
  });
  test('tokens are stored hashed, dev tokens for every department', async () => {
    const rows = await stack.db('ingest_token').select('token_hash', 'department');
    expect(rows.map((r) => r.department).sort()).toEqual(['emergency', 'health', 'housing', 'hrss', 'market', 'transport', 'union']);
    expect(rows.find((r) => r.department === 'hrss')!.token_hash).toBe(hashToken('dev-hrss'));
    expect(JSON.stringify(rows)).not.toContain('dev-');
  });
});

describe('idempotency: the same eventId from the same department is one event', () => {
  test('a resubmitted batch is all duplicates and nothing new reaches Kafka', async () => {
    const run = stack.unique('dup');
    const batch = [jsonRecord('project', `${run}-1`), jsonRecord('project', `${run}-2`)];
    expect(await send('project', batch)).toEqual({ accepted: 2, corrected: 0, duplicates: 0, rejected: [] });
    const msgs = await readAfter(
      stack,
      ['project'],
      async () => {
        expect(await send('project', batch)).toEqual({ accepted: 0, corrected: 0, duplicates: 2, rejected: [] });
        expect(await send('project', [jsonRecord('project', `${run}-marker`)])).toEqual({ accepted: 1, corrected: 0, duplicates: 0, rejected: [] });
      },
      (m) => m.some((x) => x.value.eventId === `${run}-marker`),
    );
    expect(msgs.filter((x) => String(x.value.eventId).startsWith(run)).map((x) => x.value.eventId)).toEqual([`${run}-marker`]);
  });

  test('the same eventId twice in one batch: one accepted, one duplicate', async () => {
    const id = stack.unique('twice');
    expect(await send('hazard', [jsonRecord('hazard', id), jsonRecord('hazard', id)])).toEqual({ accepted: 1, corrected: 0, duplicates: 1, rejected: [] });
  });

  test('the same eventId from another department is a different event', async () => {
    const id = stack.unique('other-dept');
    expect(await send('accident', [jsonRecord('accident', id)], 'dev-emergency')).toMatchObject({ accepted: 1 });
    expect(await send('accident', [jsonRecord('accident', id)], 'dev-housing')).toMatchObject({ accepted: 1, duplicates: 0 });
  });

  test('a file uploaded twice is all duplicates the second time', async () => {
    const run = stack.unique('dupfile');
    const { headers, row } = fileTable('employer', `${run}-1`);
    const file = path.join(dir, 'dup.csv');
    writeCsv(file, [headers, row, [`${run}-2`, ...row.slice(1)]]);
    expect(await upload('employer', file)).toEqual({ accepted: 2, corrected: 0, duplicates: 0, rejected: [], skipped: [] });
    expect(await upload('employer', file)).toEqual({ accepted: 0, corrected: 0, duplicates: 2, rejected: [], skipped: [] });
  });

  test('duplicates are still recognised after the gateway restarts', async () => {
    const run = stack.unique('restart');
    const first = await startGateway({ config: stack.config, port: 0, logger });
    const batch = [jsonRecord('rectification', `${run}-1`)];
    expect(await publishEvents({ gatewayUrl: first.url, token: 'dev-health', type: 'rectification', events: batch })).toMatchObject({ accepted: 1 });
    await first.close();
    const second = await startGateway({ config: stack.config, port: 0, logger });
    try {
      expect(await publishEvents({ gatewayUrl: second.url, token: 'dev-health', type: 'rectification', events: batch })).toEqual({ accepted: 0, corrected: 0, duplicates: 1, rejected: [] });
    } finally {
      await second.close();
    }
  });

  test('a record left pending by a crash is sent again on resubmission, not called a duplicate', async () => {
    const id = stack.unique('pending');
    await stack.db('ingest_event').insert({ department: 'health', event_type: 'hazard', event_id: id, employer_key: validUscc(1), state: 'pending' });
    const msgs = await readAfter(
      stack,
      ['hazard'],
      async () => {
        expect(await send('hazard', [jsonRecord('hazard', id)])).toEqual({ accepted: 1, corrected: 0, duplicates: 0, rejected: [] });
      },
      (m) => m.some((x) => x.value.eventId === id),
    );
    expect(msgs.filter((x) => x.value.eventId === id)).toHaveLength(1);
    expect(await stack.db('ingest_event').where({ event_id: id }).first('state')).toEqual({ state: 'accepted' });
  });
});

describe('corrections: the same eventId with different content is a new revision', () => {
  const CERT = '参保证明编号';
  const ofRun = (m: DecodedMessage[], id: string) => m.filter((x) => x.value.eventId === id);

  test('a resent project row with its certificate now filled in is a correction: revision 2, first ingestion time kept', async () => {
    const run = stack.unique('corr');
    const { headers, row } = fileTable('project', `${run}-1`);
    const other = [`${run}-2`, ...row.slice(1)];
    const fixed = row.map((v, i) => (headers[i] === CERT ? 'GSBZ3213022026000001' : v));
    const before = path.join(dir, 'corr-before.csv');
    const after = path.join(dir, 'corr-after.csv');
    writeCsv(before, [headers, row, other]);
    writeCsv(after, [headers, fixed, other]);
    const msgs = await readAfter(
      stack,
      ['project'],
      async () => {
        expect(await upload('project', before)).toEqual({ accepted: 2, corrected: 0, duplicates: 0, rejected: [], skipped: [] });
        expect(await upload('project', after)).toEqual({ accepted: 1, corrected: 1, duplicates: 1, rejected: [], skipped: [] });
      },
      (m) => ofRun(m, `${run}-1`).length >= 2,
    );
    const [first, second] = ofRun(msgs, `${run}-1`).map((m) => m.value);
    expect(first).toMatchObject({ revision: 1, insuranceCertificate: null, firstIngestedAt: first.ingestedAt });
    expect(second).toMatchObject({ revision: 2, insuranceCertificate: 'GSBZ3213022026000001', firstIngestedAt: first.ingestedAt, source: 'FILE' });
    expect(String(second.ingestedAt) > String(first.ingestedAt)).toBe(true);
    expect(ofRun(msgs, `${run}-2`).map((m) => m.value.revision)).toEqual([1]); // the unchanged row was not sent again
    expect(await stack.db('ingest_event').where({ event_id: `${run}-1` }).first('revision', 'state')).toEqual({ revision: 2, state: 'accepted' });
  });

  test('a correction resent is a duplicate; going back to the first content is a further correction', async () => {
    const id = stack.unique('corr-back');
    const a = jsonRecord('project', id);
    const b = { ...a, contractValueYuan: 58000000 };
    const msgs = await readAfter(
      stack,
      ['project'],
      async () => {
        expect(await send('project', [a])).toEqual({ accepted: 1, corrected: 0, duplicates: 0, rejected: [] });
        expect(await send('project', [b])).toEqual({ accepted: 1, corrected: 1, duplicates: 0, rejected: [] });
        expect(await send('project', [b])).toEqual({ accepted: 0, corrected: 0, duplicates: 1, rejected: [] });
        expect(await send('project', [a])).toEqual({ accepted: 1, corrected: 1, duplicates: 0, rejected: [] });
      },
      (m) => ofRun(m, id).length >= 3,
    );
    expect(ofRun(msgs, id).map((m) => [m.value.revision, m.value.contractValueYuan])).toEqual([[1, 56000000], [2, 58000000], [3, 56000000]]);
  });

  test('the same record sent by API and then in a file is a duplicate: arrival time and source are not content', async () => {
    const id = stack.unique('corr-src');
    expect(await send('project', [jsonRecord('project', id)])).toMatchObject({ accepted: 1, corrected: 0 });
    const { headers, row } = fileTable('project', id);
    const file = path.join(dir, 'corr-src.csv');
    writeCsv(file, [headers, row]);
    expect(await upload('project', file)).toEqual({ accepted: 0, corrected: 0, duplicates: 1, rejected: [], skipped: [] });
  });

  test('within one request: a later identical record is a duplicate, a later different one a correction published after it', async () => {
    const id = stack.unique('corr-batch');
    const a = jsonRecord('hazard', id);
    const b = { ...a, measured: 0.5 };
    const msgs = await readAfter(
      stack,
      ['hazard'],
      async () => {
        expect(await send('hazard', [a, a, b])).toEqual({ accepted: 2, corrected: 1, duplicates: 1, rejected: [] });
      },
      (m) => ofRun(m, id).length >= 2,
    );
    const mine = ofRun(msgs, id);
    expect(mine.map((m) => [m.value.revision, m.value.measured])).toEqual([[1, 2.4], [2, 0.5]]);
    expect(BigInt(mine[1].offset) > BigInt(mine[0].offset)).toBe(true); // same key, same partition, in order
    expect(mine[1].value.firstIngestedAt).toBe(mine[0].value.ingestedAt);
  });

  test('concurrent corrections of one eventId each get their own revision', async () => {
    const id = stack.unique('corr-race');
    const a = jsonRecord('project', id);
    expect(await send('project', [a])).toMatchObject({ accepted: 1 });
    const variants = [1, 2, 3, 4, 5].map((n) => ({ ...a, contractValueYuan: 56000000 + n }));
    const msgs = await readAfter(
      stack,
      ['project'],
      async () => {
        const answers = await Promise.all(variants.map((v) => send('project', [v])));
        for (const answer of answers) expect(answer).toEqual({ accepted: 1, corrected: 1, duplicates: 0, rejected: [] });
        // The same correction sent three times at once: one correction, two duplicates.
        const same = { ...a, projectName: '宿城区安置房二期（更正）' };
        const again = await Promise.all([send('project', [same]), send('project', [same]), send('project', [same])]);
        expect(again.map((x) => x.corrected).sort()).toEqual([0, 0, 1]);
        expect(again.map((x) => x.duplicates).sort()).toEqual([0, 1, 1]);
      },
      (m) => ofRun(m, id).length >= 6,
    );
    expect(ofRun(msgs, id).map((m) => m.value.revision).sort()).toEqual([2, 3, 4, 5, 6, 7]);
    expect(await stack.db('ingest_event').where({ event_id: id }).first('revision')).toEqual({ revision: 7 });
  });

  test('a correction left pending by a crash is sent again with its revision on resubmission', async () => {
    const id = stack.unique('corr-pending');
    const firstSeen = new Date('2026-11-01T02:00:00.000Z');
    await stack.db('ingest_event').insert({
      department: 'health', event_type: 'hazard', event_id: id, employer_key: validUscc(1), state: 'pending',
      content_hash: 'f'.repeat(64), revision: 2, first_ingested_at: firstSeen,
    });
    const msgs = await readAfter(
      stack,
      ['hazard'],
      async () => {
        expect(await send('hazard', [jsonRecord('hazard', id)])).toEqual({ accepted: 1, corrected: 1, duplicates: 0, rejected: [] });
      },
      (m) => ofRun(m, id).length >= 1,
    );
    expect(ofRun(msgs, id).map((m) => m.value)).toEqual([expect.objectContaining({ revision: 2, firstIngestedAt: firstSeen.toISOString() })]);
    expect(await stack.db('ingest_event').where({ event_id: id }).first('state', 'revision')).toEqual({ state: 'accepted', revision: 2 });
  });
});

describe('no plain citizen ID number passes the gateway', () => {
  test('not in Kafka, not in PostgreSQL, not in the logs', async () => {
    const run = stack.unique('privacy');
    const ids = [validCitizenId(501, '19700101'), validCitizenId(502, '19921231'), badCheckCitizenId(503), validCitizenId(504, '20000229')];
    const { headers, row } = fileTable('injury', `${run}-f1`);
    const pid = headers.indexOf('身份证号');
    const fileRows = [headers, row.map((v, i) => (i === pid ? ids[2] : v)), row.map((v, i) => (i === 0 ? `${run}-f2` : i === pid ? ids[3] : v))];
    const file = path.join(dir, 'privacy.csv');
    writeCsv(file, fileRows);
    const msgs = await readAfter(
      stack,
      ['enrollment', 'disease', 'injury', 'deadletter'],
      async () => {
        await send('enrollment', [{ ...jsonRecord('enrollment', `${run}-1`), personId: ids[0] }, { ...jsonRecord('enrollment', `${run}-2`), personId: ids[2] }]);
        await send('disease', [{ ...jsonRecord('disease', `${run}-3`), personId: ids[1], diseaseName: `矽肺（${ids[1]}）` }]);
        await upload('injury', file);
      },
      (m) => m.filter((x) => String(x.value.eventId ?? '').startsWith(run)).length >= 5,
    );
    const mine = msgs.filter((x) => String(x.value.eventId ?? '').startsWith(run));
    expect(mine.length).toBeGreaterThanOrEqual(5);
    for (const m of mine) {
      for (const id of ids) {
        expect(m.raw.value!.includes(Buffer.from(id))).toBe(false);
        expect(JSON.stringify(m.value)).not.toContain(id);
      }
    }
    // Every table of this suite's own database, every row as text.
    const tables = await stack.db.raw(`select tablename from pg_tables where schemaname = 'public'`);
    for (const { tablename } of tables.rows as { tablename: string }[]) {
      const dump = await stack.db.raw(`select coalesce(string_agg(t::text, E'\\n'), '') as dump from "${tablename}" t`);
      for (const id of ids) expect(String(dump.rows[0].dump)).not.toContain(id);
    }
    const logs = logLines.join('');
    expect(logs).toContain('ingested'); // the gateway did log these requests
    for (const id of [...ids, 'dev-hrss', 'dev-health']) expect(logs).not.toContain(id);
  });
});

describe('operations endpoints', () => {
  test('/healthz and /readyz answer 200 with Kafka, the registry and the database reachable', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { kafka: 'ok', registry: 'ok', database: 'ok' } });
  });
  test('/metrics counts accepted, duplicate and rejected records by department and type, and request latency', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/whp_ingest_accepted_total\{department="emergency",type="accident"\} [1-9]/);
    expect(text).toMatch(/whp_ingest_duplicates_total\{department="housing",type="project"\} [1-9]/);
    expect(text).toMatch(/whp_ingest_corrected_total\{department="housing",type="project"\} [1-9]/);
    expect(text).toMatch(/whp_ingest_rejected_total\{department="health",type="disease"\} [1-9]/);
    expect(text).toMatch(/whp_gateway_request_duration_seconds_bucket\{.*route="\/v1\/events\/:type"/);
  });
});
