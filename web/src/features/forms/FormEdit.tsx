// /forms/:key: the builder on the form's draft (or on its latest version, for a new draft), with
// the name in both languages, save, publish and discard.
import { FormBuilder, type FormDocument, formBuilderResources, type Localized, toSchema } from '@serviceloom/form-builder';
import '@serviceloom/form-builder/style.css';
import { Alert, Button, Flex, Input, Space, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api.ts';
import { registerResources } from '../../i18n.ts';
import { errorSentence } from '../../shell/errors.ts';
import { formsApi, pickers } from './formsApi.ts';

registerResources(formBuilderResources);

interface Loaded {
  doc: FormDocument;
  name: string;
  labels: Localized;
  /** Where the draft came from: undefined for an existing draft. */
  fromVersion?: number;
  /** Bumped to remount the builder on a fresh document. */
  generation: number;
}

export function FormEditPage() {
  const { key = '' } = useParams();
  const { t } = useTranslation('formBuilder');
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [labels, setLabels] = useState<Localized>({});
  const doc = useRef<FormDocument>(undefined);

  const load = async (generation: number) => {
    const form = await formsApi.get(key);
    let next: Loaded;
    if (form.draft) next = { doc: form.draft, name: form.draft.name, labels: form.draft.labels, generation };
    else if (form.latestVersion) {
      const v = await formsApi.version(key, form.latestVersion);
      next = { doc: v, name: v.name, labels: v.labels, fromVersion: v.version, generation };
    } else
      next = { doc: toSchema({ sections: [{ id: 'main', columns: 1, fields: [] }] }), name: form.name, labels: form.labels, generation };
    doc.current = { schema: next.doc.schema, uiSchema: next.doc.uiSchema };
    setLabels(next.labels);
    setLoaded(next);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per key
  useEffect(() => {
    load(0).catch((e: ApiError) => setError(e.status === 403 ? t('pages.forbidden') : t('error.load', { message: errorSentence(t, e) })));
  }, [key]);

  const nameOf = () => labels.en || labels['zh-CN'] || loaded?.name || key;

  const save = async () => {
    if (!doc.current) return;
    await formsApi.saveDraft(key, nameOf(), labels, doc.current);
  };

  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    setStatus(undefined);
    setError(undefined);
    try {
      setStatus(await what());
    } catch (e) {
      setError(t('error.save', { message: errorSentence(t, e) }));
    } finally {
      setBusy(false);
    }
  };

  if (error && !loaded) return <Alert type="error" showIcon title={error} />;
  if (!loaded) return <Spin description={t('pages.loading')} />;

  const toolbar = (
    <Space wrap>
      <Input
        prefix={<Typography.Text type="secondary">{t('pages.name')}</Typography.Text>}
        data-testid="form-name-en"
        value={labels.en ?? ''}
        onChange={(e) => setLabels({ ...labels, en: e.target.value })}
      />
      <Input
        prefix={<Typography.Text type="secondary">{t('pages.nameZh')}</Typography.Text>}
        data-testid="form-name-zh-CN"
        value={labels['zh-CN'] ?? ''}
        onChange={(e) => setLabels({ ...labels, 'zh-CN': e.target.value })}
      />
      <Button
        data-testid="form-builder-save"
        disabled={busy}
        onClick={() =>
          run(async () => {
            await save();
            return t('pages.saved');
          })
        }
      >
        {t('pages.save')}
      </Button>
      <Button
        type="primary"
        data-testid="form-builder-publish"
        disabled={busy}
        onClick={() =>
          run(async () => {
            await save();
            const { version } = await formsApi.publish(key);
            setLoaded((l) => (l ? { ...l, fromVersion: version } : l));
            return t('pages.published', { version });
          })
        }
      >
        {t('pages.publish')}
      </Button>
      <Button
        danger
        data-testid="form-builder-discard"
        disabled={busy}
        onClick={() =>
          run(async () => {
            await formsApi.deleteDraft(key).catch((e) => {
              if (!(e instanceof ApiError && e.status === 404)) throw e;
            });
            await load((loaded.generation ?? 0) + 1).catch(() => undefined);
            return '';
          })
        }
      >
        {t('pages.deleteDraft')}
      </Button>
    </Space>
  );

  return (
    <section className="form-edit">
      <Flex className="page-header" align="center" gap="middle" wrap>
        <Link to="/forms">{t('pages.back')}</Link>
        <Typography.Title level={4}>
          {nameOf()} <Typography.Text code>{key}</Typography.Text>
        </Typography.Title>
        <Typography.Text type="secondary">
          {loaded.fromVersion ? t('pages.editingVersion', { version: loaded.fromVersion }) : t('pages.editingDraft')}
        </Typography.Text>
      </Flex>
      <div className="status" data-testid="form-builder-status" role="status">
        {status && <Typography.Text type="success">{status}</Typography.Text>}
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </div>
      <FormBuilder
        key={loaded.generation}
        initial={loaded.doc}
        toolbar={toolbar}
        preview={{ pickers }}
        onChange={(d) => {
          doc.current = d;
          setStatus(undefined);
        }}
      />
    </section>
  );
}

export default FormEditPage;
