// Dates and numbers in the app's language (Intl), for pages and tables.
import { useTranslation } from 'react-i18next';

export interface Formatters {
  dateTime(iso: string | null | undefined): string;
  date(iso: string | null | undefined): string;
  number(n: number | null | undefined): string;
}

const EMPTY = '—';

export function formattersFor(language: string): Formatters {
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'medium' });
  const number = new Intl.NumberFormat(language);
  const parsed = (iso: string) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? undefined : d;
  };
  return {
    dateTime: (iso) => (iso && parsed(iso) ? dateTime.format(parsed(iso)) : EMPTY),
    date: (iso) => (iso && parsed(iso) ? date.format(parsed(iso)) : EMPTY),
    number: (n) => (typeof n === 'number' ? number.format(n) : EMPTY),
  };
}

/** The formatters of the current language; they follow a language switch. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return formattersFor(i18n.language);
}
