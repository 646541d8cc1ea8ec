// Each event's message: the default wording, the tenant's own (used by built-in notifications and
// by rules without a template), and a preview rendered by the server for a ticket.
import type { NotificationTemplate, PreviewTemplateReply } from '@serviceloom/contracts';
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from './adminApi.ts';
import { ADMIN_NS } from './i18n.ts';
import './notifications-i18n.ts';
import { notificationsApi, templateOf } from './notificationsApi.ts';
import { useLoad } from './shared.ts';

type EventName = Parameters<typeof notificationsApi.putTemplate>[0];
type Values = { en?: { subject?: string; body?: string }; 'zh-CN'?: { subject?: string; body?: string }; ticket?: string };

export function NotificationTemplatesTab() {
  const { t } = useTranslation(ADMIN_NS);
  const { message } = App.useApp();
  const templates = useLoad(() => notificationsApi.templates());
  const [event, setEvent] = useState<EventName>('ticket.created');
  const [form] = Form.useForm<Values>();
  const [failure, setFailure] = useState<string>();
  const [preview, setPreview] = useState<PreviewTemplateReply>();
  const current: NotificationTemplate | undefined = templates.data?.find((x) => x.event === event);

  useEffect(() => {
    const own = current?.template;
    form.setFieldsValue({ en: own?.en ?? current?.defaults.en, 'zh-CN': own?.['zh-CN'] ?? current?.defaults['zh-CN'] });
    setPreview(undefined);
  }, [current, form]);

  const attempt = async (work: () => Promise<unknown>) => {
    setFailure(undefined);
    try {
      await work();
      return true;
    } catch (e) {
      setFailure(errorText(e));
      return false;
    }
  };

  const save = async () => {
    const template = templateOf({ en: form.getFieldsValue().en, 'zh-CN': form.getFieldsValue()['zh-CN'] });
    if (!template) return;
    if (await attempt(() => notificationsApi.putTemplate(event, template))) {
      message.success(t('common.saved'));
      templates.reload();
    }
  };
  const reset = async () => {
    if (await attempt(() => notificationsApi.resetTemplate(event))) templates.reload();
  };
  const show = async () => {
    const v = form.getFieldsValue();
    await attempt(async () =>
      setPreview(
        await notificationsApi.preview({
          event,
          template: templateOf({ en: v.en, 'zh-CN': v['zh-CN'] }),
          ...(v.ticket?.trim() ? { ticket: v.ticket.trim() } : {}),
        }),
      ),
    );
  };

  return (
    <Flex vertical gap="middle">
      {templates.error && <Alert type="error" title={t('common.loadFailed', { message: templates.error })} />}
      <Flex gap="small" align="center">
        <Typography.Text>{t('templates.event')}</Typography.Text>
        <Select
          style={{ minWidth: 240 }}
          value={event}
          onChange={setEvent}
          data-testid="template-event"
          options={(templates.data ?? []).map((x) => ({ value: x.event, label: x.template ? `${x.event} ✎` : x.event }))}
        />
      </Flex>
      {failure && <Alert type="error" title={failure} data-testid="template-error" />}
      <Form<Values> form={form} layout="vertical">
        {(['en', 'zh-CN'] as const).map((locale) => (
          <Card key={locale} size="small" title={locale} style={{ marginBottom: 12 }}>
            <Form.Item name={[locale, 'subject']} label={t('rules.subject')}>
              <Input data-testid={`template-${locale}-subject`} />
            </Form.Item>
            <Form.Item name={[locale, 'body']} label={t('rules.body')}>
              <Input.TextArea rows={3} data-testid={`template-${locale}-body`} />
            </Form.Item>
          </Card>
        ))}
        <Typography.Paragraph type="secondary">{t('rules.placeholders')}</Typography.Paragraph>
        <Flex gap="small" wrap>
          <Button type="primary" onClick={() => void save()} data-testid="template-save">
            {t('templates.save')}
          </Button>
          <Button onClick={() => void reset()} disabled={!current?.template} data-testid="template-reset">
            {t('templates.reset')}
          </Button>
          <Form.Item name="ticket" noStyle>
            <Input style={{ width: 260 }} placeholder={t('templates.ticket')} data-testid="template-preview-ticket" />
          </Form.Item>
          <Button onClick={() => void show()} data-testid="template-preview">
            {t('templates.preview')}
          </Button>
        </Flex>
      </Form>
      {preview && (
        <Card size="small" title={t('templates.result')} data-testid="template-preview-result">
          <Descriptions column={1} size="small">
            {(['en', 'zh-CN'] as const).map((locale) => (
              <Descriptions.Item key={locale} label={locale}>
                <div>
                  <Typography.Text strong data-testid={`template-preview-${locale}-subject`}>
                    {preview[locale].subject}
                  </Typography.Text>
                  <div style={{ whiteSpace: 'pre-wrap' }}>{preview[locale].body}</div>
                </div>
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Card>
      )}
    </Flex>
  );
}
