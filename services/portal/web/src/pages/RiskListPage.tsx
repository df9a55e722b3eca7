import { useRef, useState } from 'react';
import { ProTable, ActionType, ProColumns } from '@ant-design/pro-components';
import { Button, Descriptions, Select, Space, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { PAGINATION, pagedRequest } from '../api';
import { navigate } from '../router';
import { CHANGE_OPTIONS, RULE_OPTIONS, dateTime, pct } from '../labels';
import { PrecisionCard } from '../precision';
import type { RiskListViewRow } from '../../../riskListViewRow';

type Row = RiskListViewRow;
interface Answer {
  week: string;
  weekStart: string;
  weekEnd: string;
  asOf: string;
  comparison: string;
  employers: number;
  priority: number;
  removedCount: number;
  districts: { code: string; name: string }[];
  sections: { code: string; name: string }[];
  weeks: string[];
  total: number;
  rows: Row[];
  xlsx: string;
}

/** 风险清单: the week's list, filtered and paged by the portal; XLSX as delivered; the weeks before. */
export function RiskListPage() {
  const [week, setWeek] = useState<string | undefined>();
  const [meta, setMeta] = useState<Answer | null>(null);
  const action = useRef<ActionType>();
  const columns: ProColumns<Row>[] = [
    { title: '名次', dataIndex: 'rank', width: 60, search: false, render: (_, r) => r.rank ?? '—' },
    { title: '单位名称或统一社会信用代码', dataIndex: 'q', hideInTable: true },
    {
      title: '单位名称',
      dataIndex: 'employerName',
      search: false,
      render: (_, r) => (
        <a onClick={() => navigate(`/employers/${encodeURIComponent(r.uscc ?? r.employerKey)}`)} data-testid="employer-link">
          {r.employerName}
        </a>
      ),
    },
    { title: '统一社会信用代码', dataIndex: 'uscc', search: false, copyable: true },
    { title: '县区', dataIndex: 'district', valueType: 'select', valueEnum: Object.fromEntries((meta?.districts ?? []).map((d) => [d.code, { text: d.name }])), render: (_, r) => r.districtName },
    { title: '行业', dataIndex: 'industry', valueType: 'select', valueEnum: Object.fromEntries((meta?.sections ?? []).map((s) => [s.code, { text: `${s.code} ${s.name}` }])), render: (_, r) => r.industryCode ?? '—' },
    { title: '预警规则', dataIndex: 'rule', valueType: 'select', valueEnum: RULE_OPTIONS, render: (_, r) => r.ruleLabels.map((l) => <Tag key={l} color={l.includes('重点') ? 'red' : 'blue'}>{l}</Tag>) },
    { title: '分值', dataIndex: 'score', search: false, width: 70, render: (_, r) => (r.score === null ? '—' : r.score.toFixed(1)) },
    { title: '变化', dataIndex: 'change', valueType: 'select', valueEnum: CHANGE_OPTIONS, width: 110, render: (_, r) => <Tag color={r.changeLabel === '新上榜' ? 'volcano' : r.removedReason ? 'green' : 'default'}>{r.changeLabel}</Tag> },
    { title: '近一年事故', dataIndex: 'accidents365d', search: false, width: 90, render: (_, r) => r.accidents365d ?? '—' },
    { title: '参保覆盖率', dataIndex: 'coverage', search: false, width: 100, render: (_, r) => pct(r.coverage) },
    { title: '移出原因', dataIndex: 'removedReason', search: false, render: (_, r) => r.removedReason ?? '—' },
  ];
  return (
    <>
    <PrecisionCard />
    <ProTable<Row>
      rowKey={(r) => r.employerKey}
      actionRef={action}
      columns={columns}
      headerTitle={
        <Space direction="vertical" size={0}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            风险清单 {meta ? `${meta.week}（${meta.weekStart} 至 ${meta.weekEnd}）` : ''}
          </Typography.Title>
          {meta && (
            <Descriptions size="small" column={4}>
              <Descriptions.Item label="在榜单位">{meta.employers}</Descriptions.Item>
              <Descriptions.Item label="其中重点">{meta.priority}</Descriptions.Item>
              <Descriptions.Item label="本周移出">{meta.removedCount}</Descriptions.Item>
              <Descriptions.Item label="数据截至">{dateTime(meta.asOf)}</Descriptions.Item>
            </Descriptions>
          )}
        </Space>
      }
      toolBarRender={() => [
        <Select
          key="week"
          style={{ width: 160 }}
          placeholder="选择周次"
          value={week ?? meta?.week}
          options={(meta?.weeks ?? []).map((w) => ({ value: w, label: w }))}
          onChange={(w) => {
            setWeek(w);
            action.current?.reloadAndRest?.();
          }}
          data-testid="week-select"
        />,
        <Button key="xlsx" type="primary" icon={<DownloadOutlined />} href={meta?.xlsx} disabled={!meta} data-testid="download-xlsx">
          导出 XLSX
        </Button>,
      ]}
      request={pagedRequest<Answer, Row>(
        '/api/v1/console/risk-list',
        (p) => ({ week, q: p.q as string, district: p.district as string, industry: p.industry as string, rule: p.rule as string, change: p.change as string }),
        setMeta,
      )}
      pagination={PAGINATION}
      search={{ labelWidth: 'auto', defaultCollapsed: false }}
      options={{ density: false, setting: false, reload: true }}
      scroll={{ x: 1200 }}
    />
    </>
  );
}
