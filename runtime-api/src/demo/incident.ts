// The demo incident process seeded into tenant `demo` until the ITIL templates exist:
// the service desk triages, then resolves.
export const DEMO_INCIDENT_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:sl="http://serviceloom.dev/schema/bpmn" id="demo-incident-definitions"
  targetNamespace="http://serviceloom.dev/demo">
  <bpmn:process id="demo-incident" name="Incident (demo)" isExecutable="true">
    <bpmn:startEvent id="reported" name="Incident reported"/>
    <bpmn:sequenceFlow id="toTriage" sourceRef="reported" targetRef="triage"/>
    <bpmn:userTask id="triage" name="Triage the incident" sl:candidateGroups="service-desk" sl:dueDate="PT4H"/>
    <bpmn:sequenceFlow id="toResolve" sourceRef="triage" targetRef="resolve"/>
    <bpmn:userTask id="resolve" name="Resolve the incident" sl:candidateGroups="service-desk" sl:dueDate="P1D"/>
    <bpmn:sequenceFlow id="toResolved" sourceRef="resolve" targetRef="resolved"/>
    <bpmn:endEvent id="resolved" name="Incident resolved"/>
  </bpmn:process>
</bpmn:definitions>
`;
