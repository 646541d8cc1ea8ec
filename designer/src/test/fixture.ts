// One process holding every element kind the panel edits, without DI (laid out on import).
export const FIXTURE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:sl="http://serviceloom.dev/schema/bpmn" id="defs" targetNamespace="http://serviceloom.dev/test">
  <bpmn:process id="fixture" name="Fixture" isExecutable="true">
    <bpmn:startEvent id="start" name="Start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ut"/>
    <bpmn:userTask id="ut" name="Review"/>
    <bpmn:sequenceFlow id="f2" sourceRef="ut" targetRef="gw"/>
    <bpmn:exclusiveGateway id="gw" name="Approved?"/>
    <bpmn:sequenceFlow id="f_yes" sourceRef="gw" targetRef="svc"/>
    <bpmn:sequenceFlow id="f_no" sourceRef="gw" targetRef="errEnd"/>
    <bpmn:serviceTask id="svc" name="Notify"/>
    <bpmn:sequenceFlow id="f3" sourceRef="svc" targetRef="script"/>
    <bpmn:scriptTask id="script" name="Compute"/>
    <bpmn:sequenceFlow id="f4" sourceRef="script" targetRef="call"/>
    <bpmn:callActivity id="call" name="Sub"/>
    <bpmn:sequenceFlow id="f5" sourceRef="call" targetRef="timer"/>
    <bpmn:intermediateCatchEvent id="timer" name="Wait"><bpmn:timerEventDefinition id="timerDef"/></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f6" sourceRef="timer" targetRef="msg"/>
    <bpmn:intermediateCatchEvent id="msg" name="Reply"><bpmn:messageEventDefinition id="msgDef"/></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f7" sourceRef="msg" targetRef="sig"/>
    <bpmn:intermediateThrowEvent id="sig" name="Tell"><bpmn:signalEventDefinition id="sigDef"/></bpmn:intermediateThrowEvent>
    <bpmn:sequenceFlow id="f8" sourceRef="sig" targetRef="esc"/>
    <bpmn:intermediateThrowEvent id="esc" name="Escalate"><bpmn:escalationEventDefinition id="escDef"/></bpmn:intermediateThrowEvent>
    <bpmn:sequenceFlow id="f9" sourceRef="esc" targetRef="end"/>
    <bpmn:endEvent id="end" name="Done"/>
    <bpmn:endEvent id="errEnd" name="Rejected"><bpmn:errorEventDefinition id="errDef"/></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
`;
