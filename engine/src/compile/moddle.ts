// A moddle for the dialect the document is written in: ServiceLoom, Camunda 7 or Camunda 8.
// Their descriptors define properties of the same names on the same types, so moddle cannot
// load them side by side; a document uses one.
import { BpmnModdle } from 'bpmn-moddle';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import serviceloom from '../moddle/serviceloom.json' with { type: 'json' };

export const SL_NAMESPACE = 'http://serviceloom.dev/schema/bpmn';
const ZEEBE_NAMESPACE = 'http://camunda.org/schema/zeebe/1.0';

/** Moddle descriptors for bpmn-js `moddleExtensions` (the designer writes `sl:` attributes). */
export const moddleExtensions = { sl: serviceloom } as const;

const CAMUNDA_NAMESPACE = 'http://camunda.org/schema/1.0/bpmn';

export type Dialect = 'serviceloom' | 'camunda' | 'zeebe';

export function dialectOf(xml: string): Dialect {
  if (xml.includes(SL_NAMESPACE)) return 'serviceloom';
  if (xml.includes(ZEEBE_NAMESPACE)) return 'zeebe';
  return xml.includes(CAMUNDA_NAMESPACE) ? 'camunda' : 'serviceloom';
}

const descriptors = { serviceloom: { sl: serviceloom }, camunda: { camunda }, zeebe: { zeebe } };

export function createModdle(dialect: Dialect = 'serviceloom'): BpmnModdle {
  return new BpmnModdle(descriptors[dialect] as unknown as Record<string, unknown>);
}
