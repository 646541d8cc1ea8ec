// The designer: the bpmn-js canvas with ServiceLoom's modules, the properties panel, the live
// problems list, and the simulation. Saving and deploying are the host's (web/) business: it
// passes callbacks, the tenant's groups and the deployed processes.
import { compile } from '@serviceloom/engine';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import './designer.css';
import { ImportDialog } from './import/ImportDialog.tsx';
import { deployProblems, type ImportReport, importProblems, type ModelWarning, mergeProblems } from './import/report.ts';
import { prepareForEditing } from './io/layout.ts';
import { type AnyModeler, createModeler, createViewer } from './modeler/create-modeler.ts';
import type { SlMarkers } from './modeler/markers.ts';
import { type DesignerProblem, hasErrors, lint } from './problems/lint.ts';
import { ProblemsPanel } from './problems/ProblemsPanel.tsx';
import { PropertyEditor } from './properties/edit.ts';
import { type Shape, variablesInModel } from './properties/model.ts';
import { type FormOption, type GroupOption, type ProcessOption, PropertiesPanel } from './properties/PropertiesPanel.tsx';
import { type InstanceOption, type ReplayEntry, SimulationPanel, type TaskFormRenderer } from './simulation/SimulationPanel.tsx';

export interface DesignerProps {
  /** The BPMN XML to open (Camunda 7/8 files are converted, diagrams without layout laid out). */
  xml: string;
  /** A deployed version: view, simulate and replay, no editing. */
  readOnly?: boolean;
  groups?: readonly GroupOption[];
  processes?: readonly ProcessOption[];
  /** The tenant's published forms, offered for form keys (free text when not given). */
  forms?: readonly FormOption[];
  /** Renders a waiting user task's form in the simulation (JSON variables when not given). */
  renderTaskForm?: TaskFormRenderer;
  onSave?: (xml: string) => Promise<void>;
  /** Deploys; resolves to a message for the status line, and the warnings the deployment returned (shown as problems). */
  onDeploy?: (xml: string) => Promise<string | DeployOutcome>;
  /** The importer's report on a file (POST /definitions/import-check): when given, importing shows it before opening. */
  checkImport?: (xml: string) => Promise<ImportReport>;
  /** The report on `xml` when the host checked it before opening (its warnings join the problems list). */
  importReport?: ImportReport;
  loadHistory?: (instanceId: string) => Promise<ReplayEntry[]>;
  /** Recent instances of the process, offered for a replay. */
  listInstances?: () => Promise<InstanceOption[]>;
  /** Called with the modeler once the diagram is shown (for hosts and tests). */
  onReady?: (modeler: AnyModeler) => void;
  lintDelayMs?: number;
}

export interface DeployOutcome {
  message: string;
  warnings?: readonly ModelWarning[];
}

/** A status line: a message key of the `designer` namespace (translated when shown) or a text from the host. */
type Status = { kind: 'info' | 'error'; key?: string; params?: Record<string, unknown>; text?: string } | undefined;

export function Designer({
  xml,
  readOnly,
  groups,
  processes,
  forms,
  renderTaskForm,
  onSave,
  onDeploy,
  checkImport,
  importReport,
  loadHistory,
  listInstances,
  onReady,
  lintDelayMs = 250,
}: DesignerProps) {
  const { t, i18n } = useTranslation('designer');
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const languageRef = useRef(i18n.language);
  languageRef.current = i18n.language;
  const [modeler, setModeler] = useState<AnyModeler>();
  const [selected, setSelected] = useState<Shape>();
  const [, setRevision] = useState(0);
  const [problems, setProblems] = useState<DesignerProblem[]>([]);
  const [checking, setChecking] = useState(false);
  const [mode, setMode] = useState<'properties' | 'simulate'>('properties');
  const [focusField, setFocusField] = useState<{ field: string; at: number }>();
  const [status, setStatus] = useState<Status>();
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  // The import report's or the last deployment's warnings, listed with the live problems until the next import.
  const [notes, setNotes] = useState<DesignerProblem[]>(() => (importReport ? importProblems(importReport) : []));
  const [importing, setImporting] = useState<{ name: string; xml: string; report?: ImportReport; error?: string }>();

  const runLint = useCallback(async (m: AnyModeler) => {
    setChecking(true);
    try {
      const { xml: current } = await m.saveXML({ format: false });
      const found = await lint(current);
      setProblems(found);
      (m.get('slMarkers') as SlMarkers).showProblems(found);
    } finally {
      setChecking(false);
    }
  }, []);

  // Create the modeler (or viewer) and open the diagram, once per xml (hosts remount to open another).
  // biome-ignore lint/correctness/useExhaustiveDependencies: callbacks and translations must not reopen the diagram
  useEffect(() => {
    const container = canvasRef.current;
    if (!container) return;
    const m = readOnly
      ? createViewer({ container, language: () => languageRef.current })
      : createModeler({ container, language: () => languageRef.current });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;
    const eventBus = m.get('eventBus');
    eventBus.on('selection.changed', ({ newSelection }: { newSelection: Shape[] }) => {
      setSelected(newSelection.length === 1 ? newSelection[0] : undefined);
    });
    if (!readOnly) {
      eventBus.on('commandStack.changed', () => {
        setRevision((n) => n + 1);
        setDirty(true);
        clearTimeout(timer);
        timer = setTimeout(() => !disposed && runLint(m), lintDelayMs);
      });
    }
    (async () => {
      try {
        const prepared = await prepareForEditing(xml);
        if (disposed) return;
        await m.importXML(prepared.xml);
        m.get('canvas').zoom('fit-viewport', 'auto');
        if (prepared.from !== 'serviceloom') setStatus({ kind: 'info', key: 'status.converted', params: { from: prepared.from } });
        else if (prepared.laidOut) setStatus({ kind: 'info', key: 'status.laidOut' });
        setModeler(m);
        onReady?.(m);
        if (!readOnly) await runLint(m);
      } catch (e) {
        setStatus({ kind: 'error', key: 'status.openFailed', params: { message: (e as Error).message } });
      }
    })();
    return () => {
      disposed = true;
      clearTimeout(timer);
      m.destroy();
    };
  }, [xml, readOnly]);

  const editor = useMemo(() => (modeler && !readOnly ? new PropertyEditor(modeler) : undefined), [modeler, readOnly]);
  const element: Shape | undefined = selected ?? modeler?.get('canvas').getRootElement();
  const variables = modeler ? variablesInModel(modeler.getDefinitions()) : [];

  // Focus the field at fault after a problem was clicked and the panel shows its element.
  useEffect(() => {
    if (!focusField) return;
    const target = panelRef.current?.querySelector<HTMLElement>(`[data-field="${focusField.field}"]`);
    target?.focus();
  }, [focusField]);

  const nameOf = useCallback(
    (id: string) => {
      const el = modeler?.get('elementRegistry').get(id);
      return el?.businessObject?.name as string | undefined;
    },
    [modeler],
  );

  const formKeyOf = useCallback(
    (id: string) => {
      const el = modeler?.get('elementRegistry').get(id);
      return (el?.businessObject?.get?.('sl:formKey') as string | undefined) || undefined;
    },
    [modeler],
  );

  const selectProblem = (p: DesignerProblem) => {
    if (!modeler || !p.elementId) return;
    const el = modeler.get('elementRegistry').get(p.elementId);
    if (!el) return;
    setMode('properties');
    if (el === modeler.get('canvas').getRootElement()) modeler.get('selection').select(null);
    else {
      modeler.get('selection').select(el);
      modeler.get('canvas').scrollToElement(el);
    }
    if (p.field) setTimeout(() => setFocusField({ field: p.field as string, at: Date.now() }), 0);
  };

  const currentXml = async (): Promise<string> => (await modeler.saveXML({ format: true })).xml;

  const save = async () => {
    if (!modeler || !onSave) return;
    setBusy(true);
    try {
      await onSave(await currentXml());
      setDirty(false);
      setStatus({ kind: 'info', key: 'status.saved' });
    } catch (e) {
      setStatus({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const deploy = async () => {
    if (!modeler || !onDeploy) return;
    const xmlNow = await currentXml();
    const found = await lint(xmlNow);
    setProblems(found);
    if (hasErrors(found)) {
      setStatus({ kind: 'error', key: 'status.deployRefused' });
      return;
    }
    setBusy(true);
    try {
      const outcome = await onDeploy(xmlNow);
      const { message, warnings = [] } = typeof outcome === 'string' ? { message: outcome } : outcome;
      setNotes(deployProblems(warnings));
      setStatus({ kind: 'info', text: warnings.length ? `${message} ${t('status.deployWarnings', { count: warnings.length })}` : message });
      setDirty(false);
    } catch (e) {
      setStatus({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const exportFile = async () => {
    if (!modeler) return;
    const text = await currentXml();
    const id = modeler.getDefinitions()?.rootElements?.find((r: { $type: string }) => r.$type === 'bpmn:Process')?.id ?? 'process';
    const url = URL.createObjectURL(new Blob([text], { type: 'application/xml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${id}.bpmn`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const openImported = async (name: string, text: string, report?: ImportReport) => {
    if (!modeler) return;
    try {
      const prepared = await prepareForEditing(text);
      await modeler.importXML(prepared.xml);
      modeler.get('canvas').zoom('fit-viewport', 'auto');
      setSelected(undefined);
      setDirty(true);
      setNotes(report ? importProblems(report) : []);
      setStatus({ kind: 'info', key: 'status.imported', params: { name, from: prepared.from } });
      await runLint(modeler);
    } catch (e) {
      setStatus({ kind: 'error', key: 'status.openFailed', params: { message: (e as Error).message } });
    }
  };

  // With an importer at hand, the file is checked first and opened only when its owner has read the report.
  const importFile = async (file: File) => {
    const text = await file.text();
    if (!checkImport) return openImported(file.name, text);
    setImporting({ name: file.name, xml: text });
    try {
      const report = await checkImport(text);
      setImporting((now) => (now?.xml === text ? { ...now, report } : now));
    } catch (e) {
      setImporting((now) => (now?.xml === text ? { ...now, error: (e as Error).message } : now));
    }
  };

  const errors = hasErrors(problems);
  const listed = mergeProblems(problems, notes);
  const commandStack = modeler && !readOnly ? modeler.get('commandStack') : undefined;

  return (
    <div className={`sl-designer${readOnly ? ' sl-readonly' : ''}`} data-testid="designer">
      <div className="sl-toolbar" role="toolbar">
        {!readOnly && (
          <>
            <button type="button" data-testid="designer-undo" disabled={!commandStack?.canUndo()} onClick={() => commandStack?.undo()}>
              ↶ {t('toolbar.undo')}
            </button>
            <button type="button" data-testid="designer-redo" disabled={!commandStack?.canRedo()} onClick={() => commandStack?.redo()}>
              ↷ {t('toolbar.redo')}
            </button>
            {onSave && (
              <button type="button" data-testid="designer-save" disabled={!modeler || busy} onClick={save}>
                {t('toolbar.save')}
                {dirty ? ' •' : ''}
              </button>
            )}
            {onDeploy && (
              <button
                type="button"
                className="sl-primary"
                data-testid="designer-deploy"
                disabled={!modeler || busy || errors}
                title={errors ? t('status.deployRefused') : undefined}
                onClick={deploy}
              >
                {t('toolbar.deploy')}
              </button>
            )}
          </>
        )}
        <button
          type="button"
          data-testid="designer-simulate"
          aria-pressed={mode === 'simulate'}
          disabled={!modeler}
          onClick={() => setMode(mode === 'simulate' ? 'properties' : 'simulate')}
        >
          {mode === 'simulate' ? t('toolbar.stopSimulation') : t('toolbar.simulate')}
        </button>
        {!readOnly && (
          <label className="sl-file">
            {t('toolbar.import')}
            <input
              type="file"
              accept=".bpmn,.xml"
              data-testid="designer-import"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) importFile(file);
                e.target.value = '';
              }}
            />
          </label>
        )}
        <button type="button" data-testid="designer-export" disabled={!modeler} onClick={exportFile}>
          {t('toolbar.export')}
        </button>
        <button type="button" disabled={!modeler} onClick={() => modeler.get('canvas').zoom('fit-viewport', 'auto')}>
          {t('toolbar.fit')}
        </button>
        {status && (
          <span className={`sl-status sl-status-${status.kind}`} role="status" data-testid="designer-status">
            {status.key ? t(status.key, status.params) : status.text}
          </span>
        )}
      </div>
      <div className="sl-workspace">
        <div className="sl-canvas" ref={canvasRef} />
        <aside className="sl-side" ref={panelRef}>
          {mode === 'simulate' && modeler ? (
            <SimulationPanel
              compile={async () => compile(await currentXml())}
              markers={modeler.get('slMarkers')}
              nameOf={nameOf}
              formKeyOf={formKeyOf}
              renderTaskForm={renderTaskForm}
              loadHistory={loadHistory}
              listInstances={listInstances}
            />
          ) : readOnly ? (
            <p className="sl-hint">{t('readOnly.hint')}</p>
          ) : (
            editor &&
            element && (
              <PropertiesPanel
                key={element.id}
                editor={editor}
                element={element}
                groups={groups}
                processes={processes}
                forms={forms}
                variables={variables}
              />
            )
          )}
        </aside>
      </div>
      {!readOnly && <ProblemsPanel problems={listed} checking={checking} nameOf={nameOf} onSelect={selectProblem} />}
      {importing && (
        <ImportDialog
          fileName={importing.name}
          report={importing.report}
          error={importing.error}
          onCancel={() => setImporting(undefined)}
          onOpen={() => {
            setImporting(undefined);
            void openImported(importing.name, importing.xml, importing.report);
          }}
        />
      )}
    </div>
  );
}
