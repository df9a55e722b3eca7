import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { DEPARTMENTS, Department } from '../../shared/contract';
import { PROBLEM_LABELS, ProblemRule } from '../../shared/catalog';
import { HubError } from '../../shared/errors';
import { formatPercent } from '../../shared/format';
import { RegionConfig } from '../../shared/regionConfig';
import { InstrumentKind, storeInstrument, storedInstrument } from '../../shared/storedInstruments';
import { shanghaiDay } from '../../shared/time';
import { TableSheet, writeTablesXlsx } from '../render/tableXlsx';
import { InspectionPlan, inspectionPlan, parseQuarter, planFor } from './inspectionPlan';
import { QuarterPrecision, listPrecision } from './precision';
import { DIRECTION_LABELS, RateAdjustmentReport, RateSuggestion, parseCycle, rateAdjustments } from './rateAdjustment';
import { TrainingCoverage, trainingCoverage } from './trainingCoverage';

/**
 * Builds and stores the instruments' reports, with their XLSX (浮动费率建议表, 双随机检查计划,
 * 清单命中率, 培训覆盖率). A quarter's inspection plan is drawn once and then kept as drawn; the
 * others are rebuilt when asked (their figures move with the data).
 */
import type { PrecisionReport } from '../../shared/precision';

export type { PrecisionReport };

/** The departments that inspect (they publish `inspection` events): each reads its part of a plan. */
export const INSPECTING: Department[] = ['emergency', 'health', 'housing', 'transport'];

const pct = (x: number | null) => (x === null ? '—' : formatPercent(x));
const wan = (yuan: number) => Math.round(yuan / 100) / 100;

async function xlsxOf(sheets: TableSheet<any>[]): Promise<Buffer> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const file = path.join(os.tmpdir(), `whp-instrument-${randomUUID().slice(0, 8)}.xlsx`);
  try {
    await writeTablesXlsx(file, sheets);
    return await fs.readFile(file);
  } finally {
    await fs.rm(file, { force: true });
  }
}

function rateSheets(r: RateAdjustmentReport): TableSheet<any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return [
    {
      name: '浮动费率建议',
      title: `${r.regionName}工伤保险浮动费率调整建议（${r.cycle} 年度周期）`,
      columns: [
        { header: '统一社会信用代码', width: 22, value: (x: RateSuggestion) => x.uscc },
        { header: '单位名称', width: 34, value: (x: RateSuggestion) => x.employerName },
        { header: '区县', width: 10, value: (x: RateSuggestion) => x.districtName },
        { header: '行业风险类别', width: 8, value: (x: RateSuggestion) => x.rateClass },
        { header: '基准费率', width: 9, numFmt: '0.00%', value: (x: RateSuggestion) => x.baseRate },
        { header: '现行费率', width: 9, numFmt: '0.00%', value: (x: RateSuggestion) => x.currentRate },
        { header: '缴费工资总额(万元)', width: 13, numFmt: '#,##0.00', value: (x: RateSuggestion) => wan(x.payrollYuan) },
        { header: '实缴工伤保险费(万元)', width: 13, numFmt: '#,##0.00', value: (x: RateSuggestion) => wan(x.contributionsYuan) },
        { header: '支付工伤保险待遇(万元)', width: 13, numFmt: '#,##0.00', value: (x: RateSuggestion) => wan(x.benefitsYuan) },
        { header: '认定工伤(人)', width: 9, value: (x: RateSuggestion) => x.recognizedInjuries },
        { header: '支缴率', width: 9, numFmt: '0.0%', value: (x: RateSuggestion) => x.ratio },
        { header: '建议', width: 8, value: (x: RateSuggestion) => DIRECTION_LABELS[x.direction] },
        { header: '幅度', width: 8, value: (x: RateSuggestion) => (x.change ? formatPercent(Math.abs(x.change)) : '') },
        { header: '建议费率', width: 9, numFmt: '0.00%', value: (x: RateSuggestion) => x.suggestedRate },
        { header: '缴费基数较小', width: 8, value: (x: RateSuggestion) => (x.small ? '是' : '') },
        { header: '理由', width: 80, value: (x: RateSuggestion) => x.reason },
      ],
      rows: r.rows,
    },
    {
      name: '汇总',
      title: `周期 ${r.cycle}：建议上浮 ${r.summary.up} 家、下浮 ${r.summary.down} 家、不变 ${r.summary.keep} 家（缴费基数较小 ${r.summary.small} 家），全市支缴率 ${pct(r.summary.ratio)}`,
      columns: [
        { header: '项目', width: 24, value: (x: [string, string | number]) => x[0] },
        { header: '数值', width: 20, value: (x: [string, string | number]) => x[1] },
      ],
      rows: [
        ['参与测算单位', r.summary.employers],
        ['建议上浮', r.summary.up],
        ['建议下浮', r.summary.down],
        ['维持不变', r.summary.keep],
        ['缴费基数较小', r.summary.small],
        ['实缴工伤保险费(万元)', wan(r.summary.contributionsYuan)],
        ['支付工伤保险待遇(万元)', wan(r.summary.benefitsYuan)],
        ['全市支缴率', pct(r.summary.ratio)],
      ],
    },
  ];
}

function planSheets(p: InspectionPlan): TableSheet<any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const who = (d: string) => DEPARTMENTS[d as keyof typeof DEPARTMENTS] ?? d;
  return [
    {
      name: '双随机抽查',
      title: `${p.regionName}${p.quarter} 双随机抽查名单（随机种子 ${p.seed}，抽样比例 ${formatPercent(p.sampleRate)}，按区县×行业门类分层，可据种子与 ${p.populationAsOf} 的单位名录复核）`,
      columns: [
        { header: '检查部门', width: 22, value: (x) => who(x.department) },
        { header: '统一社会信用代码', width: 22, value: (x) => x.uscc },
        { header: '单位名称', width: 34, value: (x) => x.employerName },
        { header: '区县', width: 12, value: (x) => x.districtName },
        { header: '行业门类', width: 20, value: (x) => x.sectionName },
        { header: '行业代码', width: 9, value: (x) => x.industryCode },
      ],
      rows: p.sample,
    },
    {
      name: '回头看',
      title: `${p.quarter} 回头看名单：${p.followUpWindow.from} 至 ${p.followUpWindow.to} 整改复查合格的单位`,
      columns: [
        { header: '检查部门', width: 22, value: (x) => who(x.department) },
        { header: '统一社会信用代码', width: 22, value: (x) => x.uscc },
        { header: '单位名称', width: 34, value: (x) => x.employerName },
        { header: '区县', width: 12, value: (x) => x.districtName },
        { header: '整改建议书', width: 22, value: (x) => x.documentNumber ?? '（文号待定）' },
        { header: '整改完成日期', width: 12, value: (x) => x.rectifiedOn },
        { header: '所涉问题', width: 40, value: (x) => (x.problems as ProblemRule[]).map((r) => PROBLEM_LABELS[r] ?? r).join('、') },
      ],
      rows: p.followUp,
    },
    {
      name: '分层',
      title: '抽样分层：每层按比例向上取整（有单位的层至少抽 1 家）',
      columns: [
        { header: '区县', width: 12, value: (x) => x.districtName },
        { header: '行业门类', width: 24, value: (x) => x.sectionName },
        { header: '单位数', width: 9, value: (x) => x.population },
        { header: '抽取数', width: 9, value: (x) => x.drawn },
        { header: '名录摘要', width: 20, value: (x) => x.populationDigest },
      ],
      rows: p.strata,
    },
  ];
}

function precisionSheets(r: PrecisionReport): TableSheet<any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const ci = (x: { low: number | null; high: number | null }) => (x.low === null ? '—' : `${pct(x.low)}–${pct(x.high)}`);
  return [
    {
      name: '清单命中率',
      title: `${r.regionName}风险清单命中率：清单内单位检查发现隐患的比例与双随机抽查比较（95% Wilson 区间）`,
      columns: [
        { header: '季度', width: 10, value: (q: QuarterPrecision) => q.quarter },
        { header: '清单检查(次)', width: 11, value: (q: QuarterPrecision) => q.listed.inspections },
        { header: '清单发现隐患(次)', width: 13, value: (q: QuarterPrecision) => q.listed.hazardsFound },
        { header: '清单命中率', width: 11, value: (q: QuarterPrecision) => pct(q.listed.rate) },
        { header: '清单 95% 区间', width: 16, value: (q: QuarterPrecision) => ci(q.listed) },
        { header: '双随机检查(次)', width: 12, value: (q: QuarterPrecision) => q.random.inspections },
        { header: '双随机发现隐患(次)', width: 14, value: (q: QuarterPrecision) => q.random.hazardsFound },
        { header: '双随机命中率', width: 12, value: (q: QuarterPrecision) => pct(q.random.rate) },
        { header: '双随机 95% 区间', width: 16, value: (q: QuarterPrecision) => ci(q.random) },
        { header: '提升倍数', width: 9, value: (q: QuarterPrecision) => (q.lift === null ? '—' : Math.round(q.lift * 10) / 10) },
        { header: '结论', width: 30, value: (q: QuarterPrecision) => (q.clear ? '清单命中率显著高于随机抽查' : '差异尚不显著（样本较少或区间重叠）') },
      ],
      rows: r.quarters,
    },
  ];
}

function trainingSheets(t: TrainingCoverage, regionName: string): TableSheet<any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return [
    {
      name: '培训覆盖率',
      title: `${regionName}重点行业重点岗位人员工伤预防培训覆盖率 ${pct(t.coverage)}（目标 100%；近 365 日，截至 ${shanghaiDay(new Date(t.asOf))}）`,
      columns: [
        { header: '单位名称', width: 34, value: (x) => x.employerName },
        { header: '重点岗位参训人数', width: 14, value: (x) => x.trained },
        { header: '重点岗位总人数', width: 14, value: (x) => x.keyPostTotal },
        { header: '覆盖率', width: 9, value: (x) => pct(x.coverage) },
        { header: '最近培训日期', width: 12, value: (x) => x.lastTraining ?? '近一年无培训' },
      ],
      rows: t.employers,
    },
  ];
}

/** Builds (or, for an inspection plan already drawn, keeps) an instrument's report; returns its ref. */
export async function buildInstrument(db: Knex, region: RegionConfig, kind: InstrumentKind, ref: string, at: Date): Promise<{ ref: string; built: boolean }> {
  switch (kind) {
    case 'RATE_ADJUSTMENT': {
      const cycle = parseCycle(ref);
      const report = await rateAdjustments(db, region, cycle, at);
      await storeInstrument(db, kind, cycle.cycle, report, await xlsxOf(rateSheets(report)));
      return { ref: cycle.cycle, built: true };
    }
    case 'INSPECTION_PLAN': {
      const quarter = parseQuarter(ref);
      // A plan is drawn once: the recorded seed and population keep it redrawable, not re-drawn.
      if (await storedInstrument(db, kind, quarter.quarter)) return { ref: quarter.quarter, built: false };
      const plan = await inspectionPlan(db, region, quarter, at);
      // Each inspecting department's own part, as JSON and XLSX, beside the whole plan (人社's).
      for (const d of INSPECTING) {
        const mine = planFor(plan, d);
        await storeInstrument(db, kind, `${quarter.quarter}:${d}`, mine, await xlsxOf(planSheets(mine)));
      }
      await storeInstrument(db, kind, quarter.quarter, plan, await xlsxOf(planSheets(plan)));
      return { ref: quarter.quarter, built: true };
    }
    case 'PRECISION': {
      const report: PrecisionReport = { asOf: at.toISOString(), regionName: region.regionName, quarters: await listPrecision(db) };
      await storeInstrument(db, kind, 'latest', report, await xlsxOf(precisionSheets(report)));
      return { ref: 'latest', built: true };
    }
    case 'TRAINING_COVERAGE': {
      const report = await trainingCoverage(db, region, at);
      await storeInstrument(db, kind, 'latest', report, await xlsxOf(trainingSheets(report, region.regionName)));
      return { ref: 'latest', built: true };
    }
    default:
      throw new HubError('BAD_REQUEST', `无法识别的报表类别“${kind}”`);
  }
}
