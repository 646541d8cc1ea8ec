import { useTranslation } from 'react-i18next';

/** Pages other parts of ServiceLoom fill in: a clear note until then. */
export function PlaceholderPage({ page }: { page: 'forms' | 'tasks' | 'portal' | 'dashboards' | 'admin' }) {
  const { t } = useTranslation('app');
  return (
    <section className="placeholder" data-testid={`placeholder-${page}`}>
      <h1>{t('placeholder.title', { page: t(`nav.${page}`) })}</h1>
      <p>{t('placeholder.text')}</p>
    </section>
  );
}
