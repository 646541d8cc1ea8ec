// @serviceloom/designer: the bpmn-js process designer as React components and bpmn-js modules.
export { type DeployOutcome, Designer, type DesignerProps } from './Designer.tsx';
export { designerResources } from './i18n/index.ts';
export { ImportDialog, ImportReportView } from './import/ImportDialog.tsx';
export { type ImportReport, importProblems, type ModelWarning } from './import/report.ts';
export { convertToServiceLoom, dialectOf } from './io/convert.ts';
export { layoutIfNeeded, needsLayout, prepareForEditing } from './io/layout.ts';
export { type AnyModeler, createModeler, createViewer } from './modeler/create-modeler.ts';
export { type DesignerProblem, hasErrors, lint } from './problems/lint.ts';
export { PropertyEditor } from './properties/edit.ts';
export { type FormOption, type GroupOption, type ProcessOption, PropertiesPanel } from './properties/PropertiesPanel.tsx';
export { describeTimer } from './properties/timer-preview.ts';
export type { InstanceOption, ReplayEntry, TaskFormRenderer } from './simulation/SimulationPanel.tsx';
export { Simulation, tokensFromHistory } from './simulation/simulator.ts';
