import { useEffect, useMemo, useState } from 'react';
import { PageContainer, ProCard, ProTable } from '@ant-design/pro-components';
import { Alert, Spin, Table, Tag } from 'antd';
import { api, qs } from '../api';
import { Chart } from '../Chart';
import { dateTime, pct } from '../labels';

interface Feed { department: string; departmentName: string; eventType: string; eventTypeLabel: string; lastReceived: string | null; quarterReceived: number; reportedThisQuarter: boolean; accepted: number; rejected: number; rejectionRate: number | null }
interface Health { quarter: string; windowWeeks: number; feeds: Feed[]; notReported: { departmentName: string; missing: string[] }[]; weekly: { week: string; departmentName: string; accepted: number }[]; topReasons: { reason: string; count: number }[] }
interface Dead { departmentName: string; eventTypeLabel: string; sourceLabel: string; eventId: string | null; position: number; reasons: { field: string; reason: string }[]; receivedAt: string }

/** 数据报送: each feed's health, the quarter's reporting status, rejections and the records to fix. */
export function FeedsPage({ department }: { department: string }) {
  const [h, setH] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Health>('/api/v1/console/feeds').then(setH, (e) => setError(e.message));
  }, []);
  const chart = useMemo(() => {
    if (!h) return null;
    const weeks = [...new Set(h.weekly.map((w) => w.week))].sort();
    const names = [...new Set(h.weekly.map((w) => w.departmentName))];
    return {
      tooltip: { trigger: 'axis' as const },
      legend: { data: names },
      grid: { left: 60, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category' as const, data: weeks },
      yAxis: { type: 'value' as const, name: '条' },
      series: names.map((n) => ({ name: n, type: 'bar' as const, stack: 'all', data: weeks.map((w) => h.weekly.find((x) => x.week === w && x.departmentName === n)?.accepted ?? 0) })),
    };
  }, [h]);
  if (error) return <Alert type="error" message={error} />;
  if (!h) return <Spin style={{ margin: 80, width: '100%' }} />;
  return (
    <PageContainer title="数据报送" subTitle={`${h.quarter} 季度 · 近 ${h.windowWeeks} 周`}>
      <ProCard direction="column" gutter={[0, 16]} ghost>
        {h.notReported.length > 0 ? (
          <Alert type="warning" showIcon data-testid="not-reported" message={`本季度（${h.quarter}）尚未报送`} description={h.notReported.map((n) => `${n.departmentName}：${n.missing.join('、')}`).join('；')} />
        ) : (
          <Alert type="success" showIcon message={`本季度（${h.quarter}）各部门均已报送`} />
        )}
        <ProCard title="各部门各类数据">
          <Table
            size="small"
            rowKey={(f) => `${f.department}/${f.eventType}`}
            pagination={false}
            dataSource={h.feeds}
            columns={[
              { title: '部门', dataIndex: 'departmentName' },
              { title: '数据类型', dataIndex: 'eventTypeLabel' },
              { title: '最近接收', render: (_, f) => dateTime(f.lastReceived) },
              { title: '本季度', render: (_, f) => (f.reportedThisQuarter ? <Tag color="green">已报送 {f.quarterReceived} 条</Tag> : <Tag color="red">未报送</Tag>) },
              { title: '接收', dataIndex: 'accepted' },
              { title: '拒收', dataIndex: 'rejected' },
              { title: '拒收率', render: (_, f) => <span style={{ color: (f.rejectionRate ?? 0) > 0.05 ? '#cf1322' : undefined }}>{pct(f.rejectionRate)}</span> },
            ]}
          />
        </ProCard>
        <ProCard title="每周接收量" split="vertical">
          <ProCard colSpan="65%">{chart && <Chart option={chart} height={300} testId="weekly-chart" />}</ProCard>
          <ProCard title="主要拒收原因">
            <Table size="small" rowKey="reason" pagination={false} dataSource={h.topReasons} columns={[{ title: '原因', dataIndex: 'reason' }, { title: '条数', dataIndex: 'count', width: 70 }]} />
          </ProCard>
        </ProCard>
        <ProTable<Dead>
          headerTitle={department === 'hrss' ? '拒收记录（各部门）' : '本部门拒收记录'}
          rowKey={(r) => `${r.receivedAt}-${r.position}-${r.eventId}`}
          search={false}
          options={false}
          request={async (p) => {
            const { current = 1, pageSize = 20 } = p;
            const a = await api<{ total: number; deadLetters: Dead[] }>(`/api/v1/console/dead-letters${qs({ limit: pageSize, offset: (current - 1) * pageSize })}`);
            return { data: a.deadLetters, total: a.total, success: true };
          }}
          pagination={{ defaultPageSize: 20 }}
          columns={[
            { title: '接收时间', render: (_, r) => dateTime(r.receivedAt), width: 170 },
            { title: '部门', dataIndex: 'departmentName', width: 160 },
            { title: '数据类型', dataIndex: 'eventTypeLabel', width: 140 },
            { title: '方式', dataIndex: 'sourceLabel', width: 90 },
            { title: '记录编号', render: (_, r) => r.eventId ?? '—' },
            { title: '位置', render: (_, r) => (r.sourceLabel === '文件报送' ? `第 ${r.position} 行` : `第 ${r.position + 1} 条`), width: 90 },
            { title: '拒收原因', render: (_, r) => r.reasons.map((x) => `${x.field}：${x.reason}`).join('；') },
          ]}
        />
      </ProCard>
    </PageContainer>
  );
}
