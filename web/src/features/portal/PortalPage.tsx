// The requester portal (/portal): the service catalog with search and categories, and "report an
// incident" with a form in plain language (who is affected, how urgent) that becomes impact and
// urgency. A server without a catalog yet still offers the incident card.
import { AlertOutlined, AppstoreOutlined, ProfileOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Form, Input, Modal, Radio, Result, Row, Segmented, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { type CatalogItem, catalogApi, ticketsApi } from '../tickets/api.ts';
import { errorText, useItsm } from '../tickets/components.tsx';
import { RequestDialog } from './RequestDialog.tsx';

const CATEGORIES = ['hardware', 'software', 'network', 'access', 'other'] as const;

export default function PortalPage() {
  const { t } = useItsm();
  const [catalog, setCatalog] = useState<CatalogItem[] | null>();
  const [catalogError, setCatalogError] = useState<string>();
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState<string>('');
  const [reporting, setReporting] = useState(false);
  const [requesting, setRequesting] = useState<CatalogItem>();

  useEffect(() => {
    catalogApi
      .list()
      .then((items) => setCatalog(items ?? null))
      .catch((e) => {
        setCatalog(null);
        setCatalogError(errorText(e));
      });
  }, []);

  const categories = useMemo(() => [...new Set((catalog ?? []).map((i) => i.category).filter(Boolean) as string[])].sort(), [catalog]);
  const shown = useMemo(() => {
    const term = search.trim().toLowerCase();
    return (catalog ?? []).filter(
      (i) =>
        (!category || i.category === category) &&
        (!term || `${i.name} ${i.description ?? ''} ${i.category ?? ''}`.toLowerCase().includes(term)),
    );
  }, [catalog, search, category]);

  return (
    <section data-testid="portal">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <div>
          <Typography.Title level={3} style={{ marginBottom: 0 }}>
            {t('portal.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('portal.subtitle')}</Typography.Text>
        </div>
        <Link to="/portal/requests" data-testid="portal-my-requests">
          <Button icon={<ProfileOutlined />}>{t('portal.myRequests')}</Button>
        </Link>
      </Space>

      <Card
        hoverable
        style={{ marginTop: 16, borderColor: '#ffccc7', background: '#fff2f0' }}
        onClick={() => setReporting(true)}
        data-testid="portal-new-incident"
        role="button"
        tabIndex={0}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            setReporting(true);
          }
        }}
      >
        <Space size="large">
          <AlertOutlined style={{ fontSize: 32, color: '#cf1322' }} />
          <div>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('portal.newIncident')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('portal.newIncidentText')}</Typography.Text>
          </div>
        </Space>
      </Card>

      <div data-testid="portal-catalog" style={{ marginTop: 24 }}>
        <Space style={{ marginBottom: 12 }} wrap>
          {catalog && (
            <Input
              allowClear
              prefix={<SearchOutlined />}
              placeholder={t('portal.search')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              style={{ width: 280 }}
              data-testid="portal-search"
            />
          )}
          {categories.length > 0 && (
            <Segmented
              value={category}
              onChange={(v) => setCategory(String(v))}
              options={[{ value: '', label: t('portal.all') }, ...categories.map((c) => ({ value: c, label: c }))]}
              data-testid="portal-categories"
            />
          )}
        </Space>
        {catalog === null && <Alert type="info" showIcon title={catalogError ?? t('portal.catalogMissing')} />}
        {catalog && shown.length === 0 && <Empty description={t('portal.noItems')} />}
        <Row gutter={[16, 16]}>
          {shown.map((item) => (
            <Col key={item.key} xs={24} sm={12} lg={8} xxl={6}>
              <Card
                size="small"
                hoverable
                data-testid={`portal-item-${item.key}`}
                onClick={() => setRequesting(item)}
                role="button"
                tabIndex={0}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    setRequesting(item);
                  }
                }}
                title={
                  <Space>
                    <AppstoreOutlined />
                    {item.name}
                  </Space>
                }
                extra={item.category}
              >
                <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ minHeight: 44 }}>
                  {item.description}
                </Typography.Paragraph>
              </Card>
            </Col>
          ))}
        </Row>
      </div>

      <ReportIncident open={reporting} onClose={() => setReporting(false)} />
      <RequestDialog item={requesting} onClose={() => setRequesting(undefined)} />
    </section>
  );
}

interface IncidentForm {
  title: string;
  description?: string;
  impact: number;
  urgency: number;
  category?: string;
}

function ReportIncident({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useItsm();
  const [form] = Form.useForm<IncidentForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<string>();

  const submit = async () => {
    let values: IncidentForm;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const ticket = await ticketsApi.create({
        type: 'incident',
        title: values.title.trim(),
        ...(values.description ? { description: values.description } : {}),
        impact: values.impact,
        urgency: values.urgency,
        ...(values.category ? { category: values.category } : {}),
      });
      setCreated(ticket.number);
      form.resetFields();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setCreated(undefined);
    setError(undefined);
    onClose();
  };

  return (
    <Modal
      open={open}
      onCancel={close}
      title={t('portal.newIncident')}
      width={640}
      destroyOnHidden
      footer={
        created
          ? [
              <Button key="another" onClick={() => setCreated(undefined)}>
                {t('portal.another')}
              </Button>,
              <Link key="view" to={`/tickets/${created}`}>
                <Button type="primary">{t('portal.view')}</Button>
              </Link>,
            ]
          : [
              <Button key="cancel" onClick={close}>
                {t('common.cancel')}
              </Button>,
              <Button key="submit" type="primary" loading={busy} onClick={submit} data-testid="portal-submit">
                {t('common.submit')}
              </Button>,
            ]
      }
    >
      {created ? (
        <Result
          status="success"
          title={
            <span data-testid="portal-created" data-number={created}>
              {t('portal.created', { number: created })}
            </span>
          }
          subTitle={<Link to="/portal/requests">{t('portal.createdHint')}</Link>}
        />
      ) : (
        <Form form={form} layout="vertical" initialValues={{ impact: 3, urgency: 3 }} onFinish={submit}>
          <Form.Item
            name="title"
            label={t('portal.formTitle')}
            rules={[{ required: true, whitespace: true, message: t('portal.titleRequired') }]}
          >
            <Input maxLength={300} autoFocus data-testid="portal-title" />
          </Form.Item>
          <Form.Item name="description" label={t('portal.formDescription')}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} data-testid="portal-description" />
          </Form.Item>
          <Form.Item name="impact" label={t('portal.impact')}>
            <Radio.Group data-testid="portal-impact">
              <Space direction="vertical">
                {[3, 2, 1].map((n) => (
                  <Radio key={n} value={n}>
                    {t(`portal.impact${n}`)}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="urgency" label={t('portal.urgency')}>
            <Radio.Group data-testid="portal-urgency">
              <Space direction="vertical">
                {[3, 2, 1].map((n) => (
                  <Radio key={n} value={n}>
                    {t(`portal.urgency${n}`)}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="category" label={t('portal.category')}>
            <Select
              allowClear
              data-testid="portal-category"
              options={CATEGORIES.map((c) => ({ value: c, label: t(`portal.categories.${c}`) }))}
            />
          </Form.Item>
        </Form>
      )}
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
