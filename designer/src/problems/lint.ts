// The engine's own compile() as the designer's linter: the same checks the server runs on deploy,
// run in the browser on the XML being edited.
import { compile, DefinitionError } from '@serviceloom/engine';

export interface DesignerProblem {
  elementId: string;
  message: string;
  severity: 'error' | 'warning';
  /** The properties-panel field at fault, when the message tells. */
  field?: string;
  /** Where it comes from when not the live check: the import report of the opened file, or the last deployment. */
  source?: 'import' | 'deploy';
}

export async function lint(xml: string): Promise<DesignerProblem[]> {
  try {
    const definition = await compile(xml);
    return definition.warnings.map((p) => withField({ elementId: p.elementId, message: p.message, severity: 'warning' }));
  } catch (e) {
    if (e instanceof DefinitionError) {
      return e.problems.map((p) => withField({ elementId: p.elementId, message: p.message, severity: p.severity ?? 'error' }));
    }
    return [{ elementId: '', message: (e as Error).message, severity: 'error' }];
  }
}

const FIELDS: Array<[RegExp, string]> = [
  [/no condition|the condition|condition language/, 'condition'],
  [/sl:type|job type/, 'type'],
  [/calledElement|called version/, 'calledElement'],
  [/timer/, 'timerValue'],
  [/collection|loopCardinality|output element|completion condition/, 'collection'],
  [/the script|script format/, 'script'],
  [/correlation key/, 'correlationKey'],
  [/message/, 'message'],
  [/signal/, 'signal'],
  [/error with a code|error/, 'error'],
  [/escalation/, 'escalation'],
  [/assignee/, 'assignee'],
  [/candidate groups/, 'candidateGroups'],
  [/due date/, 'dueDate'],
  [/mapping/, 'mappings'],
  [/retries/, 'retries'],
];

function withField(p: DesignerProblem): DesignerProblem {
  const hit = FIELDS.find(([re]) => re.test(p.message));
  return hit ? { ...p, field: hit[1] } : p;
}

export const hasErrors = (problems: readonly DesignerProblem[]) => problems.some((p) => p.severity === 'error');
