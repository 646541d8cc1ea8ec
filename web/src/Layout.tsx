// The frame around every signed-in page: the menu of the pages the user's roles may use, the
// header with the language switch, the user and sign-out, and the page (loaded on demand).
import {
  AppstoreOutlined,
  AuditOutlined,
  BranchesOutlined,
  FormOutlined,
  InboxOutlined,
  LogoutOutlined,
  SettingOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { Layout as AntLayout, Button, Menu, Segmented, Space, Spin, Typography } from 'antd';
import { type ReactNode, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { logout } from './api.ts';
import { LANGUAGES } from './i18n.ts';
import { useSession } from './session.tsx';
import { NotificationsBell } from './shell/NotificationsBell.tsx';
import { type PageId, pageOfPath, visiblePages } from './shell/roles.ts';

const ICONS: Record<PageId, ReactNode> = {
  portal: <AppstoreOutlined />,
  myRequests: <UnorderedListOutlined />,
  tasks: <InboxOutlined />,
  approvals: <AuditOutlined />,
  designer: <BranchesOutlined />,
  forms: <FormOutlined />,
  admin: <SettingOutlined />,
};

export function LanguageSwitch() {
  const { t, i18n } = useTranslation('app');
  return (
    <span data-testid="language-switch" title={t('language.label')}>
      <Segmented
        size="small"
        value={i18n.language}
        onChange={(lng) => void i18n.changeLanguage(String(lng))}
        options={LANGUAGES.map((l) => ({ value: l, label: <span data-language={l}>{t(`language.${l}`)}</span> }))}
      />
    </span>
  );
}

export function PageLoading() {
  const { t } = useTranslation('app');
  return (
    <div className="page-loading">
      <Spin description={t('loading')} />
    </div>
  );
}

export function Layout() {
  const { t } = useTranslation('app');
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [leaving, setLeaving] = useState(false);
  const pages = visiblePages(session?.user.roles ?? []);
  const current = pageOfPath(location.pathname);

  const signOut = async () => {
    setLeaving(true);
    // To the login first: the next user starts on their own landing page, not on this one.
    navigate('/login', { replace: true });
    try {
      await logout();
    } catch {
      // The browser has forgotten the session either way.
    }
  };

  return (
    <AntLayout className="shell">
      <AntLayout.Sider width={208} className="shell-sider" breakpoint="lg">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          aria-label={t('nav.menu')}
          selectedKeys={current ? [current.id] : []}
          items={pages.map((p) => ({
            key: p.id,
            icon: ICONS[p.id],
            label: (
              <Link to={p.path} data-testid={`nav-${p.id}`}>
                {t(`nav.${p.id}`)}
              </Link>
            ),
          }))}
        />
      </AntLayout.Sider>
      <AntLayout>
        <AntLayout.Header className="shell-header">
          <Typography.Text strong className="shell-title">
            {current ? t(`nav.${current.id}`) : ''}
          </Typography.Text>
          <Space size="middle">
            <LanguageSwitch />
            {session && <NotificationsBell />}
            {session && (
              <Typography.Text data-testid="who" type="secondary">
                {t('user.signedInAs', { user: session.user.username, tenant: session.tenant })}
              </Typography.Text>
            )}
            <Button data-testid="logout" icon={<LogoutOutlined />} loading={leaving} onClick={signOut}>
              {t('user.logout')}
            </Button>
          </Space>
        </AntLayout.Header>
        <AntLayout.Content className="content">
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </AntLayout.Content>
      </AntLayout>
    </AntLayout>
  );
}
