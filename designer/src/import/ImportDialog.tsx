// The import dialog: before a .bpmn file from Camunda, Flowable or Activiti is opened, its owner
// reads what it would become here (the importer's report): whether it runs, what was mapped and
// onto what, what is ignored and what is refused, each naming its element.
import { useTranslation } from 'react-i18next';
import './import.css';
import type { ImportReport } from './report.ts';

interface ViewProps {
  report: ImportReport;
}

export function ImportReportView({ report }: ViewProps) {
  const { t } = useTranslation('designer');
  const where = (element: string) => (element ? element : t('problems.document'));
  return (
    <div className="sl-import-report" data-testid="import-report">
      <p data-testid="import-runs" data-runs={String(report.runs)} className={report.runs ? 'sl-import-runs' : 'sl-import-refused'}>
        {report.runs
          ? t('importCheck.runs', { dialect: t(`importCheck.dialect.${report.dialect}`) })
          : t('importCheck.refusedAll', { count: report.refused.length })}
      </p>
      {report.refused.length > 0 && (
        <section>
          <h4>{t('importCheck.refused', { count: report.refused.length })}</h4>
          <ul data-testid="import-refused">
            {report.refused.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: findings have no identity of their own
              <li key={i} data-element={r.element}>
                <code>{where(r.element)}</code> {r.what && <strong>{r.what}</strong>} {r.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      {report.ignored.length > 0 && (
        <section>
          <h4>{t('importCheck.ignored', { count: report.ignored.length })}</h4>
          <ul data-testid="import-ignored">
            {report.ignored.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: findings have no identity of their own
              <li key={i} data-element={r.element}>
                <code>{where(r.element)}</code> <strong>{r.what}</strong> {r.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      {report.mapped.length > 0 && (
        <section>
          <h4>{t('importCheck.mapped', { count: report.mapped.length })}</h4>
          <ul data-testid="import-mapped">
            {report.mapped.map((m, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: mappings have no identity of their own
              <li key={i} data-element={m.element}>
                <code>{where(m.element)}</code> <strong>{m.attribute}</strong> → {m.to}
                {m.note ? ` (${m.note})` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      <p data-testid="import-as-written">{t('importCheck.asWritten', { count: report.asWritten.length })}</p>
    </div>
  );
}

interface DialogProps {
  fileName: string;
  /** Undefined while the check runs. */
  report?: ImportReport;
  /** The check failed: the file cannot be read as BPMN (the server's message). */
  error?: string;
  onOpen: () => void;
  onCancel: () => void;
}

export function ImportDialog({ fileName, report, error, onOpen, onCancel }: DialogProps) {
  const { t } = useTranslation('designer');
  return (
    <div className="sl-dialog-backdrop">
      <div
        className="sl-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={t('importCheck.title', { name: fileName })}
        data-testid="designer-import-dialog"
      >
        <h3>{t('importCheck.title', { name: fileName })}</h3>
        {error ? (
          <p className="sl-import-refused" role="alert" data-testid="import-error">
            {t('importCheck.failed', { message: error })}
          </p>
        ) : report ? (
          <ImportReportView report={report} />
        ) : (
          <p>{t('importCheck.checking')}</p>
        )}
        <div className="sl-dialog-actions">
          <button type="button" data-testid="designer-import-cancel" onClick={onCancel}>
            {t('importCheck.cancel')}
          </button>
          <button type="button" className="sl-primary" data-testid="designer-import-open" disabled={!report} onClick={onOpen}>
            {t('importCheck.open')}
          </button>
        </div>
      </div>
    </div>
  );
}
