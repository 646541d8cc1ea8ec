// /forms: the tenant's forms (published version, draft, last change) and a new form.
import { type FormDocument, type Localized, pick, toSchema } from '@serviceloom/form-builder';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { ApiError } from '../../api.ts';
import { type FormSummary, formsApi } from './formsApi.ts';

// Also an HTML pattern attribute (compiled with the v flag): the hyphen is escaped.
const KEY_PATTERN = /^[A-Za-z0-9][\w.-]{0,99}$/;
const emptyForm = (): FormDocument => toSchema({ sections: [{ id: 'main', columns: 1, fields: [] }] });

export function FormsListPage() {
  const { t, i18n } = useTranslation('formBuilder');
  const navigate = useNavigate();
  const [forms, setForms] = useState<FormSummary[]>();
  const [error, setError] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [nameZh, setNameZh] = useState('');

  useEffect(() => {
    formsApi
      .list()
      .then(setForms)
      .catch((e: ApiError) => setError(e.status === 403 ? t('pages.forbidden') : t('error.load', { message: e.message })));
  }, [t]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!KEY_PATTERN.test(key)) return;
    const labels: Localized = { ...(name ? { en: name } : {}), ...(nameZh ? { 'zh-CN': nameZh } : {}) };
    try {
      await formsApi.create(key, name || nameZh || key, labels, emptyForm());
      navigate(`/forms/${encodeURIComponent(key)}`);
    } catch (err) {
      setError(t('error.save', { message: (err as Error).message }));
    }
  };

  const lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  return (
    <section className="forms">
      <header className="page-header">
        <h1>{t('pages.formsTitle')}</h1>
        <button type="button" data-testid="forms-new" onClick={() => setCreating(true)}>
          {t('pages.newForm')}
        </button>
      </header>
      {creating && (
        <form className="new-form" onSubmit={create}>
          <label>
            {t('pages.key')}{' '}
            <input
              data-testid="forms-new-key"
              value={key}
              required
              pattern={KEY_PATTERN.source}
              title={t('pages.keyHint')}
              onChange={(e) => setKey(e.target.value)}
            />
          </label>{' '}
          <label>
            {t('pages.name')} <input data-testid="forms-new-name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>{' '}
          <label>
            {t('pages.nameZh')} <input data-testid="forms-new-name-zh" value={nameZh} onChange={(e) => setNameZh(e.target.value)} />
          </label>{' '}
          <button type="submit" data-testid="forms-new-create">
            {t('pages.create')}
          </button>{' '}
          <button type="button" onClick={() => setCreating(false)}>
            {t('pages.cancel')}
          </button>
        </form>
      )}
      {error && <p className="error">{error}</p>}
      {!forms && !error && <p>{t('pages.loading')}</p>}
      {forms?.length === 0 && <p>{t('pages.empty')}</p>}
      {forms && forms.length > 0 && (
        <table className="table" data-testid="forms-list">
          <thead>
            <tr>
              <th>{t('pages.name')}</th>
              <th>{t('pages.key')}</th>
              <th>{t('pages.latest')}</th>
              <th>{t('pages.draft')}</th>
              <th>{t('pages.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {forms.map((f) => (
              <tr key={f.key} data-testid={`form-row-${f.key}`}>
                <td>
                  <Link to={`/forms/${encodeURIComponent(f.key)}`}>{pick(f.labels, lang, f.name)}</Link>
                </td>
                <td>
                  <code>{f.key}</code>
                </td>
                <td>{f.latestVersion ? `v${f.latestVersion}` : t('pages.none')}</td>
                <td>{f.hasDraft ? '✓' : ''}</td>
                <td>{new Date(f.updatedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
