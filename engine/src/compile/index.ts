// compile(xml): BPMN XML to an immutable, indexed Definition, or a DefinitionError that lists
// every problem found, each naming its element.
import type { ModdleElement } from 'bpmn-moddle';
import type { Definition, Problem } from '../model.ts';
import type { Finding } from './audit.ts';
import { type MappedExtension, ProcessBuilder } from './build.ts';
import { checkLimits } from './limits.ts';
import { createModdle, type Dialect, dialectOf } from './moddle.ts';
import { computeUpstream, validateGraph } from './validate.ts';

export class DefinitionError extends Error {
  readonly code = 'BPMN_INVALID';
  constructor(readonly problems: readonly Problem[]) {
    super(
      `The BPMN model has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ` +
        problems
          .slice(0, 5)
          .map((p) => `${p.elementId || '(document)'}: ${p.message}`)
          .join('; ') +
        (problems.length > 5 ? '; ...' : ''),
    );
    this.name = 'DefinitionError';
  }
}

export interface CompileOptions {
  /** Which process to compile when the file holds several. */
  processId?: string;
}

/** What compiling found, whether or not the model compiles: compile() and checkImport() share it. */
export interface Analysis {
  dialect: Dialect;
  definition?: Definition;
  /** Every problem, errors and warnings, in the order found. */
  problems: Problem[];
  findings: Map<Problem, Finding>;
  mapped: MappedExtension[];
  /** The elements built (nodes and flows), with their BPMN type; empty when the document could not be read that far. */
  elements: Array<{ element: string; type: string }>;
}

/** The XML cannot be read as a BPMN document at all (as opposed to a model that is refused). */
export class UnreadableDocumentError extends DefinitionError {}

export async function compile(xml: string, options: CompileOptions = {}): Promise<Definition> {
  const a = await analyse(xml, options);
  if (a.definition) return a.definition;
  throw new DefinitionError(a.problems.filter((p) => p.severity !== 'warning'));
}

/** Parses, builds and validates; throws UnreadableDocumentError only when there is no BPMN document to speak of. */
export async function analyse(xml: string, options: CompileOptions = {}): Promise<Analysis> {
  if (typeof xml !== 'string' || xml.trim() === '')
    throw new UnreadableDocumentError([{ elementId: '', message: 'the BPMN document is empty' }]);
  const dialect = dialectOf(xml);
  const moddle = createModdle(dialect);
  const refusedOnly = (problems: Problem[]): Analysis => ({ dialect, problems, findings: new Map(), mapped: [], elements: [] });
  let root: ModdleElement;
  let dropped: Problem[] = [];
  try {
    const parsed = await moddle.fromXML(xml);
    root = parsed.rootElement;
    if (!root || root.$type !== 'bpmn:Definitions') throw new Error('the document is not a BPMN 2.0 definitions element');
    // Content the parser could not read would silently vanish from the model: refuse it.
    dropped = parsed.warnings
      .filter((w) => /unparsable content/i.test(w.message))
      .map((w) => {
        // The parser drops the second element with an id already taken; say which id, like the builder does.
        const nested = /nested error: (.*)/.exec(w.message)?.[1];
        const duplicate = nested ? /^duplicate ID <(.+)>$/.exec(nested)?.[1] : undefined;
        if (duplicate) return { elementId: duplicate, message: 'id is used by more than one element', severity: 'error' as const };
        return {
          elementId: String(w.element?.id ?? ''),
          message: `unreadable content: ${firstLine(w.message)}${nested ? ` (${nested})` : ''}`,
          severity: 'error' as const,
        };
      });
  } catch (e) {
    throw new UnreadableDocumentError([
      { elementId: '', message: `the XML cannot be read as BPMN 2.0: ${firstLine((e as Error).message)}` },
    ]);
  }
  if (dropped.length) return refusedOnly(dropped);
  let process: ModdleElement;
  try {
    process = chooseProcess(root, options.processId);
  } catch (e) {
    if (e instanceof DefinitionError) return refusedOnly([...e.problems]);
    throw e;
  }
  // Beyond the limits nothing else is checked: each further problem would cost in proportion.
  const beyond = checkLimits(process);
  if (beyond.length) return refusedOnly(beyond);
  const builder = new ProcessBuilder(dialect);
  const built = builder.build(process);
  validateGraph(builder, String(process.id));
  computeUpstream(builder);
  const elements = [
    ...Object.values(builder.nodes).map((n) => ({ element: n.id, type: n.type })),
    ...Object.values(builder.flows).map((f) => ({ element: f.id, type: 'sequenceFlow' })),
  ];
  const analysis: Analysis = { dialect, problems: builder.problems, findings: builder.findings, mapped: builder.mapped, elements };
  if (builder.problems.some((p) => p.severity !== 'warning')) return analysis;
  analysis.definition = deepFreeze({
    processId: String(process.id),
    name: process.name ? String(process.name) : undefined,
    root: built.scopes[String(process.id)] as Definition['root'],
    nodes: built.nodes,
    flows: built.flows,
    starts: built.starts,
    warnings: builder.problems.filter((p) => p.severity === 'warning'),
  } satisfies Definition as Definition);
  return analysis;
}

function chooseProcess(root: ModdleElement, processId: string | undefined): ModdleElement {
  const processes = ((root.rootElements as ModdleElement[] | undefined) ?? []).filter((e) => e.$type === 'bpmn:Process');
  if (processId) {
    const p = processes.find((e) => e.id === processId);
    if (!p) throw new DefinitionError([{ elementId: processId, message: 'no process with this id in the document' }]);
    return p;
  }
  const withNodes = processes.filter((p) => ((p.flowElements as unknown[] | undefined) ?? []).length > 0);
  if (withNodes.length === 0) throw new DefinitionError([{ elementId: '', message: 'the document holds no process with elements' }]);
  const executable = withNodes.filter((p) => p.isExecutable === true);
  const candidates = executable.length ? executable : withNodes;
  if (candidates.length > 1) {
    throw new DefinitionError(
      candidates.map((p) => ({
        elementId: String(p.id),
        message: executable.length
          ? 'the document holds several executable processes; deploy each in its own file or choose one by processId'
          : 'the document holds several processes and none is marked isExecutable="true"; mark the one to run',
      })),
    );
  }
  return candidates[0] as ModdleElement;
}

const firstLine = (text: string) => text.split('\n')[0] ?? text;

/** Freezes the definition and everything in it but compiled FEEL; iterative, whatever the model's depth. */
function deepFreeze<T>(value: T): T {
  const todo: unknown[] = [value];
  for (let v = todo.pop(); v !== undefined; v = todo.pop()) {
    if (!v || typeof v !== 'object' || Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const child of Object.values(v)) if (child && typeof child === 'object' && !('evaluate' in child)) todo.push(child);
  }
  return value;
}
