// One process in the designer: its saved draft (or the latest version, or a new process), or a
// deployed version read-only (?version=N). Saves drafts on the server and deploys new versions.

import type { DefinitionSummary } from '@serviceloom/contracts';
import { Designer, type GroupOption, type ProcessOption } from '@serviceloom/designer';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api.ts';
import { designerApi } from './designerApi.ts';
import { newProcessXml } from './new-process.ts';

const notFound = (e: unknown) => e instanceof ApiError && e.status === 404;

interface Opened {
  xml: string;
  readOnly: boolean;
  version?: number;
}

export function DesignerEditPage() {
  const { t } = useTranslation('app');
  const { key = '' } = useParams();
  const [search] = useSearchParams();
  const location = useLocation();
  const imported = (location.state as { xml?: string } | null)?.xml;
  const version = search.get('version');
  const newName = search.get('name') ?? '';
  const [opened, setOpened] = useState<Opened>();
  const [error, setError] = useState<string>();
  const [groups, setGroups] = useState<GroupOption[]>([]);
  const [processes, setProcesses] = useState<ProcessOption[]>([]);

  useEffect(() => {
    setOpened(undefined);
    (async (): Promise<Opened> => {
      if (version) {
        const versions = await designerApi.versions(key);
        const found = versions.find((v) => String(v.version) === version);
        if (!found) throw new Error(`${key} v${version}`);
        const d = await designerApi.definition(found.id);
        return { xml: d.bpmnXml, readOnly: true, version: found.version };
      }
      if (imported) return { xml: imported, readOnly: false };
      try {
        return { xml: (await designerApi.draft(key)).bpmnXml, readOnly: false };
      } catch (e) {
        if (!notFound(e)) throw e;
      }
      try {
        const versions = await designerApi.versions(key);
        const latest = versions[versions.length - 1] as DefinitionSummary;
        return { xml: (await designerApi.definition(latest.id)).bpmnXml, readOnly: false };
      } catch (e) {
        if (!notFound(e)) throw e;
      }
      return { xml: newProcessXml(key, newName), readOnly: false };
    })().then(setOpened, (e: Error) => setError(e.message));
    // Not on a language switch: that would reopen the diagram and lose unsaved edits.
  }, [key, version, imported, newName]);

  useEffect(() => {
    // The tenant's groups, where the groups API exists; the field stays free text otherwise.
    designerApi
      .groups()
      .then((list) => setGroups(list.map((g) => ({ id: g.id, name: g.name }))))
      .catch(() => setGroups([]));
    designerApi
      .latest()
      .then((list) => setProcesses(list.map((d) => ({ key: d.key, name: d.name, version: d.version }))))
      .catch(() => setProcesses([]));
  }, []);

  const save = async (xml: string) => {
    await designerApi.saveDraft(key, xml);
  };

  const deploy = async (xml: string) => {
    const before = await designerApi.versions(key).catch((): DefinitionSummary[] => []);
    const d = await designerApi.deploy(xml);
    await designerApi.saveDraft(key, xml).catch(() => undefined);
    return before.some((v) => v.id === d.id)
      ? t('editor.unchanged', { version: d.version })
      : t('editor.deployed', { key: d.key, version: d.version });
  };

  const listInstances = useCallback(() => designerApi.instances(key), [key]);

  const loadHistory = designerApi.history;

  return (
    <section className="editor">
      <header className="page-header">
        <Link to="/designer">{t('editor.back')}</Link>
        <h1>{opened?.readOnly ? t('editor.readOnly', { key, version: opened.version }) : t('editor.editing', { key })}</h1>
        {opened?.readOnly && <Link to={`/designer/${encodeURIComponent(key)}`}>{t('editor.editDraft')}</Link>}
      </header>
      {error && <p className="error">{t('error.load', { message: error })}</p>}
      {!opened && !error && <p>{t('editor.loading')}</p>}
      {opened && (
        <div className="editor-body">
          <Designer
            key={`${key}:${version ?? 'draft'}`}
            xml={opened.xml}
            readOnly={opened.readOnly}
            groups={groups}
            processes={processes}
            onSave={opened.readOnly ? undefined : save}
            onDeploy={opened.readOnly ? undefined : deploy}
            loadHistory={loadHistory}
            listInstances={listInstances}
          />
        </div>
      )}
    </section>
  );
}
