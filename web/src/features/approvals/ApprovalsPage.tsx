// Placeholder until the approvals page is built (issue 12).
import { Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export default function ApprovalsPage() {
  const { t } = useTranslation('app');
  return (
    <section data-testid="placeholder-approvals">
      <Typography.Title level={3}>{t('nav.approvals')}</Typography.Title>
      <Empty description={t('placeholder.text')} />
    </section>
  );
}
