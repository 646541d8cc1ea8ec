// The files on a ticket: the list (name, size, who added it, when) with a download for each, and
// "Add a file" for whoever sees the ticket. A file is uploaded with the forms' attachments API,
// then put on the ticket (docs/itsm-api.md, Attachments on a ticket).
import { DownloadOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { Attachment } from '@serviceloom/contracts';
import { Alert, Button, Card, List, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useToast } from '../../shell/toast.ts';
import { ticketFilesApi } from './api.ts';
import { errorText, useItsm, When } from './components.tsx';

/** `revision` changes when the ticket does (a file added by someone else comes with it). */
export function TicketAttachments({ number, revision }: { number: string; revision: string }) {
  const { t, i18n } = useItsm();
  const toast = useToast();
  const [files, setFiles] = useState<Attachment[]>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const input = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setFiles(await ticketFilesApi.list(number));
    } catch (e) {
      setError(errorText(e));
    }
  }, [number]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads when the ticket changes
  useEffect(() => {
    void load();
  }, [load, revision]);

  const add = async (file: File) => {
    setBusy(true);
    setError(undefined);
    try {
      await ticketFilesApi.add(number, file);
      toast.success(t('files.added', { name: file.name }));
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  // 32 bytes, 4.5 kB, 1.2 MB, in the user's language.
  const size = (bytes: number) => {
    const [value, unit] =
      bytes < 1024 ? [bytes, 'byte'] : bytes < 1024 * 1024 ? [bytes / 1024, 'kilobyte'] : [bytes / (1024 * 1024), 'megabyte'];
    return new Intl.NumberFormat(i18n.language, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
  };

  return (
    <Card
      size="small"
      title={
        <>
          <PaperClipOutlined /> {t('files.title')}
        </>
      }
      style={{ marginTop: 16 }}
      data-testid="ticket-attachments"
      extra={
        <>
          <input
            ref={input}
            type="file"
            hidden
            data-testid="ticket-attachment-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void add(file);
            }}
          />
          <Button
            size="small"
            icon={<UploadOutlined />}
            loading={busy}
            onClick={() => input.current?.click()}
            data-testid="ticket-attachment-add"
          >
            {t('files.add')}
          </Button>
        </>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      {files && files.length === 0 && <Typography.Text type="secondary">{t('files.none')}</Typography.Text>}
      {files && files.length > 0 && (
        <List
          size="small"
          dataSource={files}
          renderItem={(f) => (
            <List.Item
              data-testid="ticket-attachment"
              data-filename={f.filename}
              actions={[
                <Button
                  key="download"
                  type="link"
                  size="small"
                  icon={<DownloadOutlined />}
                  aria-label={t('files.download', { name: f.filename })}
                  onClick={() => void ticketFilesApi.download(number, f).catch((e) => setError(errorText(e)))}
                  data-testid="ticket-attachment-download"
                />,
              ]}
            >
              <List.Item.Meta
                title={f.filename}
                description={
                  <>
                    {size(f.size)} · {f.uploadedBy} · <When at={f.uploadedAt} />
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
