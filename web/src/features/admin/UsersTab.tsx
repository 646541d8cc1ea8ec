// Users of the tenant: a table with search, and a drawer to create or edit one (roles, groups,
// manager, e-mail, language, time zone, password, disabled). The server enforces every rule (a
// manager of the same tenant, no loops, unique e-mail, roles the admin holds); refusals show next
// to the field they name.
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Group, User } from '@serviceloom/contracts';
import type { TableColumnsType } from 'antd';
import { Alert, Button, Drawer, Flex, Form, Input, Popconfirm, Select, Switch, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useToast } from '../../shell/toast.ts';
import { adminApi, errorText, showFieldErrors } from './adminApi.ts';
import { ADMIN_NS } from './i18n.ts';
import { LOCALE_OPTIONS, ROLES, TIME_ZONES, useLoad } from './shared.ts';

interface UserForm {
  username: string;
  displayName?: string;
  email?: string;
  password?: string;
  roles: string[];
  groups: string[];
  managerId?: string | null;
  locale?: 'zh-CN' | 'en' | null;
  timezone?: string | null;
  disabled?: boolean;
}

export function UsersTab() {
  const { t } = useTranslation(ADMIN_NS);
  const users = useLoad(() => adminApi.users());
  const groups = useLoad(() => adminApi.groups());
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<User | 'new'>();
  const byId = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u])), [users.data]);
  const shown = (users.data ?? []).filter((u) =>
    [u.username, u.displayName, u.email].some((v) => v?.toLowerCase().includes(query.trim().toLowerCase())),
  );

  const columns: TableColumnsType<User> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      sorter: (a, b) => a.username.localeCompare(b.username),
      render: (_, u) => (
        <Flex vertical>
          <Typography.Link onClick={() => setEditing(u)} data-testid={`user-edit-${u.username}`}>
            {u.username}
          </Typography.Link>
          {u.displayName && <Typography.Text type="secondary">{u.displayName}</Typography.Text>}
        </Flex>
      ),
    },
    { title: t('users.email'), dataIndex: 'email', render: (v: string | null) => v ?? t('common.none') },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      filters: ROLES.map((r) => ({ text: r, value: r })),
      onFilter: (value, u) => u.roles.includes(value as string),
      render: (roles: string[]) => (
        <Flex wrap gap={4} style={{ maxWidth: 240 }}>
          {roles.map((r) => (
            <Tag key={r} style={{ marginInlineEnd: 0 }}>
              {r}
            </Tag>
          ))}
        </Flex>
      ),
    },
    { title: t('users.groups'), dataIndex: 'groups', render: (gs: string[]) => gs.join(', ') || t('common.none') },
    {
      title: t('users.manager'),
      dataIndex: 'managerId',
      render: (id: string | null) => (id ? (byId.get(id)?.username ?? id) : t('common.none')),
    },
    { title: t('users.locale'), dataIndex: 'locale', render: (v: string | null) => v ?? t('common.none') },
    { title: t('users.timezone'), dataIndex: 'timezone', render: (v: string | null) => v ?? t('common.none') },
    {
      title: t('users.status'),
      key: 'status',
      render: (_, u) =>
        u.disabled ? (
          <Tag color="red">{t('users.disabled')}</Tag>
        ) : u.lockedUntil && new Date(u.lockedUntil) > new Date() ? (
          <Tag color="orange">{t('users.locked')}</Tag>
        ) : (
          <Tag color="green">{t('users.active')}</Tag>
        ),
    },
  ];

  return (
    <Flex vertical gap="middle">
      <Flex gap="small" justify="space-between">
        <Input.Search allowClear placeholder={t('users.search')} onChange={(e) => setQuery(e.target.value)} style={{ maxWidth: 320 }} />
        <Flex gap="small">
          <Button icon={<ReloadOutlined />} onClick={users.reload}>
            {t('common.refresh')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="user-new">
            {t('common.create')}
          </Button>
        </Flex>
      </Flex>
      {users.error && <Alert type="error" title={t('common.loadFailed', { message: users.error })} />}
      <Table<User>
        rowKey="id"
        size="middle"
        loading={users.loading}
        columns={columns}
        dataSource={shown}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(u) => ({ 'data-testid': `user-row-${u.username}` }) as HTMLAttributes<HTMLElement>}
        scroll={{ x: 'max-content' }}
      />
      {editing && (
        <UserDrawer
          user={editing === 'new' ? undefined : editing}
          users={users.data ?? []}
          groups={groups.data ?? []}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            users.reload();
          }}
        />
      )}
    </Flex>
  );
}

function UserDrawer({
  user,
  users,
  groups,
  onClose,
  onSaved,
}: {
  user: User | undefined;
  users: User[];
  groups: Group[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation(ADMIN_NS);
  const toast = useToast();
  const [form] = Form.useForm<UserForm>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string>();
  const initial: UserForm = user
    ? {
        username: user.username,
        displayName: user.displayName ?? '',
        email: user.email ?? '',
        roles: user.roles,
        groups: user.groups,
        managerId: user.managerId,
        locale: user.locale,
        timezone: user.timezone,
        disabled: user.disabled,
      }
    : { username: '', roles: ['requester'], groups: [] };

  const save = async (v: UserForm) => {
    setSaving(true);
    setFailure(undefined);
    const profile = {
      email: v.email?.trim() ? v.email.trim() : null,
      managerId: v.managerId ?? null,
      locale: v.locale ?? null,
      timezone: v.timezone ?? null,
    };
    try {
      if (user) {
        await adminApi.updateUser(user.id, {
          displayName: v.displayName?.trim() ? v.displayName.trim() : null,
          roles: v.roles,
          groups: v.groups,
          disabled: Boolean(v.disabled),
          ...profile,
          ...(v.password ? { password: v.password } : {}),
        });
      } else {
        await adminApi.createUser({
          username: v.username.trim(),
          ...(v.displayName?.trim() ? { displayName: v.displayName.trim() } : {}),
          ...(v.password ? { password: v.password } : {}),
          roles: v.roles,
          groups: v.groups,
          ...profile,
        });
      }
      toast.success(t('common.saved'));
      onSaved();
    } catch (e) {
      showFieldErrors(form, e);
      setFailure(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!user) return;
    try {
      await adminApi.deleteUser(user.id);
      toast.success(t('common.deleted'));
      onSaved();
    } catch (e) {
      setFailure(errorText(e));
    }
  };

  const unlock = async () => {
    if (!user) return;
    try {
      await adminApi.updateUser(user.id, { unlock: true });
      toast.success(t('common.saved'));
      onSaved();
    } catch (e) {
      setFailure(errorText(e));
    }
  };

  const locked = user?.lockedUntil && new Date(user.lockedUntil) > new Date();
  return (
    <Drawer
      open
      size="large"
      title={user ? t('users.editTitle', { username: user.username }) : t('users.createTitle')}
      onClose={onClose}
      destroyOnHidden
      data-testid="user-drawer"
      extra={
        <Flex gap="small">
          {user && (
            <Popconfirm title={t('common.confirmDelete', { name: user.username })} onConfirm={remove}>
              <Button danger data-testid="user-delete">
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="user-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {failure && <Alert type="error" title={failure} style={{ marginBottom: 16 }} data-testid="user-error" />}
      {user?.identityProvider && (
        <Alert type="info" title={t('users.sso', { provider: user.identityProvider })} style={{ marginBottom: 16 }} />
      )}
      <Form<UserForm> form={form} layout="vertical" initialValues={initial} onFinish={save} requiredMark="optional">
        <Form.Item name="username" label={t('users.username')} rules={[{ required: true, max: 200 }]}>
          <Input disabled={Boolean(user)} autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ max: 200 }]}>
          <Input data-testid="user-display-name" />
        </Form.Item>
        <Form.Item name="email" label={t('users.email')} rules={[{ type: 'email', message: t('users.emailInvalid') }, { max: 254 }]}>
          <Input type="email" autoComplete="off" data-testid="user-email" />
        </Form.Item>
        <Form.Item
          name="password"
          label={user ? t('users.passwordNew') : t('users.password')}
          extra={t('users.passwordHint')}
          rules={[{ min: 8 }]}
        >
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
        <Form.Item name="roles" label={t('users.roles')}>
          <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: r }))} data-testid="user-roles" />
        </Form.Item>
        <Form.Item name="groups" label={t('users.groups')}>
          <Select
            mode="multiple"
            optionFilterProp="label"
            options={groups.map((g) => ({ value: g.id, label: `${g.name} (${g.id})` }))}
            data-testid="user-groups"
          />
        </Form.Item>
        <Form.Item name="managerId" label={t('users.manager')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={users
              .filter((u) => u.id !== user?.id)
              .map((u) => ({ value: u.id, label: u.displayName ? `${u.displayName} (${u.username})` : u.username }))}
            data-testid="user-manager"
          />
        </Form.Item>
        <Flex gap="middle">
          <Form.Item name="locale" label={t('users.locale')} style={{ flex: 1 }}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('users.localeDefault')}
              options={[...LOCALE_OPTIONS]}
              data-testid="user-locale"
            />
          </Form.Item>
          <Form.Item name="timezone" label={t('users.timezone')} style={{ flex: 1 }}>
            <Select
              allowClear
              showSearch
              placeholder={t('users.localeDefault')}
              options={TIME_ZONES.map((z) => ({ value: z, label: z }))}
              data-testid="user-timezone"
            />
          </Form.Item>
        </Flex>
        {user && (
          <Form.Item name="disabled" label={t('users.disable')} valuePropName="checked">
            <Switch data-testid="user-disabled" />
          </Form.Item>
        )}
        {locked && (
          <Button onClick={unlock} data-testid="user-unlock">
            {t('users.unlock')}
          </Button>
        )}
      </Form>
    </Drawer>
  );
}
