import { DEPARTMENTS, Department } from '../../shared/contract';
import { formatPercent } from '../../shared/format';
import { InstrumentKind } from '../../shared/storedInstruments';
import type { PrecisionReport } from './index';
import type { InspectionPlan } from './inspectionPlan';
import type { RateAdjustmentReport } from './rateAdjustment';
import type { TrainingCoverage } from './trainingCoverage';

/** One readable paragraph per instrument report (for the CLI, the demo, a log line). */
export function instrumentSummary(kind: InstrumentKind, content: unknown): string {
  const pct = (x: number | null) => (x === null ? '—' : formatPercent(x));
  switch (kind) {
    case 'RATE_ADJUSTMENT': {
      const r = content as RateAdjustmentReport;
      const s = r.summary;
      return `浮动费率（${r.cycle}）：测算 ${s.employers} 家，建议上浮 ${s.up} 家、下浮 ${s.down} 家、不变 ${s.keep} 家（缴费基数较小 ${s.small} 家）；全市支缴率 ${pct(s.ratio)}。`;
    }
    case 'INSPECTION_PLAN': {
      const p = content as InspectionPlan;
      const byDept = new Map<string, number>();
      for (const x of p.sample) byDept.set(x.department, (byDept.get(x.department) ?? 0) + 1);
      return (
        `${p.quarter} 双随机抽查 ${p.sample.length} 家（种子 ${p.seed}，${p.strata.length} 个分层，比例 ${formatPercent(p.sampleRate)}；` +
        `${[...byDept].map(([d, n]) => `${DEPARTMENTS[d as Department] ?? d} ${n} 家`).join('，')}），回头看 ${p.followUp.length} 家次（${p.followUpWindow.from} 至 ${p.followUpWindow.to} 整改合格）。`
      );
    }
    case 'PRECISION': {
      const r = content as PrecisionReport;
      if (!r.quarters.length) return '清单命中率：尚无来源为“清单”或“双随机”的检查结果。';
      return r.quarters
        .map((q) => `${q.quarter} 清单命中率 ${pct(q.listed.rate)}（${q.listed.hazardsFound}/${q.listed.inspections}），双随机 ${pct(q.random.rate)}（${q.random.hazardsFound}/${q.random.inspections}），提升 ${q.lift === null ? '—' : `${q.lift.toFixed(1)} 倍`}${q.clear ? '，显著' : ''}`)
        .join('\n');
    }
    case 'TRAINING_COVERAGE': {
      const t = content as TrainingCoverage;
      return `重点岗位培训覆盖率 ${pct(t.coverage)}（目标 100%）：重点行业单位 ${t.keyIndustryEmployers} 家，近一年有培训 ${t.withTraining} 家，无培训 ${t.withoutTraining} 家，未报重点岗位人数 ${t.withoutHeadcount} 家。`;
    }
  }
}
