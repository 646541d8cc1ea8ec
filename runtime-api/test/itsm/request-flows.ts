// Compact request and change flows for the approvals' tests, written to templates/README.md's
// conventions: a request with a catalog item waits in `approval` (an event-based gateway) for
// `ticket.approved` or `ticket.rejected`; `fulfilment = "auto"` goes straight to `resolved`. A
// change waits in `authorize` after `submit`; approved goes to `scheduled`, rejected back to `new`.
// The real templates (templates/bpmn) replace these.
const catchMsg = (id: string, message: string) =>
  `<bpmn:intermediateCatchEvent id="${id}"><bpmn:messageEventDefinition messageRef="${ref(message)}"/></bpmn:intermediateCatchEvent>`;
const flow = (id: string, from: string, to: string, condition?: string) =>
  condition
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"/>`;
const ref = (message: string) => `m_${message.replace(/[.-]/g, '_')}`;
const messages = (names: string[]) => names.map((m) => `<bpmn:message id="${ref(`ticket.${m}`)}" name="ticket.${m}"/>`).join('');

const document = (processId: string, names: string[], body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:sl="http://serviceloom.dev/schema/bpmn" id="defs-${processId}" targetNamespace="http://serviceloom.dev/test">
  ${messages(names)}
  <bpmn:process id="${processId}" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;

export function requestFlow(processId = 'itsm-request'): string {
  return document(
    processId,
    ['approved', 'rejected', 'resolve', 'cancel', 'close'],
    `
    <bpmn:startEvent id="start" sl:state="new"/>
    <bpmn:exclusiveGateway id="needs" default="f_no_approval"/>
    <bpmn:eventBasedGateway id="g_approval" sl:state="approval"/>
    ${catchMsg('approved', 'ticket.approved')}${catchMsg('rejected', 'ticket.rejected')}${catchMsg('approval_cancel', 'ticket.cancel')}
    <bpmn:exclusiveGateway id="how" default="f_by_group"/>
    <bpmn:eventBasedGateway id="g_progress" sl:state="in_progress"/>
    ${catchMsg('progress_resolve', 'ticket.resolve')}${catchMsg('progress_cancel', 'ticket.cancel')}
    <bpmn:intermediateCatchEvent id="g_resolved" sl:state="resolved"><bpmn:messageEventDefinition messageRef="${ref('ticket.close')}"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="closed" sl:state="closed"/>
    <bpmn:endEvent id="rejected_end" sl:state="rejected"/>
    <bpmn:endEvent id="cancelled" sl:state="cancelled"/>
    ${flow('f1', 'start', 'needs')}
    ${flow('f_approval', 'needs', 'g_approval', '=needsApproval = true')}${flow('f_no_approval', 'needs', 'g_progress')}
    ${flow('f2', 'g_approval', 'approved')}${flow('f3', 'g_approval', 'rejected')}${flow('f4', 'g_approval', 'approval_cancel')}
    ${flow('f5', 'approved', 'how')}${flow('f6', 'rejected', 'rejected_end')}${flow('f7', 'approval_cancel', 'cancelled')}
    ${flow('f_auto', 'how', 'g_resolved', '=fulfilment = "auto"')}${flow('f_by_group', 'how', 'g_progress')}
    ${flow('f8', 'g_progress', 'progress_resolve')}${flow('f9', 'g_progress', 'progress_cancel')}
    ${flow('f10', 'progress_resolve', 'g_resolved')}${flow('f11', 'progress_cancel', 'cancelled')}
    ${flow('f12', 'g_resolved', 'closed')}`,
  );
}

export function changeFlow(processId = 'itsm-change'): string {
  return document(
    processId,
    ['submit', 'approved', 'rejected', 'cancel'],
    `
    <bpmn:startEvent id="start" sl:state="new"/>
    <bpmn:eventBasedGateway id="g_new" sl:state="new"/>
    ${catchMsg('submit', 'ticket.submit')}${catchMsg('new_cancel', 'ticket.cancel')}
    <bpmn:eventBasedGateway id="g_authorize" sl:state="authorize"/>
    ${catchMsg('approved', 'ticket.approved')}${catchMsg('rejected', 'ticket.rejected')}${catchMsg('authorize_cancel', 'ticket.cancel')}
    <bpmn:intermediateCatchEvent id="scheduled" sl:state="scheduled"><bpmn:messageEventDefinition messageRef="${ref('ticket.cancel')}"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="cancelled" sl:state="cancelled"/>
    ${flow('f1', 'start', 'g_new')}${flow('f2', 'g_new', 'submit')}${flow('f3', 'g_new', 'new_cancel')}
    ${flow('f4', 'submit', 'g_authorize')}${flow('f5', 'new_cancel', 'cancelled')}
    ${flow('f6', 'g_authorize', 'approved')}${flow('f7', 'g_authorize', 'rejected')}${flow('f8', 'g_authorize', 'authorize_cancel')}
    ${flow('f9', 'approved', 'scheduled')}${flow('f10', 'rejected', 'g_new')}${flow('f11', 'authorize_cancel', 'cancelled')}
    ${flow('f12', 'scheduled', 'cancelled')}`,
  );
}
