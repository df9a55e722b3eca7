import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { api, Session } from '../api';

/** Sign-in with the department's token (每个部门一个令牌，由枢纽管理员签发). */
export function LoginPage({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { token: string }) => {
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api<Session>('/api/v1/session', { method: 'POST', body: JSON.stringify({ token: v.token }) }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ minHeight: '100vh', background: '#eef2f7', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Card style={{ width: 420 }} title={<span>工伤预防数据交换枢纽 · 部门登录</span>}>
        <Typography.Paragraph type="secondary">请输入本部门的身份令牌。令牌由枢纽管理员签发，登录后 8 小时内有效。</Typography.Paragraph>
        {error && <Alert type="error" message={error} showIcon style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form onFinish={submit} layout="vertical">
          <Form.Item name="token" label="身份令牌" rules={[{ required: true, message: '请输入身份令牌' }]}>
            <Input.Password prefix={<LockOutlined />} placeholder="部门身份令牌" autoComplete="off" data-testid="token" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-in">
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
