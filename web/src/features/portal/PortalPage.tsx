// Placeholder until the portal page is built (issue 12).
import { Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export default function PortalPage() {
  const { t } = useTranslation('app');
  return (
    <section data-testid="placeholder-portal">
      <Typography.Title level={3}>{t('nav.portal')}</Typography.Title>
      <Empty description={t('placeholder.text')} />
    </section>
  );
}
