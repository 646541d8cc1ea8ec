// @serviceloom/engine: BPMN 2.0 compile, validation and execution as pure functions.
export type { Command, StartCommand } from './commands.ts';
export {
  checkImport,
  type ImportFinding,
  type ImportMapping,
  type ImportReport,
} from './compile/import-check.ts';
export { type CompileOptions, compile, DefinitionError, UnreadableDocumentError } from './compile/index.ts';
export { MAX_FLOW_ELEMENTS, MAX_NESTING } from './compile/limits.ts';
export { createModdle, type Dialect, moddleExtensions, SL_NAMESPACE } from './compile/moddle.ts';
export type { Effect, HistoryEvent, HistoryEventKind } from './effects.ts';
export {
  type CompiledFeel,
  compileFeel,
  configureFeelBudget,
  DEFAULT_FEEL_BUDGET,
  type FeelBudget,
  FeelBudgetError,
  FeelSyntaxError,
} from './feel/index.ts';
export type { Definition, EventKind, FlowNode, NodeType, Problem, ProcessStart, SequenceFlow } from './model.ts';
export { EngineError, type EngineErrorCode } from './run/errors.ts';
export { execute, type StepResult } from './run/execute.ts';
export {
  activeElementIds,
  findMessageSubscription,
  instanceVariables,
  matchConditionalStarts,
  openWaits,
  visibleVariables,
} from './run/queries.ts';
export { STEP_LIMIT } from './run/step.ts';
export type { ElementInstance, Fault, InstanceState, InstanceStatus, Variables, Wait, WaitKind } from './state.ts';
export {
  addDuration,
  cycleIntervalMs,
  firstSchedule,
  nextSchedule,
  parseCycle,
  type Schedule,
  startTimerSchedule,
  TimerFormatError,
} from './timer.ts';
