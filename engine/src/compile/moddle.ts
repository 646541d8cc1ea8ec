// A moddle for the dialect the document is written in: ServiceLoom, Camunda 7 or Camunda 8,
// Flowable or Activiti. Their descriptors define properties of the same names on the same
// types, so moddle cannot load them side by side; a document uses one.
import { BpmnModdle } from 'bpmn-moddle';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import serviceloom from '../moddle/serviceloom.json' with { type: 'json' };

export const SL_NAMESPACE = 'http://serviceloom.dev/schema/bpmn';
const ZEEBE_NAMESPACE = 'http://camunda.org/schema/zeebe/1.0';
const CAMUNDA_NAMESPACE = 'http://camunda.org/schema/1.0/bpmn';
/** Activiti 5/6, and Camunda 7 models from before the `camunda` namespace (often bound to the `camunda:` prefix). */
const ACTIVITI_NAMESPACE = 'http://activiti.org/bpmn';
const FLOWABLE_NAMESPACE = 'http://flowable.org/bpmn';

/** Moddle descriptors for bpmn-js `moddleExtensions` (the designer writes `sl:` attributes). */
export const moddleExtensions = { sl: serviceloom } as const;

export type Dialect = 'serviceloom' | 'camunda' | 'zeebe' | 'flowable' | 'activiti';

/** The prefix under which the dialect's extension types are named in the parsed tree. */
export const DIALECT_PREFIX: Record<Dialect, string> = {
  serviceloom: 'sl',
  camunda: 'camunda',
  zeebe: 'zeebe',
  flowable: 'flowable',
  activiti: 'activiti',
};

const declares = (xml: string, uri: string) => new RegExp(`xmlns:[\\w.-]+\\s*=\\s*["']${uri.replace(/[.]/g, '\\.')}["']`).test(xml);

export function dialectOf(xml: string): Dialect {
  if (xml.includes(SL_NAMESPACE)) return 'serviceloom';
  if (xml.includes(ZEEBE_NAMESPACE)) return 'zeebe';
  if (xml.includes(CAMUNDA_NAMESPACE)) return 'camunda';
  if (declares(xml, FLOWABLE_NAMESPACE)) return 'flowable';
  // A bare targetNamespace="http://activiti.org/bpmn" (common in any modeler's output) is not the dialect.
  if (declares(xml, ACTIVITI_NAMESPACE)) return 'activiti';
  return 'serviceloom';
}

/**
 * Flowable and Activiti extend BPMN with the attributes and elements Camunda 7 inherited from
 * Activiti 5 (assignee, candidateGroups, formKey, class, expression, in/out, listeners...), with
 * the same names and meaning. We load Camunda's descriptor under their namespace; what they added
 * since is not described, so moddle keeps it as unknown attributes or elements, which the
 * compiler warns about or refuses by name (see audit.ts).
 */
function legacyDescriptor(prefix: string, uri: string): Record<string, unknown> {
  const renamed = JSON.parse(JSON.stringify(camunda).replaceAll('"camunda:', `"${prefix}:`)) as Record<string, unknown>;
  return { ...renamed, name: prefix, prefix, uri };
}

const descriptors: Record<Dialect, Record<string, unknown>> = {
  serviceloom: { sl: serviceloom },
  camunda: { camunda },
  zeebe: { zeebe },
  flowable: { flowable: legacyDescriptor('flowable', FLOWABLE_NAMESPACE) },
  activiti: { activiti: legacyDescriptor('activiti', ACTIVITI_NAMESPACE) },
};

export function createModdle(dialect: Dialect = 'serviceloom'): BpmnModdle {
  return new BpmnModdle(descriptors[dialect]);
}
