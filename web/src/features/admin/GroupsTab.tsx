// Groups of the tenant with their manager and members: create, rename, set the manager, add and
// remove members, delete. User tasks offer themselves to a group's members (sl:candidateGroups).
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Group, User } from '@serviceloom/contracts';
import type { TableColumnsType } from 'antd';
import { Alert, Button, Drawer, Flex, Form, Input, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useToast } from '../../shell/toast.ts';
import { adminApi, errorText, showFieldErrors } from './adminApi.ts';
import { ADMIN_NS } from './i18n.ts';
import { useLoad } from './shared.ts';

const GROUP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const userLabel = (u: User) => (u.displayName ? `${u.displayName} (${u.username})` : u.username);

export function GroupsTab() {
  const { t } = useTranslation(ADMIN_NS);
  const groups = useLoad(() => adminApi.groups());
  const users = useLoad(() => adminApi.users());
  const [editing, setEditing] = useState<Group | 'new'>();
  const byId = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u])), [users.data]);

  const columns: TableColumnsType<Group> = [
    {
      title: t('groups.id'),
      dataIndex: 'id',
      render: (id: string, g) => (
        <Typography.Link onClick={() => setEditing(g)} data-testid={`group-edit-${id}`}>
          {id}
        </Typography.Link>
      ),
    },
    { title: t('groups.name'), dataIndex: 'name' },
    {
      title: t('groups.manager'),
      dataIndex: 'managerId',
      render: (id: string | null) => {
        const manager = id ? byId.get(id) : undefined;
        // Until the users are in, a bare id would flash: show nothing yet.
        if (id && users.loading) return null;
        return manager ? userLabel(manager) : (id ?? t('common.none'));
      },
    },
    {
      title: t('groups.members'),
      dataIndex: 'members',
      render: (members: Group['members']) => members.map((m) => <Tag key={m.id}>{m.username}</Tag>),
    },
  ];

  return (
    <Flex vertical gap="middle">
      <Flex gap="small" justify="flex-end">
        <Button icon={<ReloadOutlined />} onClick={groups.reload}>
          {t('common.refresh')}
        </Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="group-new">
          {t('common.create')}
        </Button>
      </Flex>
      {groups.error && <Alert type="error" title={t('common.loadFailed', { message: groups.error })} />}
      <Table<Group>
        rowKey="id"
        size="middle"
        loading={groups.loading}
        columns={columns}
        dataSource={groups.data}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(g) => ({ 'data-testid': `group-row-${g.id}` }) as HTMLAttributes<HTMLElement>}
      />
      {editing && (
        <GroupDrawer
          group={editing === 'new' ? undefined : editing}
          users={users.data ?? []}
          onClose={() => setEditing(undefined)}
          onChanged={(closed) => {
            if (closed) setEditing(undefined);
            groups.reload();
          }}
        />
      )}
    </Flex>
  );
}

function GroupDrawer({
  group: initialGroup,
  users,
  onClose,
  onChanged,
}: {
  group: Group | undefined;
  users: User[];
  onClose: () => void;
  onChanged: (closed: boolean) => void;
}) {
  const { t } = useTranslation(ADMIN_NS);
  const toast = useToast();
  const [form] = Form.useForm<{ id: string; name: string; managerId?: string | null }>();
  const [group, setGroup] = useState(initialGroup);
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [adding, setAdding] = useState<string>();

  const attempt = async (work: () => Promise<unknown>) => {
    setFailure(undefined);
    try {
      await work();
      return true;
    } catch (e) {
      showFieldErrors(form, e);
      setFailure(errorText(e));
      return false;
    }
  };

  const save = async (v: { id: string; name: string; managerId?: string | null }) => {
    setSaving(true);
    const ok = await attempt(() =>
      group
        ? adminApi.updateGroup(group.id, { name: v.name, managerId: v.managerId ?? null })
        : adminApi.createGroup({ id: v.id, name: v.name, managerId: v.managerId ?? null }),
    );
    setSaving(false);
    if (ok) {
      toast.success(t('common.saved'));
      onChanged(true);
    }
  };

  const setMember = async (userId: string, member: boolean) => {
    if (!group) return;
    await attempt(async () => {
      setGroup(member ? await adminApi.addMember(group.id, userId) : await adminApi.removeMember(group.id, userId));
      setAdding(undefined);
      onChanged(false);
    });
  };

  const remove = async () => {
    if (group && (await attempt(() => adminApi.deleteGroup(group.id)))) {
      toast.success(t('common.deleted'));
      onChanged(true);
    }
  };

  const members = new Set(group?.members.map((m) => m.id));
  return (
    <Drawer
      open
      size="large"
      title={group ? t('groups.editTitle', { id: group.id }) : t('groups.createTitle')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Flex gap="small">
          {group && (
            <Popconfirm title={t('common.confirmDelete', { name: group.name })} onConfirm={remove}>
              <Button danger>{t('common.delete')}</Button>
            </Popconfirm>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="group-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {failure && <Alert type="error" title={failure} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={group ? { id: group.id, name: group.name, managerId: group.managerId } : { id: '', name: '' }}
        onFinish={save}
      >
        <Form.Item name="id" label={t('groups.id')} extra={t('groups.idHint')} rules={[{ required: true }, { pattern: GROUP_ID }]}>
          <Input disabled={Boolean(group)} data-testid="group-id" />
        </Form.Item>
        <Form.Item name="name" label={t('groups.name')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="group-name" />
        </Form.Item>
        <Form.Item name="managerId" label={t('groups.manager')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={users.map((u) => ({ value: u.id, label: userLabel(u) }))}
            data-testid="group-manager"
          />
        </Form.Item>
      </Form>
      {group && (
        <>
          <Typography.Title level={5}>{t('groups.members')}</Typography.Title>
          <Flex gap="small" style={{ marginBottom: 12 }}>
            <Select
              style={{ flex: 1 }}
              value={adding}
              onChange={setAdding}
              placeholder={t('groups.addMember')}
              showSearch={{ optionFilterProp: 'label' }}
              options={users.filter((u) => !members.has(u.id)).map((u) => ({ value: u.id, label: userLabel(u) }))}
              data-testid="group-member-pick"
            />
            <Button icon={<PlusOutlined />} disabled={!adding} onClick={() => adding && setMember(adding, true)}>
              {t('groups.addMember')}
            </Button>
          </Flex>
          <Flex wrap gap="small" data-testid="group-members">
            {group.members.map((m) => (
              <Tag
                key={m.id}
                closable
                onClose={(e) => {
                  // The tag goes when the server has removed the member, not before.
                  e.preventDefault();
                  void setMember(m.id, false);
                }}
              >
                {m.username}
              </Tag>
            ))}
          </Flex>
        </>
      )}
    </Drawer>
  );
}
