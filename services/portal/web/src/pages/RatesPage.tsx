import { useMemo, useRef, useState } from 'react';
import { ActionType, PageContainer, ProCard, ProColumns, ProTable } from '@ant-design/pro-components';
import { Button, Col, Row, Select, Statistic, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { PAGINATION, pagedRequest, report } from '../api';
import { navigate } from '../router';
import { RATE_DIRECTIONS, dateTime, pct } from '../labels';
import { chinaToday } from '../today';

type Direction = keyof typeof RATE_DIRECTIONS;
interface Row {
  employerKey: string;
  uscc: string | null;
  employerName: string;
  districtName: string;
  rateClass: number;
  baseRate: number;
  currentRate: number;
  payrollYuan: number;
  contributionsYuan: number;
  benefitsYuan: number;
  recognizedInjuries: number;
  ratio: number | null;
  direction: Direction;
  change: number;
  suggestedRate: number;
  small: boolean;
  reason: string;
}
interface Answer {
  cycle: string;
  asOf: string;
  regionName: string;
  summary: { employers: number; up: number; down: number; keep: number; small: number; contributionsYuan: number; benefitsYuan: number; ratio: number | null };
  total: number;
  rows: Row[];
}

/** The three-year cycles that have ended (the last first): 浮动费率 is adjusted every three years. */
function cycles(): string[] {
  const last = Number(chinaToday().slice(0, 4)) - 1;
  return Array.from({ length: 6 }, (_, i) => `${last - 2 - i}-${last - i}`);
}

const wan = (yuan: number) => `${(yuan / 10_000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const rate = (x: number) => `${(x * 100).toFixed(2)}%`;

/** 浮动费率 (人社): the cycle's suggestions per employer, paged by the portal, with the summary and the XLSX. */
export function RatesPage() {
  const options = useMemo(cycles, []);
  const [cycle, setCycle] = useState(options[0]);
  const [meta, setMeta] = useState<Answer | null>(null);
  const action = useRef<ActionType>();
  const columns: ProColumns<Row>[] = [
    { title: '单位名称或统一社会信用代码', dataIndex: 'q', hideInTable: true },
    {
      title: '单位名称',
      dataIndex: 'employerName',
      search: false,
      fixed: 'left',
      width: 220,
      render: (_, r) => (
        <a onClick={() => navigate(`/employers/${encodeURIComponent(r.uscc ?? r.employerKey)}`)} data-testid="rate-employer">
          {r.employerName}
        </a>
      ),
    },
    { title: '区县', dataIndex: 'districtName', search: false, width: 100 },
    { title: '行业风险类别', dataIndex: 'rateClass', search: false, width: 100, render: (_, r) => `${r.rateClass} 类` },
    { title: '实缴工伤保险费（万元）', dataIndex: 'contributionsYuan', search: false, align: 'right', width: 130, render: (_, r) => wan(r.contributionsYuan) },
    { title: '支付工伤保险待遇（万元）', dataIndex: 'benefitsYuan', search: false, align: 'right', width: 130, render: (_, r) => wan(r.benefitsYuan) },
    { title: '认定工伤（人）', dataIndex: 'recognizedInjuries', search: false, align: 'right', width: 90 },
    { title: '支缴率', dataIndex: 'ratio', search: false, align: 'right', width: 90, render: (_, r) => pct(r.ratio) },
    { title: '建议', dataIndex: 'direction', valueType: 'select', valueEnum: Object.fromEntries(Object.entries(RATE_DIRECTIONS).map(([k, v]) => [k, { text: v.text }])), width: 110, render: (_, r) => <Tag color={RATE_DIRECTIONS[r.direction].color}>{RATE_DIRECTIONS[r.direction].text}{r.change ? ` ${Math.round(Math.abs(r.change) * 100)}%` : ''}</Tag> },
    { title: '基准费率', dataIndex: 'baseRate', search: false, align: 'right', width: 90, render: (_, r) => rate(r.baseRate) },
    { title: '现行费率', dataIndex: 'currentRate', search: false, align: 'right', width: 90, render: (_, r) => rate(r.currentRate) },
    { title: '建议费率', dataIndex: 'suggestedRate', search: false, align: 'right', width: 90, render: (_, r) => <Typography.Text strong>{rate(r.suggestedRate)}</Typography.Text> },
    { title: '缴费基数较小', dataIndex: 'small', search: false, width: 100, render: (_, r) => (r.small ? <Tooltip title="周期内缴费较少，支缴率受个别待遇支付影响较大，请审慎采用"><Tag color="orange">是</Tag></Tooltip> : '') },
    { title: '理由', dataIndex: 'reason', search: false, width: 420, ellipsis: true },
  ];
  const s = meta?.summary;
  return (
    <PageContainer
      title="浮动费率"
      subTitle="工伤保险浮动费率调整建议（每三年一个周期，按支缴率分档）"
      extra={[
        <Select
          key="cycle"
          style={{ width: 170 }}
          value={cycle}
          options={options.map((c) => ({ value: c, label: `${c} 年度周期` }))}
          onChange={(c) => {
            setCycle(c);
            setMeta(null);
          }}
          data-testid="cycle-select"
        />,
        <Button key="xlsx" type="primary" icon={<DownloadOutlined />} href={`/api/v1/rate-adjustments.xlsx?cycle=${cycle}`} disabled={!meta} data-testid="download-rates-xlsx">
          导出 XLSX
        </Button>,
      ]}
    >
      <ProCard bordered style={{ marginBottom: 16 }}>
        <Row gutter={24}>
          {[
            ['rate-employers', '参与测算单位', s?.employers, undefined],
            ['rate-up', '建议上浮', s?.up, '#cf1322'],
            ['rate-down', '建议下浮', s?.down, '#389e0d'],
            ['rate-keep', '维持不变', s?.keep, undefined],
            ['rate-small', '缴费基数较小', s?.small, '#d46b08'],
          ].map(([id, title, value, color]) => (
            <Col key={id as string} span={4} data-testid={id as string}>
              <Statistic title={title as string} value={value === undefined ? '—' : (value as number)} suffix="家" valueStyle={color ? { color: color as string } : undefined} />
            </Col>
          ))}
          <Col span={4} data-testid="rate-ratio">
            <Statistic title="全市支缴率" value={s ? pct(s.ratio) : '—'} />
            {s && <Typography.Text type="secondary">缴费 {wan(s.contributionsYuan)} 万元，待遇 {wan(s.benefitsYuan)} 万元</Typography.Text>}
          </Col>
        </Row>
      </ProCard>
      <ProTable<Row>
        rowKey={(r) => r.employerKey}
        actionRef={action}
        columns={columns}
        headerTitle={meta ? `${meta.regionName} ${meta.cycle} 年度周期（测算于 ${dateTime(meta.asOf)}）` : '浮动费率调整建议'}
        params={{ cycle }}
        request={pagedRequest<Answer, Row>('/api/v1/rate-adjustments', (p) => ({ cycle: p.cycle as string, q: p.q as string, direction: p.direction as string }), setMeta, report<Answer>)}
        pagination={PAGINATION}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        options={{ density: false, setting: false, reload: true }}
        scroll={{ x: 1900 }}
        data-testid="rate-table"
      />
    </PageContainer>
  );
}
