import { useCallback, useEffect, useState } from 'react';
import { ProLayout } from '@ant-design/pro-components';
import { Button, Result, Space, Spin, Typography } from 'antd';
import { AlertOutlined, AuditOutlined, AccountBookOutlined, ScheduleOutlined, BankOutlined, CloudUploadOutlined, FileTextOutlined, FundOutlined, LogoutOutlined, ToolOutlined } from '@ant-design/icons';
import { api, Session } from './api';
import { navigate, usePath } from './router';
import { LoginPage } from './pages/LoginPage';
import { RiskListPage } from './pages/RiskListPage';
import { EmployerPage } from './pages/EmployerPage';
import { RectificationPage } from './pages/RectificationPage';
import { DocumentsPage } from './pages/DocumentsPage';
import { FeedsPage } from './pages/FeedsPage';
import { TargetsPage } from './pages/TargetsPage';
import { AuditPage } from './pages/AuditPage';
import { InspectionsPage } from './pages/InspectionsPage';
import { RatesPage } from './pages/RatesPage';

/** The pages a department sees in its menu (CONTRACT section 3: what it may read). */
interface PageDef {
  path: string;
  name: string;
  icon: JSX.Element;
  for: (department: string) => boolean;
}
const PAGES: PageDef[] = [
  { path: '/risk-list', name: '风险清单', icon: <AlertOutlined />, for: (d) => d === 'hrss' },
  { path: '/employers', name: '单位画像', icon: <BankOutlined />, for: () => true },
  { path: '/rectification', name: '整改跟踪', icon: <ToolOutlined />, for: (d) => d !== 'union' },
  { path: '/documents', name: '通报与文书', icon: <FileTextOutlined />, for: () => true },
  { path: '/feeds', name: '数据报送', icon: <CloudUploadOutlined />, for: () => true },
  // CONTRACT section 3: the plan for 人社 whole, for each inspecting department its own part.
  { path: '/inspections', name: '双随机与回头看', icon: <ScheduleOutlined />, for: (d) => ['hrss', 'emergency', 'health', 'housing', 'transport'].includes(d) },
  { path: '/rate-adjustments', name: '浮动费率', icon: <AccountBookOutlined />, for: (d) => d === 'hrss' },
  { path: '/targets', name: '五年目标', icon: <FundOutlined />, for: () => true },
  { path: '/audit', name: '审计日志', icon: <AuditOutlined />, for: (d) => d === 'hrss' },
];

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const path = usePath();
  const load = useCallback(() => {
    api<Session>('/api/v1/session').then(setSession, () => setSession(null));
  }, []);
  useEffect(() => {
    load();
    const out = () => setSession(null);
    window.addEventListener('whp-signed-out', out);
    return () => window.removeEventListener('whp-signed-out', out);
  }, [load]);

  if (session === undefined) return <Spin style={{ margin: 120, width: '100%' }} />;
  if (session === null) return <LoginPage onSignedIn={(s) => setSession(s)} />;

  const pages = PAGES.filter((p) => p.for(session.department));
  const home = pages[0].path;
  const current = pages.find((p) => path === p.path || path.startsWith(`${p.path}/`));
  if (!current && path !== home) {
    // The address of a page this department does not have (or /): its first page.
    setTimeout(() => navigate(home));
  }
  const signOut = async () => {
    await api('/api/v1/session', { method: 'DELETE' });
    setSession(null);
    navigate('/');
  };
  return (
    <ProLayout
      title="工伤预防数据交换枢纽"
      logo={false}
      layout="mix"
      fixSiderbar
      location={{ pathname: path }}
      route={{ path: '/', routes: pages.map((p) => ({ path: p.path, name: p.name, icon: p.icon })) }}
      menuItemRender={(item, dom) => (
        <a
          href={item.path}
          onClick={(e) => {
            e.preventDefault();
            navigate(item.path!);
          }}
        >
          {dom}
        </a>
      )}
      actionsRender={() => [
        <Space key="who" data-testid="signed-in-as">
          <Typography.Text style={{ color: 'inherit' }}>{session.departmentName}</Typography.Text>
          <Button size="small" icon={<LogoutOutlined />} onClick={signOut}>
            退出
          </Button>
        </Space>,
      ]}
    >
      <Page path={path} session={session} />
    </ProLayout>
  );
}

function Page({ path, session }: { path: string; session: Session }) {
  const d = session.department;
  if (path.startsWith('/risk-list')) return <RiskListPage />;
  if (path.startsWith('/employers')) return <EmployerPage key={path} employerKey={decodeURIComponent(path.slice('/employers/'.length))} department={d} />;
  if (path.startsWith('/rectification')) return <RectificationPage department={d} />;
  if (path.startsWith('/documents')) return <DocumentsPage department={d} />;
  if (path.startsWith('/feeds')) return <FeedsPage department={d} />;
  if (path.startsWith('/inspections')) return <InspectionsPage key={d} department={d} tab={path.slice('/inspections/'.length)} />;
  if (path.startsWith('/rate-adjustments')) return <RatesPage />;
  if (path.startsWith('/targets')) return <TargetsPage />;
  if (path.startsWith('/audit')) return <AuditPage />;
  return <Result status="404" title="没有这个页面" />;
}
