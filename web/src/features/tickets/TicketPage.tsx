// Placeholder until the ticket page is built (issue 12).
import { Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';

export default function TicketPage() {
  const { t } = useTranslation('app');
  const { number = '' } = useParams();
  return (
    <section data-testid="placeholder-ticket">
      <Typography.Title level={3}>{number}</Typography.Title>
      <Empty description={t('placeholder.text')} />
    </section>
  );
}
