// The sign-in page: tenant, user name and password; a wrong one shows the server's answer as a
// translated sentence. After signing in, the user goes back where they came from, else to the start
// page of their role.
import { LockOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { login } from '../../api.ts';
import { LanguageSwitch } from '../../Layout.tsx';
import { errorSentence } from '../../shell/errors.ts';
import { mayUse, pageOfPath } from '../../shell/roles.ts';

interface Values {
  tenant: string;
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation('app');
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async ({ tenant, username, password }: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const session = await login(tenant, username, password);
      // Back to the page that asked for a sign-in, if this user may use it; else their landing page.
      const from = (location.state as { from?: string } | null)?.from;
      const page = from ? pageOfPath(from.split('?')[0] ?? '') : undefined;
      navigate(from && (!page || mayUse(session.user.roles, page)) ? from : '/', { replace: true });
    } catch (err) {
      setError(t('login.failed', { message: errorSentence(t, err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <Card className="login-card" title={<Typography.Title level={4}>{t('login.title')}</Typography.Title>} extra={<LanguageSwitch />}>
        <Form<Values> layout="vertical" initialValues={{ tenant: 'demo' }} onFinish={submit} requiredMark={false}>
          <Form.Item label={t('login.tenant')} name="tenant" rules={[{ required: true }]}>
            <Input data-testid="login-tenant" prefix={<TeamOutlined />} autoComplete="organization" />
          </Form.Item>
          <Form.Item label={t('login.username')} name="username" rules={[{ required: true }]}>
            <Input data-testid="login-username" prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label={t('login.password')} name="password" rules={[{ required: true }]}>
            <Input.Password data-testid="login-password" prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon role="alert" data-testid="login-error" title={error} className="login-error" />}
          <Button type="primary" htmlType="submit" block data-testid="login-submit" loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}

export default LoginPage;
