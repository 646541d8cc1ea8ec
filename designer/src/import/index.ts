// The import dialog on its own (no bpmn-js): hosts show the importer's report before opening the designer.
export { designerResources } from '../i18n/index.ts';
export { ImportDialog, ImportReportView } from './ImportDialog.tsx';
export { type ImportReport, importProblems, type ModelWarning } from './report.ts';
