// The two benchmark flows, each written twice: for ServiceLoom (sl: extensions, FEEL) and for
// bpmn-engine (plain BPMN, JavaScript scripts and conditions). Same elements, same ids, same paths.
//
// (a) automatic: start -> script (score = n * 3) -> XOR (score mod 10 != 0, else default end)
//     -> parallel split -> two service tasks -> parallel join -> end. 9 in 10 instances take the split.
// (b) incident: start -> user task triage -> resolve -> confirm -> end.

export type FlowName = 'automatic' | 'incident';

const head = (extra: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ${extra}
  id="bench" targetNamespace="http://serviceloom.dev/bench">`;

const ours = head('xmlns:sl="http://serviceloom.dev/schema/bpmn"');
const theirs = head('');

interface Dialect {
  script: string;
  condition: string;
  service: string;
}

const slDialect: Dialect = {
  script: `<bpmn:scriptTask id="score" scriptFormat="feel" sl:resultVariable="score"><bpmn:script>n * 3</bpmn:script></bpmn:scriptTask>`,
  condition: `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">modulo(score, 10) != 0</bpmn:conditionExpression>`,
  service: 'sl:type="work"',
};

const jsDialect: Dialect = {
  script: `<bpmn:scriptTask id="score" scriptFormat="javascript"><bpmn:script>environment.variables.score = environment.variables.n * 3; next();</bpmn:script></bpmn:scriptTask>`,
  condition: `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">next(null, environment.variables.score % 10 !== 0)</bpmn:conditionExpression>`,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a bpmn-engine expression, not a template
  service: 'implementation="${environment.services.work}"',
};

const automatic = (d: Dialect) => `
  <bpmn:process id="automatic" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="score"/>
    ${d.script}
    <bpmn:sequenceFlow id="f2" sourceRef="score" targetRef="route"/>
    <bpmn:exclusiveGateway id="route" default="toSkipped"/>
    <bpmn:sequenceFlow id="toSplit" sourceRef="route" targetRef="split">${d.condition}</bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="toSkipped" sourceRef="route" targetRef="skipped"/>
    <bpmn:endEvent id="skipped"/>
    <bpmn:parallelGateway id="split"/>
    <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="enrich"/>
    <bpmn:sequenceFlow id="f4" sourceRef="split" targetRef="notify"/>
    <bpmn:serviceTask id="enrich" ${d.service}/>
    <bpmn:serviceTask id="notify" ${d.service}/>
    <bpmn:sequenceFlow id="f5" sourceRef="enrich" targetRef="join"/>
    <bpmn:sequenceFlow id="f6" sourceRef="notify" targetRef="join"/>
    <bpmn:parallelGateway id="join"/>
    <bpmn:sequenceFlow id="f7" sourceRef="join" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>`;

const incident = `
  <bpmn:process id="incident" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="triage"/>
    <bpmn:userTask id="triage"/>
    <bpmn:sequenceFlow id="f2" sourceRef="triage" targetRef="resolve"/>
    <bpmn:userTask id="resolve"/>
    <bpmn:sequenceFlow id="f3" sourceRef="resolve" targetRef="confirm"/>
    <bpmn:userTask id="confirm"/>
    <bpmn:sequenceFlow id="f4" sourceRef="confirm" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>`;

export const oursXml: Record<FlowName, string> = {
  automatic: ours + automatic(slDialect),
  incident: ours + incident,
};

export const theirsXml: Record<FlowName, string> = {
  automatic: theirs + automatic(jsDialect),
  incident: theirs + incident,
};

/** Variables a job or task is completed with, on both engines. */
export const completion = { done: true };

/** Whether instance n takes the parallel branch in flow (a): score = 3n, and 3n mod 10 = 0 iff n mod 10 = 0. */
export const takesSplit = (n: number) => n % 10 !== 0;
