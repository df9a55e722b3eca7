import { useEffect, useMemo, useState } from 'react';
import { PageContainer, ProCard, StatisticCard } from '@ant-design/pro-components';
import { Alert, Spin, Tag } from 'antd';
import { api } from '../api';
import { Chart } from '../Chart';
import { pct } from '../labels';

interface Coverage { insured: number; headcount: number; share: number | null; meetsTarget: boolean | null }
interface Indicators {
  targets: { baselineYear: number; keyIndustryAccidentRateBaseline: number; accidentRateReduction: number; coverageTarget: number; trainingCoverageTarget: number } | null;
  accidentRateTarget: number | null;
  keyIndustryAccidentRate: { year: number; accidents: number; insured: number; ratePer100: number | null }[];
  coverage: { keyIndustries: Coverage; dustIndustries: Coverage };
  earlyPneumoconiosis: { year: number; cases: number; early: number; share: number | null }[];
  earlyShareFalling: { falling: boolean; note: string };
  riskListWeeks: { week: string; employers: number; priority: number }[];
}
interface Training { coverage?: number | null; keyPostCoverage?: number | null; [k: string]: unknown }

const verdict = (ok: boolean | null) => (ok === null ? <Tag>无数据</Tag> : ok ? <Tag color="green">达标</Tag> : <Tag color="red">未达标</Tag>);

/** 五年目标: the plan's indicators against their targets, with trends. */
export function TargetsPage() {
  const [x, setX] = useState<Indicators | null>(null);
  const [training, setTraining] = useState<Training | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Indicators>('/api/v1/console/plan-targets').then(setX, (e) => setError(e.message));
    api<Training>('/api/v1/training-coverage').then(setTraining, () => setTraining(null));
  }, []);
  const rateChart = useMemo(() => x && {
    tooltip: { trigger: 'axis' as const },
    legend: { data: ['每百名参保职工事故起数', '目标'] },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category' as const, data: x.keyIndustryAccidentRate.map((r) => String(r.year)) },
    yAxis: { type: 'value' as const },
    series: [
      { name: '每百名参保职工事故起数', type: 'line' as const, data: x.keyIndustryAccidentRate.map((r) => r.ratePer100) },
      ...(x.accidentRateTarget !== null ? [{ name: '目标', type: 'line' as const, lineStyle: { type: 'dashed' as const }, data: x.keyIndustryAccidentRate.map(() => x.accidentRateTarget) }] : []),
    ],
  }, [x]);
  const earlyChart = useMemo(() => x && {
    tooltip: { trigger: 'axis' as const },
    grid: { left: 50, right: 20, top: 30, bottom: 30 },
    xAxis: { type: 'category' as const, data: x.earlyPneumoconiosis.map((r) => String(r.year)) },
    yAxis: { type: 'value' as const, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    series: [{ name: '接尘工龄不足 5 年的占比', type: 'bar' as const, data: x.earlyPneumoconiosis.map((r) => r.share) }],
  }, [x]);
  const listChart = useMemo(() => x && {
    tooltip: { trigger: 'axis' as const },
    legend: { data: ['在榜单位', '重点单位'] },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category' as const, data: x.riskListWeeks.map((w) => w.week) },
    yAxis: { type: 'value' as const, name: '家' },
    series: [
      { name: '在榜单位', type: 'line' as const, data: x.riskListWeeks.map((w) => w.employers) },
      { name: '重点单位', type: 'line' as const, data: x.riskListWeeks.map((w) => w.priority) },
    ],
  }, [x]);
  if (error) return <Alert type="error" message={error} />;
  if (!x) return <Spin style={{ margin: 80, width: '100%' }} />;
  const t = x.targets;
  const latestRate = x.keyIndustryAccidentRate.at(-1)?.ratePer100 ?? null;
  const trainingShare = (training?.keyPostCoverage ?? training?.coverage ?? null) as number | null;
  return (
    <PageContainer title="五年目标" subTitle="《工伤预防五年行动计划（2021—2025年）》主要指标">
      {!t && <Alert type="info" showIcon message="本地区尚未配置 2020 年基准与目标值（地区配置 planTargets）" style={{ marginBottom: 16 }} />}
      <StatisticCard.Group direction="row">
        <StatisticCard statistic={{ title: '重点行业每百名参保职工事故起数（最近一年）', value: latestRate ?? '—', description: t ? <span>2020 年基准 {t.keyIndustryAccidentRateBaseline}，目标 ≤ {x.accidentRateTarget}（下降 {pct(t.accidentRateReduction, 0)}）{verdict(latestRate === null || x.accidentRateTarget === null ? null : latestRate <= x.accidentRateTarget)}</span> : null }} />
        <StatisticCard statistic={{ title: '重点行业工伤保险覆盖率', value: pct(x.coverage.keyIndustries.share), description: <span>目标 ≥ {pct(t?.coverageTarget ?? null, 0)} {verdict(x.coverage.keyIndustries.meetsTarget)}</span> }} data-testid="coverage-key" />
        <StatisticCard statistic={{ title: '尘肺病重点行业工伤保险覆盖率', value: pct(x.coverage.dustIndustries.share), description: <span>目标 ≥ {pct(t?.coverageTarget ?? null, 0)} {verdict(x.coverage.dustIndustries.meetsTarget)}</span> }} />
        <StatisticCard statistic={{ title: '重点岗位培训覆盖率', value: pct(trainingShare), description: <span>目标 {pct(t?.trainingCoverageTarget ?? 1, 0)} {verdict(trainingShare === null ? null : trainingShare >= (t?.trainingCoverageTarget ?? 1))}</span> }} />
      </StatisticCard.Group>
      <ProCard gutter={16} style={{ marginTop: 16 }} ghost>
        <ProCard title="重点行业事故率趋势" colSpan="50%">{rateChart && <Chart option={rateChart} height={260} testId="rate-chart" />}</ProCard>
        <ProCard title={<span>新发尘肺病中接尘工龄不足 5 年的占比 {x.earlyShareFalling.falling ? <Tag color="green">{x.earlyShareFalling.note}</Tag> : <Tag color="red">{x.earlyShareFalling.note}</Tag>}</span>} colSpan="50%">
          {earlyChart && <Chart option={earlyChart} height={260} />}
        </ProCard>
      </ProCard>
      <ProCard title="风险清单在榜单位与重点单位（按周）" style={{ marginTop: 16 }}>{listChart && <Chart option={listChart} height={260} />}</ProCard>
    </PageContainer>
  );
}
