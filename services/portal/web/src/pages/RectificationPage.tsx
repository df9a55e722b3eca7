import { useRef, useState } from 'react';
import { ProTable, ActionType, ProColumns } from '@ant-design/pro-components';
import { Button, DatePicker, Form, Input, Modal, Radio, Tabs, Tag, message } from 'antd';
import dayjs from 'dayjs';
import { api, qs } from '../api';
import { navigate } from '../router';
import { RECOMMENDATION_TABS } from '../labels';
import { chinaToday } from '../today';

interface Rec {
  recommendationId: string;
  documentNumber: string | null;
  ruleLabel: string;
  kindLabel: string;
  departmentNames: string[];
  departments: string[];
  issuedAt: string;
  deadline: string | null;
  status: string;
  statusLabel: string;
  closedOn: string | null;
  items: { department: string; departmentName: string; ruleLabel: string; statusLabel: string }[];
  employer: { employerKey: string; uscc: string | null; name: string };
}

/** Days from today (Beijing) to the deadline; negative when it has passed. Pure. */
export function daysLeft(deadline: string | null, today = dayjs().format('YYYY-MM-DD')): number | null {
  return deadline ? dayjs(deadline).diff(dayjs(today), 'day') : null;
}

const MAY_RECHECK = ['emergency', 'health'];

/** 整改跟踪: recommendations by status with deadlines and days left; re-checks go to the gateway. */
export function RectificationPage({ department }: { department: string }) {
  const [status, setStatus] = useState('OPEN');
  const [target, setTarget] = useState<Rec | null>(null);
  const action = useRef<ActionType>();
  const columns: ProColumns<Rec>[] = [
    { title: '单位', render: (_, r) => <a onClick={() => navigate(`/employers/${encodeURIComponent(r.employer.uscc ?? r.employer.employerKey)}`)}>{r.employer.name}</a> },
    { title: '文号', render: (_, r) => r.documentNumber ?? '未编号', width: 170 },
    { title: '问题', dataIndex: 'ruleLabel', width: 160 },
    { title: '类别', dataIndex: 'kindLabel', width: 110 },
    { title: '主送部门', render: (_, r) => r.departmentNames.join('、') },
    {
      title: '各部门整改',
      render: (_, r) => (r.items.length ? r.items.map((i, k) => <div key={k} data-testid="rec-item">{i.departmentName}：{i.ruleLabel}，{i.statusLabel}</div>) : '—'),
    },
    { title: '下发日期', dataIndex: 'issuedAt', width: 110 },
    { title: '整改期限', dataIndex: 'deadline', width: 110 },
    {
      title: '剩余天数',
      width: 110,
      render: (_, r) => {
        if (!['OPEN', 'OVERDUE'].includes(r.status)) return '—';
        const d = daysLeft(r.deadline);
        if (d === null) return '—';
        if (d < 0) return <Tag color="red" data-testid="days-left">逾期 {-d} 天</Tag>;
        return <Tag color={d <= 7 ? 'red' : d <= 15 ? 'orange' : 'green'} data-testid="days-left">{d} 天</Tag>;
      },
    },
    { title: '状态', dataIndex: 'statusLabel', width: 120, render: (_, r) => <span data-testid="rec-status">{r.statusLabel}</span> },
    {
      title: '操作',
      width: 110,
      render: (_, r) =>
        MAY_RECHECK.includes(department) && r.departments.includes(department) && ['OPEN', 'OVERDUE'].includes(r.status) ? (
          <Button size="small" type="link" onClick={() => setTarget(r)} data-testid="record-recheck">
            登记复查
          </Button>
        ) : null,
    },
  ];
  return (
    <>
      <Tabs activeKey={status} onChange={(k) => (setStatus(k), action.current?.reloadAndRest?.())} items={RECOMMENDATION_TABS} />
      <ProTable<Rec>
        rowKey="recommendationId"
        actionRef={action}
        headerTitle="整改建议"
        columns={columns}
        search={false}
        params={{ status }}
        request={async (params) => {
          const { current = 1, pageSize = 20 } = params;
          try {
            const a = await api<{ total: number; recommendations: Rec[] }>(`/api/v1/recommendations${qs({ status, limit: pageSize, offset: (current - 1) * pageSize })}`);
            return { data: a.recommendations, total: a.total, success: true };
          } catch (e) {
            return { data: [], total: 0, success: false, errorMessage: (e as Error).message };
          }
        }}
        pagination={{ defaultPageSize: 20 }}
        options={{ density: false, setting: false }}
      />
      {target && <RecheckForm rec={target} onClose={(done) => (setTarget(null), done && action.current?.reload())} />}
    </>
  );
}

function RecheckForm({ rec, onClose }: { rec: Rec; onClose: (done: boolean) => void }) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  // China's today, not the browser's: the correlator dates letters and re-checks in China time.
  const today = dayjs(chinaToday());
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const a = await api<{ accepted: number; duplicates: number; rejected: { reason: string }[] }>('/api/v1/console/rechecks', {
        method: 'POST',
        body: JSON.stringify({ recommendationId: rec.recommendationId, result: v.result, verifiedAt: v.verifiedAt.format('YYYY-MM-DD'), note: v.note ?? '' }),
      });
      if (a.rejected?.length) message.error(`复查结果未被接收：${a.rejected.map((r) => r.reason).join('；')}`);
      else message.success(a.duplicates ? '该复查结果此前已登记' : '复查结果已报送，关联分析完成后状态将更新');
      onClose(!a.rejected?.length);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={`登记复查：${rec.employer.name}`} okText="报送" cancelText="取消" onOk={submit} confirmLoading={busy} onCancel={() => onClose(false)}>
      <Form form={form} layout="vertical" initialValues={{ result: 'PASSED', verifiedAt: today }}>
        <Form.Item label="整改建议">{rec.documentNumber ?? '未编号'}（{rec.ruleLabel}）</Form.Item>
        <Form.Item name="result" label="复查结果" rules={[{ required: true, message: '请选择复查结果' }]}>
          <Radio.Group data-testid="recheck-result">
            <Radio value="PASSED">合格</Radio>
            <Radio value="FAILED">不合格</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="verifiedAt" label="复查日期" rules={[{ required: true, message: '请选择复查日期' }]}>
          <DatePicker disabledDate={(d) => d.isAfter(today, 'day')} />
        </Form.Item>
        <Form.Item name="note" label="说明">
          <Input.TextArea rows={3} maxLength={4000} placeholder="如：除尘设施已改造，复测合格" data-testid="recheck-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
