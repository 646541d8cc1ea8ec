// What a user sees on a page their roles may not use: which role the page is for and which they
// hold, by the roles' display names, and a way to their own start page.
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PageEntry } from './roles.ts';

export function Refusal({ page, held }: { page: PageEntry; held: readonly string[] }) {
  const { t } = useTranslation('app');
  const names = (roles: readonly string[]) => roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(t('refusal.or'));
  const heldRoles = held.filter((r) => r !== 'worker');
  return (
    <Result
      status="403"
      title={t('refusal.title')}
      subTitle={
        <span data-testid="refusal">
          {heldRoles.length ? t('refusal.text', { allowed: names(page.roles), held: names(heldRoles) }) : t('refusal.noRole')}
        </span>
      }
      extra={
        <Link to="/">
          <Button type="primary">{t('refusal.home')}</Button>
        </Link>
      }
    />
  );
}
