import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { RECOMMENDATION_KIND_LABELS, RECOMMENDATION_STATUS_LABELS, RULE_IDS } from '../../shared/catalog';
import { LIST_CHANGE_LABELS } from '../../shared/documents';
import os from 'node:os';
import path from 'node:path';
import { generatedRows, sampleRiskList } from '../../../test/fixtures/documents';
import { findCitizenIds } from './privacy';
import { readRiskListXlsx, writeRiskListXlsx } from './riskListXlsx';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-risklist-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the weekly risk list spreadsheet 人社 receives', () => {
  it('reads back the same employers in the same order, PRIORITY first, with Chinese rule labels', async () => {
    const list = sampleRiskList();
    const file = path.join(dir, 'w47.xlsx');
    await writeRiskListXlsx(list, file);
    const got = await readRiskListXlsx(file);

    expect(got.sheetNames).toEqual(['风险清单', '移出名单', '汇总']);
    expect(got.headers).toEqual([
      '排名', '统一社会信用代码', '单位名称', '区县', '行业代码', '触发规则', '风险分值', '重点单位',
      '关键证据', '未结整改建议及期限', '较上周变化',
    ]);
    expect(got.rows.map((r) => [r.rank, r.uscc, r.employerName, r.districtName, r.industryCode, r.rules, r.score, r.priority, r.change]))
      .toEqual(list.rows.map((r) => [r.rank, r.uscc, r.employerName, r.districtName, r.industryCode, r.rules, r.score, r.priority, r.change]));
    // PRIORITY rows come first and nothing after them is PRIORITY.
    const firstNonPriority = got.rows.findIndex((r) => !r.priority);
    expect(firstNonPriority).toBe(2);
    expect(got.rows.slice(firstNonPriority).some((r) => r.priority)).toBe(false);
    expect(got.rows[0].rulesText).toBe('高危且未足额参保（重点）、危害因素浓（强）度超标、参保不足');
    expect(got.rows.map((r) => r.change)).toEqual(['NEW', 'STILL_LISTED', 'STILL_LISTED', 'NEW', 'STILL_LISTED']);
  });

  it('shows the key evidence as counts and dates per department, and open recommendations with deadlines', async () => {
    const file = path.join(dir, 'evidence.xlsx');
    await writeRiskListXlsx(sampleRiskList(), file);
    const { rows } = await readRiskListXlsx(file);
    expect(rows[0].evidence).toBe(
      '卫生健康：超标 2 次，最近超标 2026-11-03 矽尘 1.25/1 mg/m³；人社：参保 12/职工 40（30%）',
    );
    expect(rows[1].evidence).toContain('应急管理：近一年事故 3 起/死亡 1 人（最近 2026-10-02）');
    expect(rows[1].evidence).toContain('未参保工伤 1 起');
    expect(rows[3].evidence).toContain('住建/交通：未提交参保证明项目 2 个');
    expect(rows[4].evidence).toContain('尘肺 1 例');
    expect(rows[0].openRecommendations).toBe('宿工预建〔2026〕100号 限期整改建议（卫生健康委员会） 期限 2026-12-24');
  });

  it('has a frozen header, a filter over every row, column widths, number formats and shaded PRIORITY rows', async () => {
    const file = path.join(dir, 'layout.xlsx');
    await writeRiskListXlsx(sampleRiskList(), file);
    const { layout } = await readRiskListXlsx(file);
    expect(layout.frozenRows).toBe(1);
    expect(layout.autoFilter).toBe('A1:K6');
    expect(layout.columnWidths[2]).toBeGreaterThanOrEqual(30); // 单位名称
    expect(layout.columnWidths[8]).toBeGreaterThanOrEqual(60); // 关键证据
    expect(layout.numFmts).toEqual({ rank: '0', score: '0.0' });
    expect(layout.priorityRowsFilled).toBe(true);
  });

  it('lists the employers removed since last week with the reason, and a summary by district and industry', async () => {
    const file = path.join(dir, 'summary.xlsx');
    await writeRiskListXlsx(sampleRiskList(), file);
    const { removed, summary } = await readRiskListXlsx(file);
    expect(removed).toEqual([
      { uscc: sampleRiskList().removed[0].uscc, employerName: '宿迁示例纺织有限公司', regionCode: '321302', reason: '整改复查合格，预警已关闭' },
    ]);
    expect(summary.title).toBe('宿迁市工伤预防风险清单汇总（2026-W47）');
    expect(summary.info).toMatchObject({
      周次: '2026-W47',
      统计期间: '2026-11-16 至 2026-11-22',
      数据截至: '2026-11-23 00:00（北京时间）',
      上榜单位: 5,
      其中重点: 2,
      新上榜: 2,
      移出: 1,
    });
    expect(summary.byDistrict.map((d) => [d.name, d.employers, d.priority])).toEqual([
      ['宿城区', 2, 1],
      ['宿豫区', 2, 1],
      ['沭阳县', 1, 0],
    ]);
    expect(summary.byIndustry.map((d) => d.key)).toEqual(['C', 'E']);
    expect(summary.totals).toEqual([
      { employers: 5, priority: 2 },
      { employers: 5, priority: 2 },
    ]);
  });

  it('streams a large list from an async iterable without holding it in memory', async () => {
    const n = 10_000;
    async function* rows() {
      yield* generatedRows(n);
    }
    const file = path.join(dir, 'large.xlsx');
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
    await writeRiskListXlsx({ ...sampleRiskList(), rows: rows() }, file);
    clearInterval(timer);
    // 10,000 rows as a workbook in memory cost several hundred MB; streamed they stay small.
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
    const got = await readRiskListXlsx(file);
    expect(got.rows).toHaveLength(n);
    expect(got.rows[n - 1].rank).toBe(n);
    expect(got.summary.info['上榜单位']).toBe(n);
    expect(got.summary.info['其中重点']).toBe(n / 10);
    expect(got.layout.autoFilter).toBe(`A1:K${n + 1}`);
  });

  it('shows names and document numbers, never internal ids or enum names, in any cell of any sheet', async () => {
    const list = sampleRiskList();
    // A joint letter of two departments, a list removed-row, all as the reporter builds them.
    list.rows[1] = {
      ...list.rows[1],
      openRecommendations: [
        {
          recommendationId: 'REC-1f2e3d4c5b6a79880011',
          documentNumber: '宿工预建〔2026〕3号',
          kind: 'JOINT',
          kindLabel: '联合督办建议',
          deadline: '2026-12-20',
          departments: ['health', 'hrss'],
          departmentNames: ['卫生健康委员会', '人力资源和社会保障局'],
        },
      ],
    };
    const file = path.join(dir, 'names.xlsx');
    await writeRiskListXlsx(list, file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.text ?? c.value)))));
    expect(cells.length).toBeGreaterThan(50);
    expect(cells).toContain('宿工预建〔2026〕3号 联合督办建议（卫生健康委员会、人力资源和社会保障局） 期限 2026-12-20');
    const enumNames = [
      ...RULE_IDS,
      ...Object.keys(RECOMMENDATION_KIND_LABELS),
      ...Object.keys(RECOMMENDATION_STATUS_LABELS),
      ...Object.keys(LIST_CHANGE_LABELS),
    ];
    const offending = cells.filter((t) => /\b(REC|ALT|NTC)-/.test(t) || enumNames.some((e) => new RegExp(`(^|[^A-Za-z_])${e}([^A-Za-z_]|$)`).test(t)));
    expect(offending).toEqual([]);
  });

  it('never contains an 18-digit citizen-ID-like number', async () => {
    const file = path.join(dir, 'privacy.xlsx');
    await writeRiskListXlsx(sampleRiskList(), file);
    const { rows, removed } = await readRiskListXlsx(file);
    const all = JSON.stringify({ rows, removed });
    expect(findCitizenIds(all)).toEqual([]);
    expect(all).not.toMatch(/(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])/);
  });

  it('refuses to write a list that carries a citizen ID number', async () => {
    const list = sampleRiskList();
    list.rows[2] = { ...list.rows[2], employerName: '个体户 110101199003074477' };
    await expect(writeRiskListXlsx(list, path.join(dir, 'refused.xlsx'))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
