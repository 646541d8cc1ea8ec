// /admin: the tenant administrator's pages as tabs (users, groups, roles, identity providers,
// tenant settings, ITSM templates, notification channels and deliveries, audit log); the open tab
// is in the address (?tab=groups) so it can be linked.
import { Result, Tabs, Typography } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { hasRole, useSession } from '../../session.tsx';
import { AuditTab } from './AuditTab.tsx';
import { ChannelsTab } from './ChannelsTab.tsx';
import { DeliveriesTab } from './DeliveriesTab.tsx';
import { GroupsTab } from './GroupsTab.tsx';
import { IdentityProvidersTab } from './IdentityProvidersTab.tsx';
import { ADMIN_NS } from './i18n.ts';
import { NotificationRulesTab } from './NotificationRulesTab.tsx';
import { NotificationTemplatesTab } from './NotificationTemplatesTab.tsx';
import { RolesTab } from './RolesTab.tsx';
import { SlaPoliciesTab } from './SlaPoliciesTab.tsx';
import { TemplatesTab } from './TemplatesTab.tsx';
import { TenantTab } from './TenantTab.tsx';
import { UsersTab } from './UsersTab.tsx';

// FullCalendar comes with the calendars tab only.
const CalendarsTab = lazy(() => import('./CalendarsTab.tsx'));

const TABS: Array<{ key: string; testId: string; render: () => ReactNode }> = [
  { key: 'users', testId: 'admin-users', render: () => <UsersTab /> },
  { key: 'groups', testId: 'admin-groups', render: () => <GroupsTab /> },
  { key: 'roles', testId: 'admin-roles', render: () => <RolesTab /> },
  { key: 'idps', testId: 'admin-idps', render: () => <IdentityProvidersTab /> },
  { key: 'tenant', testId: 'admin-tenant', render: () => <TenantTab /> },
  { key: 'sla', testId: 'admin-sla', render: () => <SlaPoliciesTab /> },
  {
    key: 'calendars',
    testId: 'admin-calendars',
    render: () => (
      <Suspense fallback={null}>
        <CalendarsTab />
      </Suspense>
    ),
  },
  { key: 'channels', testId: 'admin-channels', render: () => <ChannelsTab /> },
  { key: 'deliveries', testId: 'admin-deliveries', render: () => <DeliveriesTab /> },
  { key: 'templates', testId: 'admin-templates', render: () => <TemplatesTab /> },
  { key: 'audit', testId: 'admin-audit', render: () => <AuditTab /> },
  { key: 'notificationRules', testId: 'admin-notification-rules', render: () => <NotificationRulesTab /> },
  { key: 'notificationTemplates', testId: 'admin-notification-templates', render: () => <NotificationTemplatesTab /> },
];

export default function AdminPage() {
  const { t } = useTranslation(ADMIN_NS);
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const active = TABS.some((tab) => tab.key === params.get('tab')) ? (params.get('tab') as string) : 'users';
  if (!hasRole(session, 'tenant-admin')) return <Result status="403" subTitle={t('common.forbidden')} />;
  return (
    <>
      <Typography.Title level={3}>{t('title')}</Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => setParams({ tab: key })}
        destroyOnHidden
        items={TABS.map((tab) => ({
          key: tab.key,
          label: <span data-testid={`${tab.testId}-tab`}>{t(`tabs.${tab.key}`)}</span>,
          children: <div data-testid={tab.testId}>{tab.key === active && tab.render()}</div>,
        }))}
      />
    </>
  );
}
