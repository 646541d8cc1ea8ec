// The process list: every key with its versions (who deployed them, when, how many instances run on
// each), its saved draft, and the ways in: a new process or an imported .bpmn file.

import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import type { DefinitionDraft, DefinitionSummary } from '@serviceloom/contracts';
import { designerResources, ImportDialog, type ImportReport } from '@serviceloom/designer/import';
import { Alert, Button, Card, Empty, Flex, Form, Input, Modal, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { registerResources } from '../../i18n.ts';
import { errorSentence } from '../../shell/errors.ts';
import { useFormat } from '../../shell/format.ts';
import { designerApi } from './designerApi.ts';
import { keyProblem, processIdOf } from './new-process.ts';

registerResources(designerResources);

interface Row {
  key: string;
  name: string | null;
  versions: DefinitionSummary[];
  draft?: DefinitionDraft;
}

function NewProcessDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('app');
  const navigate = useNavigate();
  const create = ({ key, name }: { key: string; name?: string }) =>
    navigate(`/designer/${encodeURIComponent(key)}?new=1&name=${encodeURIComponent(name ?? '')}`);
  return (
    <Modal open={open} title={t('processes.new')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form layout="vertical" onFinish={create} requiredMark={false}>
        <Form.Item
          label={t('processes.newKey')}
          name="key"
          extra={t('processes.keyHint')}
          rules={[
            {
              validator: (_rule, value: string | undefined) => {
                const problem = keyProblem(value ?? '');
                return problem ? Promise.reject(new Error(t(`processes.${problem}`))) : Promise.resolve();
              },
            },
          ]}
        >
          <Input data-testid="designer-new-key" autoFocus />
        </Form.Item>
        <Form.Item label={t('processes.newName')} name="name">
          <Input data-testid="designer-new-name" />
        </Form.Item>
        <Flex gap="small" justify="end">
          <Button onClick={onClose}>{t('processes.cancel')}</Button>
          <Button type="primary" htmlType="submit" data-testid="designer-new-create">
            {t('processes.create')}
          </Button>
        </Flex>
      </Form>
    </Modal>
  );
}

export function DesignerListPage() {
  const { t } = useTranslation('app');
  const format = useFormat();
  const navigate = useNavigate();
  const [rows, setRows] = useState<Row[]>();
  const [error, setError] = useState<string>();
  const [creating, setCreating] = useState(false);
  const file = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (async () => {
      const latest = await designerApi.latest();
      const drafts = await designerApi.drafts().catch((): DefinitionDraft[] => []);
      const byKey = new Map<string, Row>();
      for (const d of latest) {
        const versions = await designerApi.versions(d.key);
        byKey.set(d.key, { key: d.key, name: d.name, versions: [...versions].reverse() });
      }
      for (const draft of drafts) {
        const row = byKey.get(draft.key) ?? { key: draft.key, name: null, versions: [] };
        byKey.set(draft.key, { ...row, draft });
      }
      setRows([...byKey.values()].sort((a, b) => a.key.localeCompare(b.key)));
    })().catch((e) => setError(t('error.load', { message: errorSentence(t, e) })));
  }, [t]);

  // The file is checked by the importer first; its owner reads the report, then opens it (or not).
  const [importing, setImporting] = useState<{ name: string; xml: string; report?: ImportReport; error?: string }>();
  const importFile = async (f: File) => {
    const xml = await f.text();
    setImporting({ name: f.name, xml });
    try {
      const report = await designerApi.importCheck(xml);
      setImporting((now) => (now?.xml === xml ? { ...now, report } : now));
    } catch (e) {
      setImporting((now) => (now?.xml === xml ? { ...now, error: errorSentence(t, e) } : now));
    }
  };
  const openImported = () => {
    if (!importing) return;
    const { xml, name, report } = importing;
    const id = report?.processId ?? processIdOf(xml) ?? name.replace(/\.(bpmn|xml)$/i, '');
    setImporting(undefined);
    navigate(`/designer/${encodeURIComponent(id)}`, { state: { xml, report } });
  };

  return (
    <section className="processes">
      <Flex className="page-header" justify="space-between" align="center">
        <Typography.Title level={3}>{t('processes.title')}</Typography.Title>
        <Space>
          <Button type="primary" icon={<PlusOutlined />} data-testid="designer-new" onClick={() => setCreating(true)}>
            {t('processes.new')}
          </Button>
          <Button icon={<ImportOutlined />} onClick={() => file.current?.click()}>
            {t('processes.import')}
          </Button>
          <input
            ref={file}
            hidden
            type="file"
            accept=".bpmn,.xml"
            data-testid="designer-import-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void importFile(f);
              e.target.value = '';
            }}
          />
        </Space>
      </Flex>
      <NewProcessDialog open={creating} onClose={() => setCreating(false)} />
      {importing && (
        <ImportDialog
          fileName={importing.name}
          report={importing.report}
          error={importing.error}
          onCancel={() => setImporting(undefined)}
          onOpen={openImported}
        />
      )}
      {error && <Alert type="error" showIcon title={error} />}
      {!rows && !error && <Spin />}
      {rows?.length === 0 && <Empty description={t('processes.empty')} />}
      {rows?.map((row) => (
        <Card
          key={row.key}
          size="small"
          className="process-card"
          data-testid={`process-${row.key}`}
          title={
            <Space>
              {row.name ?? row.versions[0]?.name ?? row.key}
              <Typography.Text code>{row.key}</Typography.Text>
            </Space>
          }
          extra={
            <Space>
              <Typography.Text type="secondary">
                {row.draft
                  ? t('processes.draft', { when: format.dateTime(row.draft.updatedAt), who: row.draft.updatedBy ?? '?' })
                  : t('processes.noDraft')}
              </Typography.Text>
              <Link to={`/designer/${encodeURIComponent(row.key)}`} data-testid={`edit-${row.key}`}>
                {t('processes.edit')}
              </Link>
            </Space>
          }
        >
          {row.versions.length > 0 && (
            <div data-testid={`versions-${row.key}`}>
              <Table<DefinitionSummary>
                size="small"
                pagination={false}
                rowKey="id"
                dataSource={row.versions}
                onRow={(v) => ({ 'data-testid': `version-${row.key}-${v.version}` }) as React.HTMLAttributes<HTMLElement>}
                columns={[
                  { title: t('processes.version'), render: (_, v) => <Tag>v{v.version}</Tag> },
                  { title: t('processes.deployedBy'), render: (_, v) => v.deployedBy ?? '—' },
                  { title: t('processes.deployedAt'), render: (_, v) => format.dateTime(v.deployedAt) },
                  {
                    title: t('processes.running'),
                    align: 'right',
                    render: (_, v) => <span data-testid="running-count">{v.instances ? format.number(v.instances.active) : '—'}</span>,
                  },
                  { title: t('processes.total'), align: 'right', render: (_, v) => (v.instances ? format.number(v.instances.total) : '—') },
                  {
                    key: 'open',
                    render: (_, v) => (
                      <Link to={`/designer/${encodeURIComponent(row.key)}?version=${v.version}`}>{t('processes.open')}</Link>
                    ),
                  },
                ]}
              />
            </div>
          )}
        </Card>
      ))}
    </section>
  );
}

export default DesignerListPage;
