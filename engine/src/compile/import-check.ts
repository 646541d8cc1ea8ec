// The importer's report: for a model of any dialect, what runs as written, what was mapped onto
// the engine's own attributes and how, what is ignored (with the warning that says so) and what is
// refused, so that a person can decide before deploying. It is compile's own findings, sorted:
// nothing here judges a model differently from compile().
import type { Problem } from '../model.ts';
import { type Analysis, analyse, type CompileOptions } from './index.ts';
import type { Dialect } from './moddle.ts';

export interface ImportFinding {
  /** The element's id ('' for the document as a whole). */
  element: string;
  /** The extension or construct, as written (`camunda:taskListener (class="com.acme.X")`). */
  what: string;
  reason: string;
}

export interface ImportMapping {
  element: string;
  /** The attribute or extension element as written (`flowable:assignee="${initiator}"`). */
  attribute: string;
  /** What it becomes here. */
  to: string;
  note?: string;
}

export interface ImportReport {
  /** Whether the model compiles: deploying it would succeed. */
  runs: boolean;
  dialect: Dialect;
  processId?: string;
  /** Elements that carry no other dialect's extension and nothing refused or ignored: they run as written. */
  asWritten: Array<{ element: string; type: string }>;
  mapped: ImportMapping[];
  /** Extensions kept but not executed; each is also one of `warnings`. */
  ignored: ImportFinding[];
  refused: ImportFinding[];
  /** Every warning compile() gives (Definition.warnings), extensions and the rest (unreachable elements, generated ids). */
  warnings: Array<{ elementId: string; message: string }>;
}

/**
 * Checks a model for import. Throws UnreadableDocumentError (a DefinitionError) only when the text
 * is not a BPMN document at all; a model that is refused is a report with `runs: false`.
 */
export async function checkImport(xml: string, options: CompileOptions = {}): Promise<ImportReport> {
  return reportOf(await analyse(xml, options));
}

export function reportOf(a: Analysis): ImportReport {
  const finding = (p: Problem): ImportFinding => {
    const f = a.findings.get(p);
    return f ? { element: p.elementId, what: f.what, reason: f.reason } : { element: p.elementId, what: '', reason: p.message };
  };
  const warnings = a.problems.filter((p) => p.severity === 'warning');
  const errors = a.problems.filter((p) => p.severity !== 'warning');
  const touched = new Set([...a.problems.map((p) => p.elementId), ...a.mapped.map((m) => m.element)]);
  return {
    runs: a.definition !== undefined,
    dialect: a.dialect,
    ...(a.definition ? { processId: a.definition.processId } : {}),
    asWritten: a.elements.filter((e) => !touched.has(e.element)),
    mapped: a.mapped,
    ignored: warnings.filter((p) => a.findings.has(p)).map(finding),
    refused: errors.map(finding),
    warnings: warnings.map((p) => ({ elementId: p.elementId, message: p.message })),
  };
}
