// /forms: the tenant's forms (published version, draft, last change) and a new form.
import { PlusOutlined } from '@ant-design/icons';
import { type FormDocument, formBuilderResources, type Localized, pick, toSchema } from '@serviceloom/form-builder';
import { Alert, Button, Empty, Flex, Form, Input, Modal, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api.ts';
import { registerResources } from '../../i18n.ts';
import { errorSentence } from '../../shell/errors.ts';
import { useFormat } from '../../shell/format.ts';
import { formKeyProblem } from './form-key.ts';
import { type FormSummary, formsApi } from './formsApi.ts';

registerResources(formBuilderResources);

const emptyForm = (): FormDocument => toSchema({ sections: [{ id: 'main', columns: 1, fields: [] }] });

interface NewForm {
  key: string;
  name?: string;
  nameZh?: string;
}

function NewFormDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('formBuilder');
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const create = async ({ key, name = '', nameZh = '' }: NewForm) => {
    const labels: Localized = { ...(name ? { en: name } : {}), ...(nameZh ? { 'zh-CN': nameZh } : {}) };
    try {
      await formsApi.create(key, name || nameZh || key, labels, emptyForm());
      navigate(`/forms/${encodeURIComponent(key)}`);
    } catch (err) {
      setError(t('error.save', { message: errorSentence(t, err) }));
    }
  };
  return (
    <Modal open={open} title={t('pages.newForm')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form<NewForm> layout="vertical" onFinish={create} requiredMark={false}>
        <Form.Item
          label={t('pages.key')}
          name="key"
          extra={t('pages.keyHint')}
          rules={[
            {
              validator: (_rule, value: string | undefined) => {
                const problem = formKeyProblem(value ?? '');
                return problem ? Promise.reject(new Error(t(`forms.${problem}`, { ns: 'app' }))) : Promise.resolve();
              },
            },
          ]}
        >
          <Input data-testid="forms-new-key" autoFocus />
        </Form.Item>
        <Form.Item label={t('pages.name')} name="name">
          <Input data-testid="forms-new-name" />
        </Form.Item>
        <Form.Item label={t('pages.nameZh')} name="nameZh">
          <Input data-testid="forms-new-name-zh" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} className="dialog-error" />}
        <Flex gap="small" justify="end">
          <Button onClick={onClose}>{t('pages.cancel')}</Button>
          <Button type="primary" htmlType="submit" data-testid="forms-new-create">
            {t('pages.create')}
          </Button>
        </Flex>
      </Form>
    </Modal>
  );
}

export function FormsListPage() {
  const { t, i18n } = useTranslation('formBuilder');
  const format = useFormat();
  const [forms, setForms] = useState<FormSummary[]>();
  const [error, setError] = useState<string>();
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    formsApi
      .list()
      .then(setForms)
      .catch((e) =>
        setError(e instanceof ApiError && e.status === 403 ? t('pages.forbidden') : t('error.load', { message: errorSentence(t, e) })),
      );
  }, [t]);

  const lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  return (
    <section className="forms">
      <Flex className="page-header" justify="space-between" align="center">
        <Typography.Title level={3}>{t('pages.formsTitle')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} data-testid="forms-new" onClick={() => setCreating(true)}>
          {t('pages.newForm')}
        </Button>
      </Flex>
      <NewFormDialog open={creating} onClose={() => setCreating(false)} />
      {error && <Alert type="error" showIcon title={error} />}
      {!forms && !error && <Spin description={t('pages.loading')} />}
      {forms?.length === 0 && <Empty description={t('pages.empty')} />}
      {forms && forms.length > 0 && (
        <div data-testid="forms-list">
          <Table<FormSummary>
            rowKey="key"
            size="middle"
            dataSource={forms}
            pagination={forms.length > 20 ? { pageSize: 20 } : false}
            onRow={(f) => ({ 'data-testid': `form-row-${f.key}` }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              {
                title: t('pages.name'),
                render: (_, f) => <Link to={`/forms/${encodeURIComponent(f.key)}`}>{pick(f.labels, lang, f.name)}</Link>,
              },
              { title: t('pages.key'), render: (_, f) => <Typography.Text code>{f.key}</Typography.Text> },
              {
                title: t('pages.latest'),
                render: (_, f) => (f.latestVersion ? <Tag color="green">v{f.latestVersion}</Tag> : <Tag>{t('pages.none')}</Tag>),
              },
              { title: t('pages.draft'), render: (_, f) => (f.hasDraft ? <Tag color="blue">{t('pages.draft')}</Tag> : null) },
              { title: t('pages.updated'), render: (_, f) => format.dateTime(f.updatedAt) },
            ]}
          />
        </div>
      )}
    </section>
  );
}

export default FormsListPage;
