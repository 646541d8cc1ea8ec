// The process list: every key with its versions (who deployed them, when, how many instances run on
// each), its saved draft, and the ways in: a new process or an imported .bpmn file.

import type { DefinitionDraft, DefinitionSummary } from '@serviceloom/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { ApiError } from '../../api.ts';
import { designerApi } from './designerApi.ts';
import { KEY_PATTERN, processIdOf } from './new-process.ts';

interface Row {
  key: string;
  name: string | null;
  versions: DefinitionSummary[];
  draft?: DefinitionDraft;
}

export function DesignerListPage() {
  const { t } = useTranslation('app');
  const navigate = useNavigate();
  const [rows, setRows] = useState<Row[]>();
  const [error, setError] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [key, setKey] = useState('');
  const [name, setName] = useState('');

  useEffect(() => {
    (async () => {
      const latest = await designerApi.latest();
      const drafts = await designerApi.drafts().catch((): DefinitionDraft[] => []);
      const byKey = new Map<string, Row>();
      for (const d of latest) {
        const versions = await designerApi.versions(d.key);
        byKey.set(d.key, { key: d.key, name: d.name, versions: [...versions].reverse() });
      }
      for (const draft of drafts) {
        const row = byKey.get(draft.key) ?? { key: draft.key, name: null, versions: [] };
        byKey.set(draft.key, { ...row, draft });
      }
      setRows([...byKey.values()].sort((a, b) => a.key.localeCompare(b.key)));
    })().catch((e: ApiError) => setError(t('error.load', { message: e.message })));
  }, [t]);

  const create = (e: FormEvent) => {
    e.preventDefault();
    if (!KEY_PATTERN.test(key)) return;
    navigate(`/designer/${encodeURIComponent(key)}?new=1&name=${encodeURIComponent(name)}`);
  };

  const importFile = async (file: File) => {
    const xml = await file.text();
    const id = processIdOf(xml) ?? file.name.replace(/\.(bpmn|xml)$/i, '');
    navigate(`/designer/${encodeURIComponent(id)}`, { state: { xml } });
  };

  return (
    <section className="processes">
      <header className="page-header">
        <h1>{t('processes.title')}</h1>
        <button type="button" data-testid="designer-new" onClick={() => setCreating(true)}>
          {t('processes.new')}
        </button>
        <label className="file-button">
          {t('processes.import')}
          <input
            type="file"
            accept=".bpmn,.xml"
            data-testid="designer-import-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) importFile(file);
            }}
          />
        </label>
      </header>
      {creating && (
        <form className="new-process" onSubmit={create}>
          <label>
            {t('processes.newKey')}
            <input
              data-testid="designer-new-key"
              value={key}
              pattern={KEY_PATTERN.source}
              required
              onChange={(e) => setKey(e.target.value)}
              title={t('processes.keyHint')}
            />
          </label>
          <label>
            {t('processes.newName')}
            <input data-testid="designer-new-name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" data-testid="designer-new-create">
            {t('processes.create')}
          </button>
          <button type="button" onClick={() => setCreating(false)}>
            {t('processes.cancel')}
          </button>
          <small>{t('processes.keyHint')}</small>
        </form>
      )}
      {error && <p className="error">{error}</p>}
      {!rows && !error && <p>{t('processes.loading')}</p>}
      {rows?.length === 0 && <p>{t('processes.empty')}</p>}
      {rows?.map((row) => (
        <article key={row.key} className="process-card" data-testid={`process-${row.key}`}>
          <header>
            <h2>
              {row.name ?? row.versions[0]?.name ?? row.key} <code>{row.key}</code>
            </h2>
            <Link to={`/designer/${encodeURIComponent(row.key)}`} data-testid={`edit-${row.key}`}>
              {t('processes.edit')}
            </Link>
            <span className="muted">
              {row.draft
                ? t('processes.draft', { when: new Date(row.draft.updatedAt).toLocaleString(), who: row.draft.updatedBy ?? '?' })
                : t('processes.noDraft')}
            </span>
          </header>
          {row.versions.length > 0 && (
            <table className="table" data-testid={`versions-${row.key}`}>
              <thead>
                <tr>
                  <th>{t('processes.version')}</th>
                  <th>{t('processes.deployedBy')}</th>
                  <th>{t('processes.deployedAt')}</th>
                  <th>{t('processes.running')}</th>
                  <th>{t('processes.total')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {row.versions.map((v) => (
                  <tr key={v.id} data-testid={`version-${row.key}-${v.version}`}>
                    <td>v{v.version}</td>
                    <td>{v.deployedBy ?? '—'}</td>
                    <td>{new Date(v.deployedAt).toLocaleString()}</td>
                    <td data-testid="running-count">{v.instances?.active ?? '—'}</td>
                    <td>{v.instances?.total ?? '—'}</td>
                    <td>
                      <Link to={`/designer/${encodeURIComponent(row.key)}?version=${v.version}`}>{t('processes.open')}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
      ))}
    </section>
  );
}
