// A compact ticket flow for the ITSM modules' tests, written to templates/README.md's conventions
// (sl:state on elements, actions as `ticket.<action>` messages). The templates' own flows are
// tested in templates/; these tests pin the modules' side of the convention.
const catchMsg = (id: string, message: string) =>
  `<bpmn:intermediateCatchEvent id="${id}"><bpmn:messageEventDefinition messageRef="m_${message.replace(/[.-]/g, '_')}"/></bpmn:intermediateCatchEvent>`;
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"/>`;

const MESSAGES = ['start', 'hold', 'resume', 'resolve', 'reopen', 'close', 'cancel', 'declare-major'];

export function ticketFlow(processId: string): string {
  const messages = MESSAGES.map((m) => `<bpmn:message id="m_ticket_${m.replace(/-/g, '_')}" name="ticket.${m}"/>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:sl="http://serviceloom.dev/schema/bpmn" id="defs-${processId}" targetNamespace="http://serviceloom.dev/test">
  ${messages}
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" sl:state="new"/>
    <bpmn:eventBasedGateway id="g_new" sl:state="new"/>
    ${catchMsg('new_start', 'ticket.start')}${catchMsg('new_resolve', 'ticket.resolve')}${catchMsg('new_cancel', 'ticket.cancel')}
    <bpmn:eventBasedGateway id="g_progress" sl:state="in_progress"/>
    ${catchMsg('progress_hold', 'ticket.hold')}${catchMsg('progress_resolve', 'ticket.resolve')}${catchMsg('progress_cancel', 'ticket.cancel')}
    <bpmn:eventBasedGateway id="g_hold" sl:state="on_hold"/>
    ${catchMsg('hold_resume', 'ticket.resume')}${catchMsg('hold_resolve', 'ticket.resolve')}${catchMsg('hold_cancel', 'ticket.cancel')}
    <bpmn:eventBasedGateway id="g_resolved" sl:state="resolved"/>
    ${catchMsg('resolved_reopen', 'ticket.reopen')}${catchMsg('resolved_close', 'ticket.close')}
    <bpmn:intermediateCatchEvent id="auto_close"><bpmn:timerEventDefinition><bpmn:timeDate>=autoCloseAt</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="closed" sl:state="closed"/>
    <bpmn:endEvent id="auto_closed" sl:state="closed"/>
    <bpmn:endEvent id="cancelled" sl:state="cancelled"/>
    ${flow('f1', 'start', 'g_new')}
    ${flow('f2', 'g_new', 'new_start')}${flow('f3', 'g_new', 'new_resolve')}${flow('f4', 'g_new', 'new_cancel')}
    ${flow('f5', 'new_start', 'g_progress')}${flow('f6', 'new_resolve', 'g_resolved')}${flow('f7', 'new_cancel', 'cancelled')}
    ${flow('f8', 'g_progress', 'progress_hold')}${flow('f9', 'g_progress', 'progress_resolve')}${flow('f10', 'g_progress', 'progress_cancel')}
    ${flow('f11', 'progress_hold', 'g_hold')}${flow('f12', 'progress_resolve', 'g_resolved')}${flow('f13', 'progress_cancel', 'cancelled')}
    ${flow('f14', 'g_hold', 'hold_resume')}${flow('f15', 'g_hold', 'hold_resolve')}${flow('f16', 'g_hold', 'hold_cancel')}
    ${flow('f17', 'hold_resume', 'g_progress')}${flow('f18', 'hold_resolve', 'g_resolved')}${flow('f19', 'hold_cancel', 'cancelled')}
    ${flow('f20', 'g_resolved', 'resolved_reopen')}${flow('f21', 'g_resolved', 'resolved_close')}${flow('f22', 'g_resolved', 'auto_close')}
    ${flow('f23', 'resolved_reopen', 'g_progress')}${flow('f24', 'resolved_close', 'closed')}${flow('f25', 'auto_close', 'auto_closed')}
    <bpmn:subProcess id="major" triggeredByEvent="true">
      <bpmn:startEvent id="major_start" isInterrupting="false"><bpmn:messageEventDefinition messageRef="m_ticket_declare_major"/></bpmn:startEvent>
      <bpmn:userTask id="major-comms" name="Communications update" sl:candidateGroups="major-incident"/>
      <bpmn:endEvent id="major_end"/>
      ${flow('m1', 'major_start', 'major-comms')}${flow('m2', 'major-comms', 'major_end')}
    </bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>`;
}
