import { useState } from 'react';
import { ProTable } from '@ant-design/pro-components';
import { Drawer, Space, Tabs } from 'antd';
import { api, qs } from '../api';

interface Notice { noticeId: string; documentNumber: string | null; kindLabel: string; title: string; issuedAt: string; employers: { name: string }[]; documents: { docx: string; pdf: string } }
interface Rec { recommendationId: string; documentNumber: string | null; kindLabel: string; ruleLabel: string; issuedAt: string; statusLabel: string; employer: { name: string }; documents: { docx: string; pdf: string } }

/** 通报与文书: notices and 限期整改建议书, previewed as PDF in the page, downloaded as DOCX or PDF. */
export function DocumentsPage({ department }: { department: string }) {
  const [preview, setPreview] = useState<{ title: string; pdf: string } | null>(null);
  const links = (title: string, d: { docx: string; pdf: string }) => (
    <Space>
      <a onClick={() => setPreview({ title, pdf: d.pdf })} data-testid="preview-pdf">预览</a>
      <a href={d.pdf} download>下载 PDF</a>
      <a href={d.docx} download>下载 DOCX</a>
    </Space>
  );
  const notices = (
    <ProTable<Notice>
      rowKey="noticeId"
      headerTitle="通报"
      search={false}
      options={false}
      request={async ({ current = 1, pageSize = 20 }) => {
        const a = await api<{ notices: Notice[]; total: number }>(`/api/v1/notices?limit=${pageSize}&offset=${(current - 1) * pageSize}`);
        return { data: a.notices, total: a.total, success: true };
      }}
      pagination={{ defaultPageSize: 20 }}
      columns={[
        { title: '文号', render: (_, n) => n.documentNumber ?? '未编号', width: 170 },
        { title: '标题', dataIndex: 'title' },
        { title: '类别', dataIndex: 'kindLabel', width: 140 },
        { title: '印发日期', dataIndex: 'issuedAt', width: 110 },
        { title: '文书', width: 220, render: (_, n) => links(n.title, n.documents) },
      ]}
    />
  );
  const letters = (
    <ProTable<Rec>
      rowKey="recommendationId"
      headerTitle="限期整改建议书"
      search={false}
      options={false}
      request={async (p) => {
        const { current = 1, pageSize = 20 } = p;
        const a = await api<{ total: number; recommendations: Rec[] }>(`/api/v1/recommendations${qs({ status: 'ALL', limit: pageSize, offset: (current - 1) * pageSize })}`);
        return { data: a.recommendations, total: a.total, success: true };
      }}
      pagination={{ defaultPageSize: 20 }}
      columns={[
        { title: '文号', render: (_, r) => r.documentNumber ?? '未编号', width: 170 },
        { title: '单位', render: (_, r) => r.employer.name },
        { title: '问题', dataIndex: 'ruleLabel' },
        { title: '下发日期', dataIndex: 'issuedAt', width: 110 },
        { title: '状态', dataIndex: 'statusLabel', width: 120 },
        { title: '文书', width: 220, render: (_, r) => links(`限期整改建议书 ${r.documentNumber ?? ''}`, r.documents) },
      ]}
    />
  );
  return (
    <>
      <Tabs items={[{ key: 'notices', label: '通报', children: notices }, ...(department === 'union' ? [] : [{ key: 'letters', label: '限期整改建议书', children: letters }])]} />
      <Drawer open={!!preview} width="70%" title={preview?.title} onClose={() => setPreview(null)} destroyOnClose>
        {preview && <iframe title="文书预览" src={`${preview.pdf}?inline=1`} style={{ width: '100%', height: '80vh', border: 0 }} data-testid="pdf-frame" />}
      </Drawer>
    </>
  );
}
