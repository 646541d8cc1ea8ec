// The importer's report (POST /definitions/import-check, the engine's checkImport) as problems-list
// entries: refusals as errors, every warning a deployment gives as a warning, marked as the import's.
import type { ImportReport } from '@serviceloom/engine';
import type { DesignerProblem } from '../problems/lint.ts';

export type { ImportReport };

/** A model warning as the deploy reply and the import report give it. */
export interface ModelWarning {
  elementId: string;
  message: string;
}

export function importProblems(report: ImportReport): DesignerProblem[] {
  return [
    ...report.refused.map(
      (r): DesignerProblem => ({
        elementId: r.element,
        message: r.what ? `${r.what}: ${r.reason}` : r.reason,
        severity: 'error',
        source: 'import',
      }),
    ),
    ...report.warnings.map((w): DesignerProblem => ({ elementId: w.elementId, message: w.message, severity: 'warning', source: 'import' })),
  ];
}

export function deployProblems(warnings: readonly ModelWarning[]): DesignerProblem[] {
  return warnings.map((w) => ({ elementId: w.elementId, message: w.message, severity: 'warning', source: 'deploy' }));
}

/** The live problems, then the import's or deployment's notes the live check does not repeat. */
export function mergeProblems(live: readonly DesignerProblem[], notes: readonly DesignerProblem[]): DesignerProblem[] {
  const seen = new Set(live.map((p) => `${p.elementId}\u0000${p.message}`));
  return [...live, ...notes.filter((n) => !seen.has(`${n.elementId}\u0000${n.message}`))];
}
