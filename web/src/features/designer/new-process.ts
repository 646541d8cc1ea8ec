// What a new process starts as, and how an imported file names its process.
const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);

/** A new process: a start and an end event joined by a flow, and no layout (the designer lays it out). */
export function newProcessXml(key: string, name: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:sl="http://serviceloom.dev/schema/bpmn" id="Definitions_${escapeXml(key)}" targetNamespace="http://serviceloom.dev/bpmn">
  <bpmn:process id="${escapeXml(key)}" name="${escapeXml(name || key)}" isExecutable="true">
    <bpmn:startEvent id="start" name="Start"/>
    <bpmn:sequenceFlow id="flow_start" sourceRef="start" targetRef="end"/>
    <bpmn:endEvent id="end" name="End"/>
  </bpmn:process>
</bpmn:definitions>
`;
}

/** The id of the (first) process in a BPMN file: the key it deploys as. */
export function processIdOf(xml: string): string | undefined {
  return /<(?:\w+:)?process\b[^>]*?\sid="([^"]+)"/.exec(xml)?.[1];
}

/** Keys the designer accepts for a new process (a BPMN id that reads well in a URL). */
export const KEY_PATTERN = /^[A-Za-z][\w-]{0,99}$/;

/** What is wrong with a new process key, as a message id (`processes.<id>`), or undefined. */
export function keyProblem(key: string): 'keyRequired' | 'keyInvalid' | undefined {
  if (!key.trim()) return 'keyRequired';
  return KEY_PATTERN.test(key) ? undefined : 'keyInvalid';
}
