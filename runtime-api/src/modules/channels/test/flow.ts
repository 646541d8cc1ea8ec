// The smallest incident flow the tickets module runs (templates/README.md's conventions): a new
// ticket that waits to be closed. The channels' tests need a ticket for its timeline.
export function incidentFlow(processId = 'itsm-incident'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:sl="http://serviceloom.dev/schema/bpmn" id="defs-${processId}" targetNamespace="http://serviceloom.dev/test">
  <bpmn:message id="m_close" name="ticket.close"/>
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" sl:state="new"/>
    <bpmn:intermediateCatchEvent id="wait" sl:state="new"><bpmn:messageEventDefinition messageRef="m_close"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="closed" sl:state="closed"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="closed"/>
  </bpmn:process>
</bpmn:definitions>`;
}
