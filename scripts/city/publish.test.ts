import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCity } from './generate';

// The gateway's client is replaced: these tests check what publishCity sends and how it sums up.
const mockCalls: { type: string; token: string; file: string }[] = [];
jest.mock('../../services/ingest-gateway/client', () => ({
  publishFile: jest.fn(async (o: { type: string; token: string; file: string }) => {
    mockCalls.push({ type: o.type, token: o.token, file: o.file });
    if (o.file.includes(`${path.sep}transport${path.sep}`) && o.type === 'accident') throw new Error('网关拒绝：无权发布');
    const rejected = o.type === 'enrollment'
      ? [
          { row: 3, column: '身份证号', reason: '身份证号校验位错误（应为 7）' },
          { row: 9, column: '身份证号', reason: '身份证号校验位错误（应为 X）' },
          { row: 12, column: '统一社会信用代码', reason: '统一社会信用代码校验位错误（应为 A，实际为 B）' },
        ]
      : [];
    return { accepted: 10, corrected: o.type === 'project' ? 2 : 0, duplicates: 1, rejected };
  }),
}));

import { cityUploads, publishCity, publishSummaryTable, reasonKey } from './publish';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-city-pub-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('publishing a city through the gateway', () => {
  test('uploads employers first, then the facts, rectifications and the plan’s instruments (缴费, 待遇支付, 培训, 检查) last, each with its department’s dev token', async () => {
    await writeCity({ seed: 4, employers: 80, asOf: '2026-11-20', out: tmp, formats: ['csv', 'xlsx'] });
    mockCalls.length = 0;
    const events: string[] = [];
    const results = await publishCity({ dir: tmp, gatewayUrl: 'http://gateway.test', onFile: (e) => e.stage !== 'progress' && events.push(e.stage) });
    const order = ['employer', 'enrollment', 'project', 'hazard', 'accident', 'disease', 'injury', 'rectification', 'contribution', 'benefit', 'training', 'inspection'];
    const seen = mockCalls.map((c) => order.indexOf(c.type));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(mockCalls[0].type).toBe('employer');
    expect(mockCalls.at(-1)!.type).toBe('inspection');
    // 培训 from 人社, 应急管理 and 总工会; 检查 from the four inspecting departments.
    const files = (type: string) => mockCalls.filter((c) => c.type === type).map((c) => `${c.token}:${path.basename(path.dirname(c.file))}`);
    expect(files('training')).toEqual(['dev-hrss:hrss', 'dev-emergency:emergency', 'dev-union:union']);
    expect(files('inspection')).toEqual(['dev-emergency:emergency', 'dev-health:health', 'dev-housing:housing', 'dev-transport:transport']);
    expect(files('contribution')).toEqual(['dev-hrss:hrss']);
    expect(files('benefit')).toEqual(['dev-hrss:hrss']);
    for (const c of mockCalls) {
      const dept = path.basename(path.dirname(c.file));
      expect(c.token).toBe(`dev-${dept}`);
      expect(c.file.endsWith('.csv')).toBe(true);
    }
    expect(mockCalls).toHaveLength(22);
    expect(events.filter((e) => e === 'done')).toHaveLength(22);

    const enrollment = results.find((r) => r.type === 'enrollment')!;
    expect(enrollment).toMatchObject({ dept: 'hrss', accepted: 10, duplicates: 1, rejected: 3 });
    expect(enrollment.topReasons[0]).toEqual({ reason: '身份证号校验位错误', count: 2 });
    expect(enrollment.rows).toBeGreaterThan(0);
    expect(enrollment.expectedRejections).toBeDefined();

    const failed = results.find((r) => r.dept === 'transport' && r.type === 'accident')!;
    expect(failed.error).toMatch(/无权发布/);
    expect(publishSummaryTable(results)).toMatch(/错误：网关拒绝/);
    expect(results.find((r) => r.type === 'project')).toMatchObject({ accepted: 10, corrected: 2 });
    expect(publishSummaryTable(results)).toMatch(/其中更正/);
  });

  test('custom tokens and the XLSX files can be chosen', async () => {
    mockCalls.length = 0;
    await publishCity({ dir: tmp, gatewayUrl: 'http://gateway.test', format: 'xlsx', tokenFor: (d) => `tok-${d}` });
    expect(mockCalls).toHaveLength(22);
    expect(mockCalls.every((c) => c.file.endsWith('.xlsx') && c.token.startsWith('tok-'))).toBe(true);
    expect(cityUploads(tmp, 'xlsx').map((u) => `${u.dept}/${u.type}`).slice(0, 2)).toEqual(['market/employer', 'hrss/employer']);
  });

  test('rejection reasons that differ only in particulars are counted together', () => {
    expect(reasonKey({ column: '采样日期', reason: '日期 2062-03-14 晚于今天（2026-11-24）' })).toBe(reasonKey({ column: '采样日期', reason: '日期 2063-01-01 晚于今天（2026-11-25）' }));
  });
});
