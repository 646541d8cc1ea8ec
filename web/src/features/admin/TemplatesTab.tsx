// The ITSM templates (incident, request, change, ...) and the tenant's copy of each: its deployed
// version beside the template's release. "Customise" opens the tenant's copy in the designer;
// "Compare with template" lists the elements the copy added, removed or changed; "Reset to
// template" deploys the template as a new version (running tickets keep theirs). A newer template
// release is offered with a badge, never installed by itself.
import type { TemplateDiff, TemplateStatus } from '@serviceloom/contracts';
import { Alert, Badge, Button, Empty, Flex, List, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useToast } from '../../shell/toast.ts';
import { adminApi, errorText } from './adminApi.ts';
import { ADMIN_NS } from './i18n.ts';
import { useLoad } from './shared.ts';

type Row = TemplateStatus;
type Diff = TemplateDiff;

export function TemplatesTab() {
  const { t, i18n } = useTranslation(ADMIN_NS);
  const toast = useToast();
  const list = useLoad(() => adminApi.templates());
  const [diff, setDiff] = useState<{ row: Row; diff?: Diff; error?: string }>();
  const [resetting, setResetting] = useState<Row>();
  const [busy, setBusy] = useState(false);
  const name = (r: Row) => (i18n.language === 'zh-CN' ? r.name['zh-CN'] : r.name.en);

  const compare = async (row: Row) => {
    setDiff({ row });
    try {
      setDiff({ row, diff: await adminApi.templateDiff(row.key) });
    } catch (e) {
      setDiff({ row, error: errorText(e) });
    }
  };

  const reset = async () => {
    if (!resetting) return;
    setBusy(true);
    try {
      const done = await adminApi.resetTemplate(resetting.key);
      toast.success(done.created ? t('templates.resetDone', { version: done.version }) : t('templates.resetSame'));
      setResetting(undefined);
      list.reload();
    } catch (e) {
      toast.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap="middle">
      <Typography.Paragraph type="secondary">{t('templates.intro')}</Typography.Paragraph>
      {list.error && <Alert type="error" showIcon title={t('common.loadFailed', { message: list.error })} />}
      <Table<Row>
        rowKey="key"
        size="middle"
        pagination={false}
        loading={list.loading}
        dataSource={list.data ?? []}
        onRow={(r) => ({ 'data-testid': `template-${r.key}` }) as object}
        columns={[
          {
            title: t('templates.name'),
            key: 'name',
            render: (_, r) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{name(r)}</Typography.Text>
                <Typography.Text type="secondary" code>
                  {r.key}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('templates.yours'),
            key: 'yours',
            render: (_, r) =>
              r.deployedVersion === null ? (
                <Tag>{t('templates.notDeployed')}</Tag>
              ) : (
                <Space size={4} wrap>
                  <span data-testid="template-deployed">v{r.deployedVersion}</span>
                  {r.customised ? (
                    <Tag color="gold">{t('templates.customised')}</Tag>
                  ) : (
                    <Tag color="green">{t('templates.asTemplate')}</Tag>
                  )}
                </Space>
              ),
          },
          {
            title: t('templates.release'),
            key: 'release',
            render: (_, r) => (
              <Space size={4} wrap>
                <span>{t('templates.releaseN', { version: r.templateVersion })}</span>
                {r.basedOn !== null && r.basedOn !== r.templateVersion && (
                  <Typography.Text type="secondary">{t('templates.basedOn', { version: r.basedOn })}</Typography.Text>
                )}
                {r.upgradeAvailable && (
                  <Badge
                    status="processing"
                    text={t('templates.upgrade')}
                    data-testid="template-upgrade"
                    title={t('templates.upgradeHint')}
                  />
                )}
              </Space>
            ),
          },
          {
            title: '',
            key: 'actions',
            align: 'right',
            render: (_, r) => (
              <Space wrap>
                <Link to={`/designer/${encodeURIComponent(r.key)}`} data-testid="template-customise">
                  <Button size="small">{t('templates.customise')}</Button>
                </Link>
                <Button size="small" disabled={r.deployedVersion === null} onClick={() => void compare(r)} data-testid="template-compare">
                  {t('templates.compare')}
                </Button>
                <Button
                  size="small"
                  type={r.upgradeAvailable ? 'primary' : 'default'}
                  danger={!r.upgradeAvailable && r.customised}
                  // A copy that already is the template has nothing to reset.
                  disabled={r.deployedVersion !== null && !r.customised && !r.upgradeAvailable}
                  onClick={() => setResetting(r)}
                  data-testid="template-reset"
                >
                  {r.upgradeAvailable ? t('templates.upgradeTo', { version: r.templateVersion }) : t('templates.reset')}
                </Button>
              </Space>
            ),
          },
        ]}
      />

      <Modal
        open={diff !== undefined}
        title={diff ? t('templates.compareTitle', { name: name(diff.row) }) : ''}
        onCancel={() => setDiff(undefined)}
        footer={<Button onClick={() => setDiff(undefined)}>{t('templates.close')}</Button>}
        width={720}
        destroyOnHidden
      >
        <div data-testid="template-diff">
          {diff?.error && <Alert type="error" showIcon title={diff.error} />}
          {diff && !diff.diff && !diff.error && <Typography.Text type="secondary">…</Typography.Text>}
          {diff?.diff && <DiffView diff={diff.diff} />}
        </div>
      </Modal>

      <Modal
        open={resetting !== undefined}
        title={resetting ? t('templates.resetTitle', { name: name(resetting) }) : ''}
        onCancel={() => setResetting(undefined)}
        onOk={() => void reset()}
        okText={t('templates.resetConfirm')}
        okButtonProps={{ danger: resetting?.customised, ...({ 'data-testid': 'template-reset-confirm' } as object) }}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
      >
        {resetting && (
          <Typography.Paragraph>
            {t('templates.resetText', { version: resetting.templateVersion })}
            {resetting.customised && (
              <>
                {' '}
                <Typography.Text type="warning">{t('templates.resetLoses')}</Typography.Text>
              </>
            )}
          </Typography.Paragraph>
        )}
      </Modal>
    </Flex>
  );
}

/** The differences in three lists, each element by its name (and kind), its id below. */
function DiffView({ diff }: { diff: Diff }) {
  const { t } = useTranslation(ADMIN_NS);
  const same = diff.added.length + diff.removed.length + diff.changed.length === 0;
  const kind = (type: string) => type.replace(/^bpmn:/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
  const section = (key: 'added' | 'removed' | 'changed', color: string) =>
    diff[key].length > 0 && (
      <div data-testid={`template-diff-${key}`}>
        <Typography.Title level={5}>
          <Tag color={color}>{t(`templates.${key}`, { count: diff[key].length })}</Tag>
        </Typography.Title>
        <List
          size="small"
          dataSource={diff[key]}
          renderItem={(e) => (
            <List.Item>
              <List.Item.Meta
                title={e.name || e.id}
                description={
                  <>
                    {kind(e.type)} · <Typography.Text code>{e.id}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </div>
    );
  return (
    <Flex vertical gap="small">
      <Typography.Text type="secondary">
        {t('templates.compareWhat', { deployed: diff.deployedVersion, template: diff.templateVersion })}
      </Typography.Text>
      {same ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('templates.same')} />
      ) : (
        <>
          {section('changed', 'gold')}
          {section('added', 'green')}
          {section('removed', 'red')}
        </>
      )}
    </Flex>
  );
}
