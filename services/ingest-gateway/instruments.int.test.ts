import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { connectStack, readAfter, Stack } from '../../test/stack';
import { DecodedMessage } from '../shared/kafka';
import { Department, EventType, PUBLISHERS, topicOf } from '../shared/contract';
import { pseudonymize } from '../shared/identifiers';
import { GatewayError, IngestAnswer, publishEvents, publishFile } from './client';
import { Gateway, startGateway } from './gateway';
import { badCheckCitizenId, fileTable, jsonRecord, validCitizenId, validUscc, writeCsv, writeXlsx } from './test-fixtures';

/**
 * The plan's other instruments (CONTRACT section 2, second table) through the real gateway,
 * Kafka, registry and PostgreSQL: 缴费 (contribution), 待遇支付 (benefit), 培训 (training) and
 * 检查 (inspection), by JSON and by file, their rejections, who may send them, and no citizen ID
 * of a benefit payment beyond the door.
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

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  gateway = await startGateway({ config: stack.config, port: 0, logger });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-gw-instruments-'));
});
afterAll(async () => {
  await gateway?.close();
  await stack?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const NEW_TYPES = ['contribution', 'benefit', 'training', 'inspection'] as const satisfies readonly EventType[];
const owner = (type: EventType): Department => PUBLISHERS[type][0];
const send = (type: EventType, events: unknown[], dept: Department = owner(type)) => publishEvents({ gatewayUrl: gateway.url, token: `dev-${dept}`, type, events });
const upload = (type: EventType, file: string, dept: Department = owner(type)) => publishFile({ gatewayUrl: gateway.url, token: `dev-${dept}`, type, file });
const byId = (msgs: DecodedMessage[], id: string) => msgs.find((m) => m.value.eventId === id)?.value;
const startingWith = (run: string) => (m: DecodedMessage[]) => m.filter((x) => String(x.value.eventId ?? '').startsWith(run));

/** What the fixture row of each type becomes on its topic (contract spellings, Avro symbols). */
const EXPECTED: Record<(typeof NEW_TYPES)[number], Record<string, unknown>> = {
  contribution: { period: '2025-Q3', payrollYuan: 1860000, paidYuan: 20460, rateClass: 5, rate: 0.011 },
  benefit: { personId: expect.stringMatching(/^psn_/), paidAt: '2026-11-05', amountYuan: 23560.5, kind: 'DISABILITY' },
  training: { courseName: '粉尘防爆与有限空间作业安全培训', heldAt: '2026-09-18', trainees: 46, keyPostTrainees: 12, keyPostTotal: 15 },
  inspection: { inspectedAt: '2026-10-21', origin: 'RANDOM', finding: 'HAZARD_FOUND', note: '破碎车间除尘设施未正常运行' },
};

describe('the four types reach their topics', () => {
  test('by JSON, from every department the contract lets publish them, keyed by employer', async () => {
    const run = stack.unique('instr-json');
    const pairs = NEW_TYPES.flatMap((type) => PUBLISHERS[type].map((dept) => [type, dept] as const));
    expect(pairs).toHaveLength(9); // contribution: hrss; benefit: hrss; training: 3; inspection: 4
    const msgs = await readAfter(
      stack,
      [...NEW_TYPES],
      async () => {
        for (const [type, dept] of pairs) {
          expect(await send(type, [jsonRecord(type, `${run}-${type}-${dept}`)], dept)).toEqual({ accepted: 1, corrected: 0, duplicates: 0, rejected: [] });
        }
      },
      (m) => startingWith(run)(m).length >= pairs.length,
    );
    for (const [type, dept] of pairs) {
      const got = msgs.find((m) => m.value.eventId === `${run}-${type}-${dept}`);
      expect(got?.topic).toBe(topicOf(type));
      expect(got?.key).toBe(validUscc(1));
      expect(got?.value).toMatchObject({ department: dept, source: 'API', employerKey: validUscc(1), revision: 1, ...EXPECTED[type] });
    }
    expect(byId(msgs, `${run}-benefit-hrss`)!.personId).toBe(pseudonymize(validCitizenId(1), stack.config.pseudonymKey));
  });

  test('by CSV, in the spellings staff use: 2025年第3季度 and 1.1%, 伤残, 双随机 and 发现隐患, 重点岗位总人数 left empty', async () => {
    const run = stack.unique('instr-csv');
    const variants: Record<(typeof NEW_TYPES)[number], [Record<string, unknown>, Record<string, unknown>]> = {
      contribution: [{ 所属期: '2024年', 执行费率: '0.7%', '实缴工伤保险费(元)': '13020' }, { period: '2024', rate: 0.007, paidYuan: 13020 }],
      benefit: [{ 待遇类别: '工亡', 支付日期: '20261001' }, { kind: 'DEATH', paidAt: '2026-10-01' }],
      training: [{ 重点岗位总人数: '', 重点岗位参训人数: '0' }, { keyPostTotal: null, keyPostTrainees: 0 }],
      inspection: [{ 检查来源: '回头看', 检查结论: '合格', 说明: '' }, { origin: 'FOLLOW_UP', finding: 'COMPLIANT', note: '' }],
    };
    const msgs = await readAfter(
      stack,
      [...NEW_TYPES],
      async () => {
        for (const type of NEW_TYPES) {
          const { headers, row } = fileTable(type, `${run}-${type}-1`);
          const [cells] = variants[type];
          const second = headers.map((h, i) => (i === 0 ? `${run}-${type}-2` : h in cells ? cells[h] : row[i]));
          const file = path.join(dir, `${type}.csv`);
          writeCsv(file, [headers, row, second]);
          expect(await upload(type, file)).toEqual({ accepted: 2, corrected: 0, duplicates: 0, rejected: [], skipped: [] });
        }
      },
      (m) => startingWith(run)(m).length >= 2 * NEW_TYPES.length,
    );
    for (const type of NEW_TYPES) {
      expect(byId(msgs, `${run}-${type}-1`)).toMatchObject({ department: owner(type), source: 'FILE', ...EXPECTED[type] });
      expect(byId(msgs, `${run}-${type}-2`)).toMatchObject({ department: owner(type), source: 'FILE', ...EXPECTED[type], ...variants[type][1] });
    }
  });

  test('by XLSX, with Excel date cells, a title row, and money in 万元', async () => {
    const run = stack.unique('instr-xlsx');
    const day = (d: string) => new Date(`${d}T00:00:00Z`);
    const c = ['统一社会信用代码', '单位名称', '行政区划代码'];
    const cv = [validUscc(7), '宿迁示例化工有限公司', '321311'];
    const books: Record<(typeof NEW_TYPES)[number], { headers: string[]; row: unknown[]; want: Record<string, unknown> }> = {
      contribution: {
        headers: ['缴费记录号', ...c, '费款所属期', '缴费工资总额(万元)', '实缴工伤保险费(万元)', '行业风险类别', '执行费率(%)'],
        row: [`${run}-contribution`, ...cv, '2025年度', 372.5, 4.0975, 5, 1.1],
        want: { period: '2025', payrollYuan: 3725000, paidYuan: 40975, rateClass: 5, rate: 0.011 },
      },
      benefit: {
        headers: ['支付流水号', ...c, '身份证号', '支付日期', '支付金额(万元)', '待遇类别'],
        row: [`${run}-benefit`, ...cv, validCitizenId(77), day('2026-08-31'), 1.25, '医疗'],
        want: { paidAt: '2026-08-31', amountYuan: 12500, kind: 'MEDICAL', personId: pseudonymize(validCitizenId(77), stack.config.pseudonymKey) },
      },
      training: {
        headers: ['培训编号', ...c, '培训名称', '培训日期', '参训人数', '重点岗位参训人数', '重点岗位总人数'],
        row: [`${run}-training`, ...cv, '危险化学品重点岗位安全操作培训', day('2026-06-12'), 80, 25, 25],
        want: { courseName: '危险化学品重点岗位安全操作培训', heldAt: '2026-06-12', trainees: 80, keyPostTrainees: 25, keyPostTotal: 25 },
      },
      inspection: {
        headers: ['检查编号', ...c, '检查日期', '检查来源', '检查结论', '说明'],
        row: [`${run}-inspection`, ...cv, day('2026-11-03'), '清单', '发现隐患', '罐区可燃气体报警仪失效'],
        want: { inspectedAt: '2026-11-03', origin: 'LISTED', finding: 'HAZARD_FOUND', note: '罐区可燃气体报警仪失效' },
      },
    };
    const msgs = await readAfter(
      stack,
      [...NEW_TYPES],
      async () => {
        for (const type of NEW_TYPES) {
          const file = path.join(dir, `${type}.xlsx`);
          await writeXlsx(file, [['2026年工伤预防数据报送表'], books[type].headers, books[type].row]);
          expect(await upload(type, file)).toEqual({ accepted: 1, corrected: 0, duplicates: 0, rejected: [], skipped: [] });
        }
      },
      (m) => startingWith(run)(m).length >= NEW_TYPES.length,
    );
    for (const type of NEW_TYPES) {
      expect(byId(msgs, `${run}-${type}`)).toMatchObject({ source: 'FILE', uscc: validUscc(7), regionCode: '321311', ...books[type].want });
    }
  });
});

describe('each rule rejects the record with a Chinese reason naming the column', () => {
  const rules: [string, EventType, Record<string, unknown>, string, RegExp][] = [
    ['a period that has not begun', 'contribution', { period: '2099-Q1' }, 'period', /^所属期：2099-Q1 尚未开始（始于 2099-01-01，今天为 \d{4}-\d{2}-\d{2}），不能报送未来所属期的缴费$/],
    ['a period that is neither a year nor a quarter', 'contribution', { period: '2026-13' }, 'period', /^所属期：应为年度（2026、2026年）或季度（2026-Q1、2026Q1、2026年第1季度），实际为 “2026-13”$/],
    ['a rate that looks like a percentage without its sign', 'contribution', { rate: 0.45 }, 'rate', /^执行费率：应大于 0 且不大于 0\.05（5%），实际为 0\.45；若为百分数请写作 0\.45%$/],
    ['a rate above 5%', 'contribution', { rate: '6%' }, 'rate', /^执行费率：应大于 0 且不大于 0\.05（5%），实际为 0\.06（由 6% 换算）$/],
    ['a rate of 0', 'contribution', { rate: 0 }, 'rate', /^执行费率：应大于 0 且不大于 0\.05（5%），实际为 0$/],
    ['a risk class outside 1–8', 'contribution', { rateClass: 9 }, 'rateClass', /^行业风险类别：不能大于 8，实际为 9$/],
    ['a negative payroll', 'contribution', { payrollYuan: -100 }, 'payrollYuan', /^缴费工资总额\(元\)：不能小于 0，实际为 -100$/],
    ['a negative fee', 'contribution', { paidYuan: -1 }, 'paidYuan', /^实缴工伤保险费\(元\)：不能小于 0，实际为 -1$/],
    ['a fee above its payroll', 'contribution', { payrollYuan: 20460, paidYuan: 1860000 }, 'paidYuan', /^实缴工伤保险费 1860000 元大于缴费工资总额 20460 元：两列是否填反？$/],
    ['an unknown benefit class', 'benefit', { kind: '工伤' }, 'kind', /^待遇类别：取值应为 医疗、伤残、工亡、其他、MEDICAL、DISABILITY、DEATH、OTHER 之一，实际为 “工伤”$/],
    ['a payment dated in the future', 'benefit', { paidAt: '2099-01-01' }, 'paidAt', /^支付日期：日期 2099-01-01 晚于今天/],
    ['a negative payment', 'benefit', { amountYuan: -5 }, 'amountYuan', /^支付金额\(元\)：不能小于 0，实际为 -5$/],
    ['a citizen ID with a wrong check digit', 'benefit', { personId: badCheckCitizenId(41) }, 'personId', /^身份证号校验位错误（应为 .）$/],
    ['more key-post trainees than trainees', 'training', { trainees: 10, keyPostTrainees: 12, keyPostTotal: 30 }, 'keyPostTrainees', /^重点岗位参训人数 12 大于参训人数 10$/],
    ['more key-post trainees than key-post staff', 'training', { trainees: 40, keyPostTrainees: 12, keyPostTotal: 8 }, 'keyPostTrainees', /^重点岗位参训人数 12 大于重点岗位总人数 8$/],
    ['a negative number of trainees', 'training', { trainees: -1, keyPostTrainees: 0 }, 'trainees', /^参训人数：不能小于 0，实际为 -1$/],
    ['a training dated in the future', 'training', { heldAt: '2099-03-01' }, 'heldAt', /^培训日期：日期 2099-03-01 晚于今天/],
    ['an unknown inspection origin', 'inspection', { origin: '抽查' }, 'origin', /^检查来源：取值应为 双随机、清单、回头看、其他、RANDOM、LISTED、FOLLOW_UP、OTHER 之一，实际为 “抽查”$/],
    ['an unknown finding', 'inspection', { finding: '待定' }, 'finding', /^检查结论：取值应为 合格、发现隐患、COMPLIANT、HAZARD_FOUND 之一，实际为 “待定”$/],
    ['an inspection dated in the future', 'inspection', { inspectedAt: '2099-01-01' }, 'inspectedAt', /^检查日期：日期 2099-01-01 晚于今天/],
    ['an inspection without its finding', 'inspection', { finding: null }, 'finding', /^检查结论（finding）为必填项，不能为空$/],
  ];
  test.each(rules)('%s (%s)', async (_name, type, change, field, reason) => {
    const run = stack.unique('instr-rule');
    const answer = await send(type, [jsonRecord(type, `${run}-ok`), { ...jsonRecord(type, `${run}-bad`, 2), ...change }]);
    expect(answer.accepted).toBe(1);
    expect(answer.rejected).toHaveLength(1);
    expect(answer.rejected[0]).toMatchObject({ index: 1, field });
    expect(answer.rejected[0].reason).toMatch(reason);
  });

  test('in files the rejection names the row and the column as the file writes it', async () => {
    const run = stack.unique('instr-rows');
    const bad: Record<(typeof NEW_TYPES)[number], [string, unknown, RegExp]> = {
      contribution: ['所属期', '2099年第1季度', /^所属期：2099-Q1 尚未开始/],
      benefit: ['待遇类别', '补贴', /^待遇类别：取值应为 医疗、伤残、工亡、其他/],
      training: ['重点岗位参训人数', '50', /^重点岗位参训人数 50 大于参训人数 46；重点岗位参训人数 50 大于重点岗位总人数 15$/],
      inspection: ['检查来源', '抽检', /^检查来源：取值应为 双随机、清单、回头看、其他/],
    };
    const answers: Partial<Record<EventType, IngestAnswer>> = {};
    for (const type of NEW_TYPES) {
      const { headers, row } = fileTable(type, `${run}-${type}-1`);
      const [column, value] = bad[type];
      const file = path.join(dir, `bad-${type}.csv`);
      writeCsv(file, [headers, row, headers.map((h, i) => (i === 0 ? `${run}-${type}-2` : h === column ? value : row[i]))]);
      answers[type] = await upload(type, file);
    }
    for (const type of NEW_TYPES) {
      const [column, , reason] = bad[type];
      expect(answers[type]).toMatchObject({ accepted: 1, duplicates: 0, rejected: [{ row: 3, column, reason: expect.stringMatching(reason) }] });
    }
  });

  test('a unit the column does not take refuses the whole file (400, naming the column and its units)', async () => {
    const { headers, row } = fileTable('contribution', stack.unique('instr-unit'));
    const file = path.join(dir, 'unit.csv');
    writeCsv(file, [headers.map((h) => (h === '实缴工伤保险费(元)' ? '实缴工伤保险费(美元)' : h)), row]);
    const err = await upload('contribution', file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 400, message: '“实缴工伤保险费(美元)”列的单位“美元”不受支持：实缴工伤保险费只接受 元、万元（见契约第 2 节“表头中的单位”）' });
  });
});

describe('who may send them (contract section 1)', () => {
  const refused: [Department, EventType, string][] = [
    ['health', 'contribution', '卫生健康委员会（health）无权报送 contribution 类事件（见契约第 1 节）'],
    ['emergency', 'benefit', '应急管理局（emergency）无权报送 benefit 类事件（见契约第 1 节）'],
    ['market', 'training', '市场监督管理局（market）无权报送 training 类事件（见契约第 1 节）'],
    ['union', 'inspection', '总工会（union）无权报送 inspection 类事件（见契约第 1 节）'],
    ['hrss', 'inspection', '人力资源和社会保障局（hrss）无权报送 inspection 类事件（见契约第 1 节）'],
  ];
  test.each(refused)('%s posting %s → 403, by JSON and by file, and nothing is taken', async (dept, type, message) => {
    const run = stack.unique('instr-403');
    const json = await send(type, [jsonRecord(type, `${run}-json`)], dept).catch((e: unknown) => e);
    expect(json).toMatchObject({ status: 403, message });
    const { headers, row } = fileTable(type, `${run}-file`);
    const file = path.join(dir, `forbidden-${type}.csv`);
    writeCsv(file, [headers, row]);
    const upload403 = await upload(type, file, dept).catch((e: unknown) => e);
    expect(upload403).toMatchObject({ status: 403, message });
    const [{ n }] = await stack.db('ingest_event').where('event_id', 'like', `${run}-%`).count({ n: '*' });
    expect(Number(n)).toBe(0);
  });
});

describe('benefit.personId: no citizen ID number beyond the gateway', () => {
  test('accepted and rejected payments, by JSON and by file: not in Kafka, not in PostgreSQL, not in the logs', async () => {
    const run = stack.unique('instr-privacy');
    const ids = [validCitizenId(601, '19680704'), validCitizenId(602, '19911111'), badCheckCitizenId(603), validCitizenId(604, '19790120')];
    const { headers, row } = fileTable('benefit', `${run}-f1`);
    const pid = headers.indexOf('身份证号');
    const file = path.join(dir, 'benefit-privacy.csv');
    writeCsv(file, [headers, row.map((v, i) => (i === 0 ? `${run}-f1` : i === pid ? ids[3] : v)), row.map((v, i) => (i === 0 ? `${run}-f2` : i === pid ? ids[2] : v))]);
    let answers: IngestAnswer[] = [];
    const msgs = await readAfter(
      stack,
      ['benefit', 'deadletter'],
      async () => {
        answers = [
          await send('benefit', [
            { ...jsonRecord('benefit', `${run}-1`), personId: ids[0] },
            { ...jsonRecord('benefit', `${run}-2`), personId: ids[1], amountYuan: -1 }, // rejected: its ID goes to the dead letter
            { ...jsonRecord('benefit', `${run}-3`), personId: ids[2] },
          ]),
          await upload('benefit', file),
        ];
      },
      (m) => startingWith(run)(m).length >= 5,
    );
    expect(answers.map((a) => [a.accepted, a.rejected.length])).toEqual([[1, 2], [1, 1]]);
    const mine = startingWith(run)(msgs);
    expect(mine.map((m) => `${m.topic}:${m.value.eventId}`).sort()).toEqual(
      [`${topicOf('benefit')}:${run}-1`, `${topicOf('benefit')}:${run}-f1`, `${topicOf('deadletter')}:${run}-2`, `${topicOf('deadletter')}:${run}-3`, `${topicOf('deadletter')}:${run}-f2`].sort(),
    );
    for (const m of mine) {
      for (const id of ids) {
        expect(m.raw.value!.includes(Buffer.from(id))).toBe(false);
        expect(JSON.stringify(m.value)).not.toContain(id);
      }
    }
    const key = stack.config.pseudonymKey;
    expect(byId(msgs, `${run}-1`)!.personId).toBe(pseudonymize(ids[0], key));
    expect(byId(msgs, `${run}-f1`)!.personId).toBe(pseudonymize(ids[3], key));
    expect(JSON.parse(String(byId(msgs, `${run}-2`)!.payload)).personId).toBe(pseudonymize(ids[1], key));
    expect(JSON.parse(String(byId(msgs, `${run}-f2`)!.payload)).身份证号).toBe(pseudonymize(ids[2], key));

    const tables = await stack.db.raw(`select tablename from pg_tables where schemaname = 'public'`);
    for (const { tablename } of tables.rows as { tablename: string }[]) {
      const dump = await stack.db.raw(`select coalesce(string_agg(t::text, E'\\n'), '') as dump from "${tablename}" t`);
      for (const id of ids) expect(String(dump.rows[0].dump)).not.toContain(id);
    }
    const logs = logLines.join('');
    expect(logs).toContain('benefit'); // the gateway did log these requests
    for (const id of ids) expect(logs).not.toContain(id);
  });
});
