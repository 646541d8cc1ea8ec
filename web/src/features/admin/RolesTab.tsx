// The fixed roles, what each may do, and who holds it (read-only: roles are granted on users).
import type { User } from '@serviceloom/contracts';
import { Flex, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { adminApi } from './adminApi.ts';
import { ADMIN_NS } from './i18n.ts';
import { ROLES, useLoad } from './shared.ts';

export function RolesTab() {
  const { t } = useTranslation(ADMIN_NS);
  const users = useLoad(() => adminApi.users());
  const holders = (role: string) => (users.data ?? []).filter((u: User) => u.roles.includes(role));
  return (
    <Flex vertical gap="middle">
      <Typography.Paragraph type="secondary">{t('roles.intro')}</Typography.Paragraph>
      <Table
        rowKey="role"
        size="middle"
        pagination={false}
        loading={users.loading}
        dataSource={ROLES.map((role) => ({ role }))}
        columns={[
          { title: t('roles.role'), dataIndex: 'role', render: (r: string) => <Tag color="blue">{r}</Tag> },
          { title: t('roles.may'), dataIndex: 'role', key: 'may', render: (r: string) => t(`roles.${r}`) },
          {
            title: t('roles.holders'),
            dataIndex: 'role',
            key: 'holders',
            render: (r: string) =>
              holders(r)
                .map((u) => u.username)
                .join(', ') || t('common.none'),
          },
        ]}
      />
    </Flex>
  );
}
