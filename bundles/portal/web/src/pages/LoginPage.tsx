import { ReactNode, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Card, Form, Input, Space, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/I18n';
import { useAuth } from '../auth';
import { ErrorAlert } from '../components/common';

export default function LoginPage({ languageSwitch }: { languageSwitch: ReactNode }) {
  const { t } = useI18n();
  const { login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: { user: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await login(values.user.trim(), values.password);
      const next = params.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('auth.title')}
          </Typography.Title>
          {languageSwitch}
        </Space>
        <ErrorAlert error={error} />
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="user" label={t('auth.user')} rules={[{ required: true, message: t('auth.userRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" data-testid="login-user" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('auth.password')}
            rules={[{ required: true, message: t('auth.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('auth.login')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
