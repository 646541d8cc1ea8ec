// Placeholder until the myRequests page is built (issue 12).
import { Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export default function MyRequestsPage() {
  const { t } = useTranslation('app');
  return (
    <section data-testid="placeholder-myRequests">
      <Typography.Title level={3}>{t('nav.myRequests')}</Typography.Title>
      <Empty description={t('placeholder.text')} />
    </section>
  );
}
