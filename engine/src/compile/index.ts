// compile(xml): BPMN XML to an immutable, indexed Definition, or a DefinitionError that lists
// every problem found, each naming its element.
import type { ModdleElement } from 'bpmn-moddle';
import type { Definition, Problem } from '../model.ts';
import { ProcessBuilder } from './build.ts';
import { checkLimits } from './limits.ts';
import { createModdle, dialectOf } from './moddle.ts';
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

export async function compile(xml: string, options: CompileOptions = {}): Promise<Definition> {
  if (typeof xml !== 'string' || xml.trim() === '') throw new DefinitionError([{ elementId: '', message: 'the BPMN document is empty' }]);
  const dialect = dialectOf(xml);
  const moddle = createModdle(dialect);
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
    throw new DefinitionError([{ elementId: '', message: `the XML cannot be read as BPMN 2.0: ${firstLine((e as Error).message)}` }]);
  }
  if (dropped.length) throw new DefinitionError(dropped);
  const process = chooseProcess(root, options.processId);
  // Beyond the limits nothing else is checked: each further problem would cost in proportion.
  const beyond = checkLimits(process);
  if (beyond.length) throw new DefinitionError(beyond);
  const builder = new ProcessBuilder(dialect);
  const built = builder.build(process);
  validateGraph(builder, String(process.id));
  computeUpstream(builder);
  const errors = builder.problems.filter((p) => p.severity !== 'warning');
  if (errors.length) throw new DefinitionError(errors);
  const definition: Definition = {
    processId: String(process.id),
    name: process.name ? String(process.name) : undefined,
    root: built.scopes[String(process.id)] as Definition['root'],
    nodes: built.nodes,
    flows: built.flows,
    starts: built.starts,
    warnings: builder.problems.filter((p) => p.severity === 'warning'),
  };
  return deepFreeze(definition);
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
