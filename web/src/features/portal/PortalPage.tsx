// The requester portal (/portal): the service catalog with search and categories, and "report an
// incident" with a form in plain language (who is affected, how urgent) that becomes impact and
// urgency. A server without a catalog yet still offers the incident card.
import { AlertOutlined, AppstoreOutlined, ProfileOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Empty, Input, Row, Segmented, Space, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { type CatalogItem, catalogApi } from '../tickets/api.ts';
import { errorText, useItsm } from '../tickets/components.tsx';
import { Tile } from './Tile.tsx';

// The request dialog renders the item's form (rjsf and its validator): loaded when first opened,
// so that the portal's first load stays small.
const RequestDialog = lazy(() => import('./RequestDialog.tsx').then((m) => ({ default: m.RequestDialog })));
const ReportIncident = lazy(() => import('./ReportIncident.tsx').then((m) => ({ default: m.ReportIncident })));

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

  // The catalog's categories are keys (`software`): shown by their name in the user's language.
  const categoryName = useCallback((c: string | null | undefined) => (c ? t(`portal.categories.${c}`, { defaultValue: c }) : ''), [t]);
  const categories = useMemo(() => [...new Set((catalog ?? []).map((i) => i.category).filter(Boolean) as string[])].sort(), [catalog]);
  const shown = useMemo(() => {
    const term = search.trim().toLowerCase();
    return (catalog ?? []).filter(
      (i) =>
        (!category || i.category === category) &&
        (!term || `${i.name} ${i.description ?? ''} ${categoryName(i.category)}`.toLowerCase().includes(term)),
    );
  }, [catalog, search, category, categoryName]);

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

      <Tile
        style={{ marginTop: 16, padding: 24, borderColor: '#ffccc7', background: '#fff2f0' }}
        onOpen={() => setReporting(true)}
        testId="portal-new-incident"
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
      </Tile>

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
              options={[{ value: '', label: t('portal.all') }, ...categories.map((c) => ({ value: c, label: categoryName(c) }))]}
              data-testid="portal-categories"
            />
          )}
        </Space>
        {catalog === null && <Alert type="info" showIcon title={catalogError ?? t('portal.catalogMissing')} />}
        {catalog && shown.length === 0 && <Empty description={t('portal.noItems')} />}
        <Row gutter={[16, 16]}>
          {shown.map((item) => (
            <Col key={item.key} xs={24} sm={12} lg={8} xxl={6}>
              <Tile className="sl-tile-item" onOpen={() => setRequesting(item)} testId={`portal-item-${item.key}`}>
                <div className="sl-tile-head">
                  <Typography.Text strong ellipsis>
                    <AppstoreOutlined /> {item.name}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ flex: 'none' }}>
                    {categoryName(item.category)}
                  </Typography.Text>
                </div>
                <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ minHeight: 44, marginBottom: 0 }}>
                  {item.description}
                </Typography.Paragraph>
              </Tile>
            </Col>
          ))}
        </Row>
      </div>

      {reporting && (
        <Suspense fallback={null}>
          <ReportIncident open={reporting} onClose={() => setReporting(false)} />
        </Suspense>
      )}
      {requesting && (
        <Suspense fallback={null}>
          <RequestDialog item={requesting} onClose={() => setRequesting(undefined)} />
        </Suspense>
      )}
    </section>
  );
}
