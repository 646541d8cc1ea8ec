// HTTP calls written in another dialect, mapped onto the engine's http connector: a job of type
// `http` whose variables are `url`, `method`, `headers` (a context of header names to values) and
// `body`, and which completes with `response` (the body), `statusCode` and `headers`. What the
// call's author did not map out stays local to the element, as in Camunda 7 and Flowable.
// - Camunda 7 (and Activiti-namespace) `<camunda:connector>` with connectorId `http-connector`:
//   its input parameters (`payload` becomes `body`) and output parameters.
// - Flowable / Activiti HTTP tasks (`flowable:type="http"`): the fields `requestMethod`,
//   `requestUrl`, `requestHeaders`, `requestBody` and `responseVariableName` (the body as text, as
//   Flowable saves it). Any other field changes behaviour we do not reproduce: refused.
import type { ModdleElement } from 'bpmn-moddle';
import type { RawMapping } from './extensions.ts';
import { isJuelTemplate, juelTemplateToFeel } from './juel.ts';

export const HTTP_JOB_TYPE = 'http';

export interface HttpMapping {
  inputs: RawMapping[];
  outputs: RawMapping[];
  /** What was read, for the import report: `camunda:connector http-connector`. */
  what: string;
}

const feelString = (s: string) => JSON.stringify(s);

/** A parameter's text as a mapping: JUEL, a JUEL composite (`${base}/orders`) or a literal. */
function valueMapping(text: string, target: string, refused: string[], what: string): RawMapping | undefined {
  if (isJuelTemplate(text)) {
    try {
      return { source: juelTemplateToFeel(text), target, dialect: 'feel' };
    } catch (e) {
      refused.push(`${what}: ${(e as Error).message}`);
      return undefined;
    }
  }
  return { source: text, target, dialect: /^\s*[$#]\{/.test(text) ? 'juel' : 'literal' };
}

/** A header map (`<camunda:map>` of literal entries, or Flowable's `Name: value` lines) as a FEEL context. */
function headerContext(entries: Array<[string, string]>): string {
  return `{${entries.map(([k, v]) => `${feelString(k)}: ${feelString(v)}`).join(', ')}}`;
}

/** Camunda 7 `<camunda:connector connectorId="http-connector">`; anything else refused by its connectorId. */
export function readConnector(connector: ModdleElement, refused: string[]): HttpMapping | undefined {
  const tag = `${String(connector.$type).split(':')[0]}:connector`;
  const id = String(connector.connectorId ?? '');
  if (id !== 'http-connector') {
    refused.push(
      `${tag} connectorId="${id}" cannot run here: only the http-connector maps (onto the http connector); use a job type (sl:type) for a worker`,
    );
    return undefined;
  }
  const io = connector.inputOutput as ModdleElement | undefined;
  const inputs: RawMapping[] = [];
  for (const p of (io?.inputParameters as ModdleElement[] | undefined) ?? []) {
    const name = String(p.name ?? '');
    const target = name === 'payload' ? 'body' : name;
    if (!['url', 'method', 'headers', 'body'].includes(target)) {
      refused.push(`${tag} input "${name}" cannot run here: the http connector takes url, method, headers and payload`);
      continue;
    }
    const def = p.definition as ModdleElement | undefined;
    if (def) {
      const entries = (def.entries as ModdleElement[] | undefined) ?? [];
      const literal = def.$type.endsWith(':Map') && entries.every((e) => !e.definition && !/[$#]\{/.test(String(e.value ?? '')));
      if (!literal) {
        refused.push(
          `${tag} input "${name}" is a ${String(def.$type).split(':')[1]?.toLowerCase()} of expressions; write it as literal entries`,
        );
        continue;
      }
      inputs.push({ source: headerContext(entries.map((e) => [String(e.key), String(e.value ?? '')])), target, dialect: 'feel' });
      continue;
    }
    const mapped = valueMapping(typeof p.value === 'string' ? p.value : '', target, refused, `${tag} input "${name}"`);
    if (mapped) inputs.push(mapped);
  }
  const written = ((io?.inputParameters as ModdleElement[] | undefined) ?? []).some((p) => p.name === 'url');
  if (!written) refused.push(`${tag} http-connector has no url input`);
  const outputs: RawMapping[] = [];
  for (const p of (io?.outputParameters as ModdleElement[] | undefined) ?? []) {
    if (p.definition) {
      refused.push(`${tag} output "${p.name}" is a ${String(p.definition.$type).split(':')[1]?.toLowerCase()}; write it as an expression`);
      continue;
    }
    const mapped = valueMapping(typeof p.value === 'string' ? p.value : '', String(p.name ?? ''), refused, `${tag} output "${p.name}"`);
    if (mapped) outputs.push(mapped);
  }
  return { inputs, outputs, what: `${tag} http-connector` };
}

const FLOWABLE_HTTP_FIELDS = new Set(['requestMethod', 'requestUrl', 'requestHeaders', 'requestBody', 'responseVariableName']);

/** Flowable / Activiti `type="http"` tasks and their fields. */
export function readHttpTask(fields: ModdleElement[], prefix: string, refused: string[]): HttpMapping | undefined {
  const value = (name: string): { text: string; expr: boolean } | undefined => {
    const f = fields.find((x) => x.name === name);
    if (!f) return undefined;
    if (f.stringValue !== undefined) return { text: String(f.stringValue), expr: false };
    if (f.string !== undefined) return { text: String(f.string), expr: false };
    const expression = String(f.expression ?? '');
    return { text: expression, expr: /[$#]\{/.test(expression) };
  };
  for (const f of fields) {
    const name = String(f.name ?? '');
    if (!FLOWABLE_HTTP_FIELDS.has(name))
      refused.push(`${prefix}:field name="${name}" of the HTTP task cannot run here: the http connector does not support it`);
  }
  const inputs: RawMapping[] = [];
  const input = (field: string, target: string) => {
    const v = value(field);
    const mapped =
      v &&
      (v.expr
        ? valueMapping(v.text, target, refused, `${prefix}:field name="${field}"`)
        : { source: v.text, target, dialect: 'literal' as const });
    if (mapped) inputs.push(mapped);
  };
  input('requestUrl', 'url');
  input('requestMethod', 'method');
  input('requestBody', 'body');
  const headers = value('requestHeaders');
  if (headers?.expr) refused.push(`${prefix}:field name="requestHeaders" is an expression; write the headers as literal lines`);
  else if (headers) {
    const lines = headers.text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l): [string, string] => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]);
    if (lines.some(([k]) => !k)) refused.push(`${prefix}:field name="requestHeaders" holds a line that is not "Name: value"`);
    else inputs.push({ source: headerContext(lines), target: 'headers', dialect: 'feel' });
  }
  if (!value('requestUrl')) refused.push(`${prefix}:type="http" task has no requestUrl field`);
  const outputs: RawMapping[] = [];
  const responseVariable = value('responseVariableName');
  if (responseVariable) outputs.push({ source: 'response', target: responseVariable.text, dialect: 'feel' });
  return { inputs, outputs, what: `${prefix}:type="http"` };
}
