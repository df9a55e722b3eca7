import { ProTable } from '@ant-design/pro-components';
import { api, qs } from '../api';
import { dateTime } from '../labels';
import { DEPARTMENTS } from '../../../../shared/contract';
import { AUDIT_ACTION_LABELS } from '../../../../shared/auditLabels';

interface Entry { seq: number; at: string; actorName: string; actionName: string; summary: string }

/** 审计日志 (人社 only): who published what and who read what, newest first. */
export function AuditPage() {
  return (
    <ProTable<Entry>
      rowKey="seq"
      headerTitle="审计日志"
      options={false}
      request={async (p) => {
        const { current = 1, pageSize = 20, actor, action } = p as Record<string, string | number>;
        const a = await api<{ total: number; entries: Entry[] }>(`/api/v1/audit${qs({ actor: actor as string, action: action as string, limit: pageSize, offset: (Number(current) - 1) * Number(pageSize) })}`);
        return { data: a.entries, total: a.total, success: true };
      }}
      pagination={{ defaultPageSize: 20 }}
      columns={[
        { title: '序号', dataIndex: 'seq', search: false, width: 80 },
        { title: '时间', search: false, render: (_, e) => dateTime(e.at), width: 180 },
        { title: '操作者', dataIndex: 'actor', valueType: 'select', valueEnum: { ...Object.fromEntries(Object.entries(DEPARTMENTS).map(([k, v]) => [k, { text: v }])), operator: { text: '系统管理员' } }, render: (_, e) => e.actorName, width: 180 },
        { title: '操作', dataIndex: 'action', valueType: 'select', valueEnum: Object.fromEntries(Object.entries(AUDIT_ACTION_LABELS).map(([k, v]) => [k, { text: v }])), render: (_, e) => e.actionName, width: 140 },
        { title: '内容', dataIndex: 'summary', search: false },
      ]}
    />
  );
}
