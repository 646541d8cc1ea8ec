// Requesting a catalog item: a short title and the item's published form, rendered with
// @rjsf/antd; submitting raises a request (type `request`, `catalogItem` the item's key) whose
// fields the server checks against the same form.
import RjsfForm from '@rjsf/antd';
import type { Ticket } from '@serviceloom/contracts';
import { formValidator } from '@serviceloom/form-builder';
import { Alert, Button, Input, Modal, Result, Skeleton, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { type CatalogItem, ticketsApi } from '../tickets/api.ts';
import { errorText, useItsm } from '../tickets/components.tsx';

type FormDoc = { schema: Record<string, unknown>; uiSchema: Record<string, unknown> };

export function RequestDialog({ item, onClose }: { item: CatalogItem | undefined; onClose(): void }) {
  const { t } = useItsm();
  const [form, setForm] = useState<FormDoc | null>();
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<Ticket>();
  const rjsf = useRef<any>(null);

  useEffect(() => {
    setCreated(undefined);
    setError(undefined);
    setTitle(item?.name ?? '');
    const key = item?.formKey;
    if (!key) return setForm(null);
    setForm(undefined);
    api
      .call('forms.version', { params: { key, version: 'latest' } })
      .then((v) => setForm({ schema: v.schema as Record<string, unknown>, uiSchema: (v.uiSchema ?? {}) as Record<string, unknown> }))
      .catch(() => setForm(null));
  }, [item]);

  const raise = async (fields: Record<string, unknown>) => {
    if (!item || !title.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      setCreated(await ticketsApi.create({ type: 'request', title: title.trim(), catalogItem: item.key, fields }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const submit = () => (form ? rjsf.current?.submit() : void raise({}));

  return (
    <Modal
      open={item !== undefined}
      onCancel={onClose}
      title={item?.name}
      width={680}
      destroyOnHidden
      footer={
        created
          ? [
              <Link key="view" to={`/tickets/${created.number}`}>
                <Button type="primary">{t('portal.view')}</Button>
              </Link>,
            ]
          : [
              <Button key="cancel" onClick={onClose}>
                {t('common.cancel')}
              </Button>,
              <Button key="submit" type="primary" loading={busy} onClick={submit} disabled={!title.trim()} data-testid="portal-submit">
                {t('common.submit')}
              </Button>,
            ]
      }
    >
      {created ? (
        <Result
          status="success"
          title={
            <span data-testid="portal-created" data-number={created.number}>
              {t('portal.created', { number: created.number })}
            </span>
          }
          subTitle={<Link to="/portal/requests">{t('portal.createdHint')}</Link>}
        />
      ) : (
        <>
          {item?.description && <Typography.Paragraph type="secondary">{item.description}</Typography.Paragraph>}
          <Typography.Text strong>{t('portal.requestTitle')}</Typography.Text>
          <Input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            maxLength={300}
            style={{ margin: '4px 0 16px' }}
            data-testid="portal-title"
          />
          {form === undefined && <Skeleton active />}
          {form && (
            <RjsfForm
              ref={rjsf}
              schema={form.schema}
              uiSchema={{ ...form.uiSchema, 'ui:submitButtonOptions': { norender: true } }}
              validator={formValidator()}
              showErrorList={false}
              onSubmit={({ formData }) => void raise((formData ?? {}) as Record<string, unknown>)}
            />
          )}
        </>
      )}
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
