// Server errors as sentences in the user's language: the error's `code` picks a translated sentence
// (locales: `errors.<CODE>`); a code the table does not know falls back to the server's own message.
import type { TFunction } from 'i18next';
import { ApiError } from '../api.ts';

export function errorSentence(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    if (error.code && t(key, { ns: 'app', defaultValue: '' })) return t(key, { ns: 'app' });
    if (error.status === 0 || !error.message) return t('errors.NETWORK', { ns: 'app' });
    return error.message;
  }
  if (error instanceof TypeError) return t('errors.NETWORK', { ns: 'app' });
  return error instanceof Error ? error.message : String(error);
}
