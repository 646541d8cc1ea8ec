// One process in the designer: its saved draft (or the latest version, or a new process), or a
// deployed version read-only (?version=N). Saves drafts on the server and deploys new versions.

import type { DefinitionSummary } from '@serviceloom/contracts';
import {
  type DeployOutcome,
  Designer,
  designerResources,
  type FormOption,
  type GroupOption,
  type ImportReport,
  type ProcessOption,
} from '@serviceloom/designer';
import { Alert, Flex, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api.ts';
import { registerResources } from '../../i18n.ts';
import { errorSentence } from '../../shell/errors.ts';
import { formsApi } from '../forms/formsApi.ts';
import { designerApi } from './designerApi.ts';
import { newProcessXml } from './new-process.ts';
import { SimulatedTaskForm } from './SimulatedTaskForm.tsx';

registerResources(designerResources);

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
  // A file imported from the process list, with the importer's report its owner read before opening it.
  const importedState = location.state as { xml?: string; report?: ImportReport } | null;
  const imported = importedState?.xml;
  const version = search.get('version');
  const newName = search.get('name') ?? '';
  const [opened, setOpened] = useState<Opened>();
  const [error, setError] = useState<unknown>();
  const [groups, setGroups] = useState<GroupOption[]>([]);
  const [processes, setProcesses] = useState<ProcessOption[]>([]);
  const [forms, setForms] = useState<FormOption[]>();

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
    })().then(setOpened, (e: unknown) => setError(e ?? 'error'));
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
    // The published forms, for the form-key picker; free text for those who may not list forms.
    formsApi
      .list()
      .then((list) => setForms(list.filter((f) => f.latestVersion).map((f) => ({ key: f.key, name: f.name, version: f.latestVersion }))))
      .catch(() => setForms(undefined));
  }, []);

  const save = async (xml: string) => {
    await designerApi.saveDraft(key, xml);
  };

  const deploy = async (xml: string): Promise<DeployOutcome> => {
    const before = await designerApi.versions(key).catch((): DefinitionSummary[] => []);
    const d = await designerApi.deploy(xml);
    await designerApi.saveDraft(key, xml).catch(() => undefined);
    const message = before.some((v) => v.id === d.id)
      ? t('editor.unchanged', { version: d.version })
      : t('editor.deployed', { key: d.key, version: d.version });
    return { message, warnings: d.warnings };
  };

  const listInstances = useCallback(() => designerApi.instances(key), [key]);

  const loadHistory = designerApi.history;

  return (
    <section className="editor">
      <Flex className="page-header" align="center" gap="middle" wrap>
        <Link to="/designer">{t('editor.back')}</Link>
        <Typography.Title level={4}>
          {opened?.readOnly ? t('editor.readOnly', { key, version: opened.version }) : t('editor.editing', { key })}
        </Typography.Title>
        {opened?.readOnly && <Link to={`/designer/${encodeURIComponent(key)}`}>{t('editor.editDraft')}</Link>}
      </Flex>
      {error !== undefined && <Alert type="error" showIcon title={t('error.load', { message: errorSentence(t, error) })} />}
      {!opened && error === undefined && <Spin description={t('editor.loading')} />}
      {opened && (
        <div className="editor-body">
          <Designer
            key={`${key}:${version ?? 'draft'}`}
            xml={opened.xml}
            readOnly={opened.readOnly}
            groups={groups}
            processes={processes}
            forms={forms}
            renderTaskForm={SimulatedTaskForm}
            onSave={opened.readOnly ? undefined : save}
            onDeploy={opened.readOnly ? undefined : deploy}
            checkImport={opened.readOnly ? undefined : designerApi.importCheck}
            importReport={imported && opened.xml === imported ? importedState?.report : undefined}
            loadHistory={loadHistory}
            listInstances={listInstances}
          />
        </div>
      )}
    </section>
  );
}

export default DesignerEditPage;
