// Placeholder until the admin page is built (issue 12).
import { Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export default function AdminPage() {
  const { t } = useTranslation('app');
  return (
    <section data-testid="placeholder-admin">
      <Typography.Title level={3}>{t('nav.admin')}</Typography.Title>
      <Empty description={t('placeholder.text')} />
    </section>
  );
}
