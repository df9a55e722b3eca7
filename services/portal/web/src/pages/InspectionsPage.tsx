import { HTMLAttributes, useEffect, useMemo, useState } from 'react';
import { PageContainer, ProCard, ProColumns, ProTable } from '@ant-design/pro-components';
import { Alert, Button, Descriptions, Select, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { report } from '../api';
import { Chart } from '../Chart';
import { navigate } from '../router';
import { dateTime, departmentName, interval, lift, pct, problemName } from '../labels';
import { HOW_TO_READ, PrecisionReport, QuarterPrecision, verdictTag } from '../precision';
import { chinaToday } from '../today';

interface Entry {
  employerKey: string;
  uscc: string | null;
  employerName: string;
  districtName: string;
  industryCode: string | null;
  sectionName: string;
  department: string;
}
interface FollowUp extends Entry {
  documentNumber: string | null;
  rectifiedOn: string;
  problems: string[];
}
interface Stratum { regionCode: string; districtName: string; section: string; sectionName: string; population: number; drawn: number; populationDigest: string }
interface Plan {
  quarter: string;
  regionName: string;
  seed: number;
  sampleRate: number;
  populationAsOf: string;
  strata: Stratum[];
  sample: Entry[];
  followUp: FollowUp[];
  followUpWindow: { from: string; to: string };
  generatedAt: string;
}

/** This quarter (Asia/Shanghai) and the seven before it: plans are drawn for quarters that have begun. */
function quarters(): string[] {
  const today = chinaToday();
  let y = Number(today.slice(0, 4));
  let q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    out.push(`${y}-Q${q}`);
    q -= 1;
    if (q === 0) {
      q = 4;
      y -= 1;
    }
  }
  return out;
}

/** 人社 opens the employer's page; another department may not see the page of an employer it has no alert of. */
const employerLink = (r: Entry, link: boolean) => !link ? <span data-testid="plan-employer">{r.employerName}</span> : (
  <a onClick={() => navigate(`/employers/${encodeURIComponent(r.uscc ?? r.employerKey)}`)} data-testid="plan-employer">
    {r.employerName}
  </a>
);

/**
 * 双随机与回头看: the quarter's random sample and 回头看 list (人社 all of it, an inspecting
 * department its own part) with the seed and strata anyone needs to redraw it; and the risk
 * list's precision per quarter against the random sample.
 */
export function InspectionsPage({ department, tab }: { department: string; tab?: string }) {
  const options = useMemo(quarters, []);
  const [quarter, setQuarter] = useState(options[0]);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [outer, setOuter] = useState(tab === 'precision' ? 'precision' : 'plan');
  const [inner, setInner] = useState('sample');
  useEffect(() => {
    setPlan(null);
    setError(null);
    report<Plan>(`/api/v1/inspections/plan?quarter=${quarter}`).then(setPlan, (e) => setError(e.message));
  }, [quarter]);
  const all = department === 'hrss';
  const sampleColumns: ProColumns<Entry>[] = [
    { title: '单位名称', dataIndex: 'employerName', render: (_, r) => employerLink(r, all) },
    { title: '统一社会信用代码', dataIndex: 'uscc', copyable: true, render: (_, r) => r.uscc ?? '—' },
    { title: '区县', dataIndex: 'districtName', width: 120 },
    { title: '行业门类', dataIndex: 'sectionName' },
    { title: '行业代码', dataIndex: 'industryCode', width: 90, render: (_, r) => r.industryCode ?? '—' },
    { title: '检查部门', dataIndex: 'department', render: (_, r) => departmentName(r.department) },
  ];
  const followUpColumns: ProColumns<FollowUp>[] = [
    { title: '单位名称', dataIndex: 'employerName', render: (_, r) => employerLink(r, all) },
    { title: '统一社会信用代码', dataIndex: 'uscc', copyable: true, render: (_, r) => r.uscc ?? '—' },
    { title: '区县', dataIndex: 'districtName', width: 110 },
    { title: '整改建议书', dataIndex: 'documentNumber', render: (_, r) => r.documentNumber ?? '（文号待定）' },
    { title: '整改完成日期', dataIndex: 'rectifiedOn', width: 120 },
    { title: '所涉问题', dataIndex: 'problems', render: (_, r) => r.problems.map((p) => <Tag key={p}>{problemName(p)}</Tag>) },
    { title: '检查部门', dataIndex: 'department', render: (_, r) => departmentName(r.department) },
  ];
  const planTabs = plan && [
    {
      key: 'sample',
      label: `双随机抽查（${plan.sample.length}）`,
      children: (
        <ProTable<Entry>
          rowKey={(r) => `${r.employerKey}|${r.department}`}
          columns={sampleColumns}
          dataSource={plan.sample}
          search={false}
          options={false}
          pagination={{ defaultPageSize: 20, showSizeChanger: true, pageSizeOptions: [20, 50, 100] }}
          locale={{ emptyText: all ? '本季度没有抽中的单位' : '本季度本部门没有抽中的单位' }}
          data-testid="sample-table"
        />
      ),
    },
    {
      key: 'followUp',
      label: `回头看（${plan.followUp.length}）`,
      children: (
        <>
          <Typography.Paragraph type="secondary">
            {plan.followUpWindow.from} 至 {plan.followUpWindow.to} 之间整改复查合格的单位（本季度开始前 3–6 个月），由发出整改建议的部门回头看。
          </Typography.Paragraph>
          <ProTable<FollowUp>
            rowKey={(r) => `${r.employerKey}|${r.department}|${r.documentNumber}`}
            columns={followUpColumns}
            dataSource={plan.followUp}
            search={false}
            options={false}
            pagination={{ defaultPageSize: 20, showSizeChanger: true, pageSizeOptions: [20, 50, 100] }}
            locale={{ emptyText: '本季度没有需要回头看的单位' }}
            data-testid="followup-table"
          />
        </>
      ),
    },
    {
      key: 'strata',
      label: `抽样分层（${plan.strata.length}）`,
      children: (
        <>
          <Typography.Paragraph type="secondary">
            每层按比例向上取整，有单位的层至少抽 1 家。单位数与名录摘要（单位标识排序后的 SHA-256 前 16 位）用于核对复核时所用名录与抽样时一致。
          </Typography.Paragraph>
          <Table<Stratum>
            size="small"
            rowKey={(s) => `${s.regionCode}|${s.section}`}
            dataSource={plan.strata}
            pagination={{ defaultPageSize: 20 }}
            columns={[
              { title: '区县', dataIndex: 'districtName' },
              { title: '行业门类', dataIndex: 'sectionName' },
              { title: '单位数', dataIndex: 'population', align: 'right' },
              { title: '抽取数', dataIndex: 'drawn', align: 'right' },
              { title: '名录摘要', dataIndex: 'populationDigest', render: (d: string) => <Typography.Text code>{d}</Typography.Text> },
            ]}
            data-testid="strata-table"
          />
        </>
      ),
    },
  ];
  return (
    <PageContainer
      title="双随机与回头看"
      subTitle={all ? '全市检查计划与风险清单命中率' : `${departmentName(department)}的检查任务与风险清单命中率`}
      extra={outer === 'precision' ? [] : [
        <Select key="quarter" style={{ width: 170 }} value={quarter} options={options.map((q) => ({ value: q, label: q.replace('-Q', ' 年第 ') + ' 季度' }))} onChange={setQuarter} data-testid="quarter-select" />,
        <Button key="xlsx" type="primary" icon={<DownloadOutlined />} href={`/api/v1/inspections/plan.xlsx?quarter=${quarter}`} disabled={!plan} data-testid="download-plan-xlsx">
          下载检查计划 XLSX
        </Button>,
      ]}
    >
      <Tabs
        activeKey={outer}
        onChange={(k) => {
          setOuter(k);
          window.history.replaceState(null, '', k === 'precision' ? '/inspections/precision' : '/inspections');
        }}
        items={[
          {
            key: 'plan',
            label: '检查计划',
            children: error ? (
              <Alert type="error" showIcon message={error} />
            ) : !plan ? (
              <Spin style={{ margin: 60, width: '100%' }} />
            ) : (
              <>
                <div data-testid="plan-summary">
                <ProCard bordered style={{ marginBottom: 16 }}>
                  <Descriptions size="small" column={4}>
                    <Descriptions.Item label="季度">{plan.quarter}</Descriptions.Item>
                    <Descriptions.Item label="随机种子">
                      <Typography.Text code copyable data-testid="plan-seed">
                        {plan.seed}
                      </Typography.Text>
                    </Descriptions.Item>
                    <Descriptions.Item label="抽样比例">{pct(plan.sampleRate, 0)}（每层向上取整，至少 1 家）</Descriptions.Item>
                    <Descriptions.Item label="单位名录截至">{plan.populationAsOf} 前在业</Descriptions.Item>
                    <Descriptions.Item label="分层">区县 × 行业门类，共 {plan.strata.length} 层</Descriptions.Item>
                    <Descriptions.Item label={all ? '抽中单位' : '本部门抽中单位'}>{plan.sample.length} 家</Descriptions.Item>
                    <Descriptions.Item label={all ? '回头看' : '本部门回头看'}>{plan.followUp.length} 家次</Descriptions.Item>
                    <Descriptions.Item label="抽取时间">{dateTime(plan.generatedAt)}</Descriptions.Item>
                  </Descriptions>
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                    名单一经抽取即固定保存。任何人取 {plan.populationAsOf} 前在业的单位名录，按区县 × 行业门类分层、每层单位按标识排序，用上面的随机种子重新抽取，得到的单位与本名单相同；各层单位数与名录摘要见“抽样分层”。
                    {all ? '' : '本页只列本部门负责检查的单位。'}
                  </Typography.Paragraph>
                </ProCard>
                </div>
                <Tabs activeKey={inner} onChange={setInner} items={planTabs!} type="card" />
              </>
            ),
          },
          { key: 'precision', label: '清单命中率', children: <PrecisionSection /> },
        ]}
      />
    </PageContainer>
  );
}

/** 清单命中率 per quarter: table, chart (rates with their 95% bands, lift on the right axis) and how to read it. */
function PrecisionSection() {
  const [r, setR] = useState<PrecisionReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    report<PrecisionReport>('/api/v1/risk-lists/precision').then(setR, (e) => setError(e.message));
  }, []);
  const chart = useMemo(() => {
    if (!r || r.quarters.length === 0) return null;
    const qs = r.quarters.map((q) => q.quarter);
    const band = (name: string, key: 'listed' | 'random', color: string) => [
      { name: `${name}区间下限`, type: 'line' as const, stack: key, data: r.quarters.map((q) => q[key].low), lineStyle: { opacity: 0 }, symbol: 'none', tooltip: { show: false } },
      { name: `${name} 95% 区间`, type: 'line' as const, stack: key, data: r.quarters.map((q) => (q[key].low === null || q[key].high === null ? null : q[key].high - q[key].low)), lineStyle: { opacity: 0 }, symbol: 'none', areaStyle: { color, opacity: 0.18 }, tooltip: { show: false } },
    ];
    return {
      tooltip: {
        trigger: 'axis' as const,
        formatter: (items: unknown) => {
          const i = (items as { dataIndex: number }[])[0]?.dataIndex ?? 0;
          const q = r.quarters[i];
          return [`${q.quarter}`, `清单内单位：${pct(q.listed.rate)}（${interval(q.listed)}）`, `双随机：${pct(q.random.rate)}（${interval(q.random)}）`, `提升倍数：${lift(q.lift)}`].join('<br/>');
        },
      },
      legend: { data: ['清单内单位命中率', '双随机命中率', '提升倍数'] },
      grid: { left: 60, right: 60, top: 40, bottom: 30 },
      xAxis: { type: 'category' as const, data: qs },
      yAxis: [
        { type: 'value' as const, min: 0, max: 1, name: '发现隐患比例', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
        { type: 'value' as const, min: 0, name: '提升倍数', splitLine: { show: false } },
      ],
      series: [
        ...band('清单内单位', 'listed', '#cf1322'),
        ...band('双随机', 'random', '#1677ff'),
        { name: '清单内单位命中率', type: 'line' as const, color: '#cf1322', data: r.quarters.map((q) => q.listed.rate) },
        { name: '双随机命中率', type: 'line' as const, color: '#1677ff', data: r.quarters.map((q) => q.random.rate) },
        { name: '提升倍数', type: 'bar' as const, yAxisIndex: 1, color: '#faad14', barWidth: 16, itemStyle: { opacity: 0.5 }, data: r.quarters.map((q) => q.lift) },
      ],
    };
  }, [r]);
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!r) return <Spin style={{ margin: 60, width: '100%' }} />;
  return (
    <>
      <Alert type="info" showIcon message={HOW_TO_READ} style={{ marginBottom: 16 }} data-testid="precision-how-to-read" />
      {r.quarters.length === 0 ? (
        <Alert type="warning" message="尚无清单检查或双随机抽查的结果，无法计算命中率。" />
      ) : (
        <>
          <ProCard title="各季度发现隐患的比例（阴影为 95% 区间）" bordered style={{ marginBottom: 16 }}>
            {chart && <Chart option={chart} height={300} testId="precision-chart" />}
          </ProCard>
          <Table<QuarterPrecision>
            size="small"
            rowKey="quarter"
            dataSource={[...r.quarters].reverse()}
            pagination={false}
            onRow={(q) => ({ 'data-testid': `precision-row-${q.quarter}` }) as HTMLAttributes<HTMLElement>}
            columns={[
              { title: '季度', dataIndex: 'quarter' },
              { title: '清单检查（次）', render: (_, q) => q.listed.inspections, align: 'right' },
              { title: '发现隐患（次）', render: (_, q) => q.listed.hazardsFound, align: 'right' },
              { title: '清单命中率', render: (_, q) => <span data-testid="listed-rate">{pct(q.listed.rate)}</span>, align: 'right' },
              { title: '95% 区间', render: (_, q) => <span data-testid="listed-interval">{interval(q.listed)}</span> },
              { title: '双随机检查（次）', render: (_, q) => q.random.inspections, align: 'right' },
              { title: '发现隐患（次）', render: (_, q) => q.random.hazardsFound, align: 'right' },
              { title: '双随机命中率', render: (_, q) => <span data-testid="random-rate">{pct(q.random.rate)}</span>, align: 'right' },
              { title: '95% 区间', render: (_, q) => <span data-testid="random-interval">{interval(q.random)}</span> },
              { title: '提升倍数', render: (_, q) => <span data-testid="lift">{lift(q.lift)}</span>, align: 'right' },
              { title: '结论', render: (_, q) => verdictTag(q) },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            数据截至 {dateTime(r.asOf)}。检查来源为“清单”的检查计入清单内单位，来源为“双随机”的计入随机抽查；回头看及其他来源的检查不计入。
          </Typography.Paragraph>
        </>
      )}
    </>
  );
}
