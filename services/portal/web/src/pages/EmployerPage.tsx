import { useEffect, useMemo, useState } from 'react';
import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Button, Descriptions, Empty, Input, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { api } from '../api';
import { navigate } from '../router';
import { Chart } from '../Chart';
import { DEPARTMENTS, EVENT_TYPE_LABELS } from '../../../../shared/contract';

type Evidence = Record<string, { eventType: string; eventId: string }[]>;
interface Alert { alertId: string; ruleLabel: string; status: string; severityLabel: string; score: number; explanation: string; evidence: Evidence; late: boolean; raisedOn: string | null; closeReasonLabel: string | null }
interface Rec { recommendationId: string; documentNumber: string | null; kindLabel: string; ruleLabel: string; departmentNames: string[]; issuedAt: string; deadline: string | null; statusLabel: string; text: string; documents: { docx: string; pdf: string } }
interface Profile { employerKey: string; uscc: string | null; name: string; regionCode: string; industryCode: string | null; headcount: number | null; headcountAsOf: string | null; alerts: Alert[]; recommendations: Rec[]; timelineTotal: number }
interface Facts {
  enrollment: { month: string; insured: number }[] | null;
  headcount: number | null;
  accidents: { date: string; category: string; deaths: number; seriousInjuries: number; minorInjuries: number; department: string }[];
  measurements: { date: string; factor: string; post: string; measured: number; limit: number; unit: string; exceeded: boolean }[];
  diagnoses: { year: number; category: number; cases: number; earlyCases: number }[] | null;
  injuries: { injuryDate: string; decidedAt: string; recognized: boolean; insuredAtInjury: boolean }[] | null;
  projects: { projectId: string; projectName: string; startDate: string; contractValueYuan: number; certificate: boolean }[];
  rechecks: { verifiedAt: string; passed: boolean; department: string }[];
}

const dept = (d: string) => (DEPARTMENTS as Record<string, string>)[d] ?? '其他部门';
const typeLabel = (t: string) => (EVENT_TYPE_LABELS as Record<string, string>)[t] ?? '其他数据';

/** Evidence in words: which department's which records, counted (record numbers are the departments' own). */
function evidenceText(e: Evidence): string {
  return Object.entries(e)
    .map(([d, list]) => {
      const byType = new Map<string, number>();
      for (const x of list) byType.set(x.eventType, (byType.get(x.eventType) ?? 0) + 1);
      if (!list.length) return '';
      return `${dept(d)}：${[...byType].map(([t, n]) => `${typeLabel(t)} ${n} 条`).join('、')}`;
    })
    .filter(Boolean)
    .join('；');
}

export function EmployerPage({ employerKey, department }: { employerKey: string; department: string }) {
  const [profile, setProfile] = useState<Profile | null>(null);
  const [facts, setFacts] = useState<Facts | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  useEffect(() => {
    if (!employerKey) return;
    const k = encodeURIComponent(employerKey);
    Promise.all([api<Profile>(`/api/v1/employers/${k}`), api<Facts>(`/api/v1/console/employers/${k}/facts`)]).then(
      ([p, f]) => (setProfile(p), setFacts(f)),
      (e) => setError({ status: e.status, message: e.message }),
    );
  }, [employerKey]);
  const curve = useMemo(() => {
    if (!facts?.enrollment?.length) return null;
    return {
      tooltip: { trigger: 'axis' as const },
      legend: { data: ['参保人数', '职工人数'] },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category' as const, data: facts.enrollment.map((e) => e.month) },
      yAxis: { type: 'value' as const, name: '人' },
      series: [
        { name: '参保人数', type: 'line' as const, step: 'end' as const, data: facts.enrollment.map((e) => e.insured) },
        ...(facts.headcount ? [{ name: '职工人数', type: 'line' as const, lineStyle: { type: 'dashed' as const }, data: facts.enrollment.map(() => facts.headcount) }] : []),
      ],
    };
  }, [facts]);

  if (!employerKey) return <EmployerSearch />;
  if (error) return <Result status={error.status === 403 ? '403' : error.status === 404 ? '404' : 'error'} title={error.status === 403 ? '无权查看该单位' : '无法打开单位画像'} subTitle={error.message} extra={<EmployerSearch />} />;
  if (!profile || !facts) return <Spin style={{ margin: 80, width: '100%' }} />;
  const every = department === 'hrss';
  return (
    <PageContainer title={profile.name} subTitle={profile.uscc ?? '无统一社会信用代码'} data-testid="employer-page">
      <ProCard direction="column" gutter={[0, 16]} ghost>
        <ProCard title="基本情况">
          <Descriptions column={4} size="small">
            <Descriptions.Item label="统一社会信用代码">{profile.uscc ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="行政区划">{profile.regionCode}</Descriptions.Item>
            <Descriptions.Item label="行业代码">{profile.industryCode ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="职工人数">{profile.headcount === null ? '—' : `${profile.headcount} 人（${profile.headcountAsOf ?? ''}）`}</Descriptions.Item>
          </Descriptions>
          {!every && <Typography.Text type="secondary">按数据共享规则，本页只显示本部门报送的数据、单位登记信息和推送给本部门的预警与建议。</Typography.Text>}
        </ProCard>
        {facts.enrollment !== null && (
          <ProCard title="参保人数与职工人数">{curve ? <Chart option={curve} height={280} testId="enrollment-chart" /> : <Empty description="暂无参保登记数据" />}</ProCard>
        )}
        <ProCard title={`预警（${profile.alerts.length}）`}>
          <Table
            size="small"
            rowKey="alertId"
            pagination={false}
            dataSource={profile.alerts}
            columns={[
              { title: '规则', dataIndex: 'ruleLabel', width: 160 },
              { title: '状态', render: (_, a) => (a.status === 'OPEN' ? <Tag color="red">未关闭</Tag> : <Tag>{a.closeReasonLabel ?? '已关闭'}</Tag>), width: 100 },
              { title: '严重程度', dataIndex: 'severityLabel', width: 80 },
              { title: '说明', render: (_, a) => <>{a.explanation}{a.late && <Tag color="orange" style={{ marginLeft: 4 }}>迟报</Tag>}</> },
              // Another department sees only its own records among the evidence (CONTRACT section 3).
              { title: '证据', render: (_, a) => evidenceText(every ? a.evidence : { [department]: a.evidence[department] ?? [] }) || '—', width: 260 },
            ]}
          />
        </ProCard>
        <ProCard title={`整改建议与文书（${profile.recommendations.length}）`}>
          <Table
            size="small"
            rowKey="recommendationId"
            pagination={false}
            dataSource={profile.recommendations}
            columns={[
              { title: '文号', render: (_, r) => r.documentNumber ?? '未编号', width: 170 },
              { title: '类别', dataIndex: 'kindLabel', width: 120 },
              { title: '主送部门', render: (_, r) => r.departmentNames.join('、') },
              { title: '期限', dataIndex: 'deadline', width: 110 },
              { title: '状态', dataIndex: 'statusLabel', width: 110 },
              { title: '文书', width: 160, render: (_, r) => <Space><a href={`${r.documents.pdf}?inline=1`} target="_blank" rel="noreferrer">PDF</a><a href={r.documents.docx}>DOCX</a></Space> },
            ]}
          />
        </ProCard>
        <ProCard title={`生产安全事故（${facts.accidents.length}）`}>
          <Table size="small" rowKey={(r, i) => `${r.date}-${i}`} pagination={{ pageSize: 10 }} dataSource={facts.accidents} columns={[
            { title: '发生日期', dataIndex: 'date', width: 110 }, { title: '事故类别', dataIndex: 'category' },
            { title: '死亡', dataIndex: 'deaths', width: 60 }, { title: '重伤', dataIndex: 'seriousInjuries', width: 60 }, { title: '轻伤', dataIndex: 'minorInjuries', width: 60 },
            { title: '报送部门', render: (_, r) => dept(r.department), width: 160 },
          ]} />
        </ProCard>
        <ProCard title={`职业病危害因素检测（${facts.measurements.length}）`}>
          <Table size="small" rowKey={(r, i) => `${r.date}-${i}`} pagination={{ pageSize: 10 }} dataSource={facts.measurements} columns={[
            { title: '检测日期', dataIndex: 'date', width: 110 }, { title: '危害因素', dataIndex: 'factor' }, { title: '岗位', dataIndex: 'post' },
            { title: '检测值', render: (_, r) => `${r.measured} ${r.unit}` }, { title: '限值', render: (_, r) => `${r.limit} ${r.unit}` },
            { title: '判定', render: (_, r) => (r.exceeded ? <Tag color="red">超标 {(r.measured / r.limit).toFixed(2)} 倍</Tag> : <Tag color="green">未超标</Tag>) },
          ]} />
        </ProCard>
        {facts.diagnoses !== null && (
          <ProCard title="职业病诊断（只计例数）">
            <Table size="small" rowKey={(r) => `${r.year}-${r.category}`} pagination={false} dataSource={facts.diagnoses} columns={[
              { title: '年度', dataIndex: 'year' }, { title: '职业病类别', render: (_, r) => `第 ${r.category} 类` }, { title: '例数', dataIndex: 'cases' }, { title: '其中接害工龄不足 5 年', dataIndex: 'earlyCases' },
            ]} />
          </ProCard>
        )}
        {facts.injuries !== null && (
          <ProCard title={`工伤认定（${facts.injuries.length}）`}>
            <Table size="small" rowKey={(r, i) => `${r.decidedAt}-${i}`} pagination={{ pageSize: 10 }} dataSource={facts.injuries} columns={[
              { title: '受伤日期', dataIndex: 'injuryDate' }, { title: '认定日期', dataIndex: 'decidedAt' },
              { title: '结论', render: (_, r) => (r.recognized ? '认定为工伤' : '不予认定') }, { title: '受伤时参保', render: (_, r) => (r.insuredAtInjury ? '已参保' : <Tag color="red">未参保</Tag>) },
            ]} />
          </ProCard>
        )}
        <ProCard title={`在建工程项目（${facts.projects.length}）`}>
          <Table size="small" rowKey={(r, i) => `${r.projectId}-${i}`} pagination={{ pageSize: 10 }} dataSource={facts.projects} columns={[
            { title: '项目编号', dataIndex: 'projectId' }, { title: '项目名称', dataIndex: 'projectName' }, { title: '开工日期', dataIndex: 'startDate' },
            { title: '合同金额（万元）', render: (_, r) => (r.contractValueYuan / 10000).toFixed(2) }, { title: '项目参保证明', render: (_, r) => (r.certificate ? '已提交' : <Tag color="red">未提交</Tag>) },
          ]} />
        </ProCard>
        <ProCard title={`整改复查（${facts.rechecks.length}）`}>
          <Table size="small" rowKey={(r, i) => `${r.verifiedAt}-${i}`} pagination={false} dataSource={facts.rechecks} columns={[
            { title: '复查日期', dataIndex: 'verifiedAt' }, { title: '结果', render: (_, r) => (r.passed ? <Tag color="green">合格</Tag> : <Tag color="red">不合格</Tag>) }, { title: '复查部门', render: (_, r) => dept(r.department) },
          ]} />
        </ProCard>
      </ProCard>
    </PageContainer>
  );
}

function EmployerSearch() {
  const [v, setV] = useState('');
  return (
    <PageContainer title="单位画像">
      <ProCard>
        <Space>
          <Input style={{ width: 360 }} placeholder="统一社会信用代码" value={v} onChange={(e) => setV(e.target.value)} onPressEnter={() => v.trim() && navigate(`/employers/${encodeURIComponent(v.trim())}`)} data-testid="employer-search" />
          <Button type="primary" onClick={() => v.trim() && navigate(`/employers/${encodeURIComponent(v.trim())}`)}>打开</Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>也可以从风险清单或整改跟踪中点击单位名称打开。</Typography.Paragraph>
      </ProCard>
    </PageContainer>
  );
}
