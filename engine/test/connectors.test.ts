// HTTP calls written for Camunda 7 (`camunda:connector` http-connector) and Flowable or Activiti
// (`type="http"` tasks) run on the engine's http connector: a job of type "http" with url, method,
// headers and body, whose response reaches the process only through what the author mapped out.
// What cannot map is refused, naming it.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Camunda 7 and Flowable JUEL expressions are written ${...}
import { describe, expect, it } from 'vitest';
import { checkImport, compile, DefinitionError } from '../src/index.ts';
import { Run } from './harness.ts';

const doc = (ns: string, task: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" ${ns} id="d" targetNamespace="http://example.com">
  <process id="p" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="h"/>
    ${task}
    <sequenceFlow id="f2" sourceRef="h" targetRef="e"/><endEvent id="e"/>
  </process>
</definitions>`;
const CAMUNDA = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"';
const FLOWABLE = 'xmlns:flowable="http://flowable.org/bpmn"';
const ACTIVITI = 'xmlns:activiti="http://activiti.org/bpmn"';

async function problems(xml: string) {
  try {
    await compile(xml);
  } catch (e) {
    if (e instanceof DefinitionError) return e.problems.map((p) => `${p.elementId}: ${p.message}`);
    throw e;
  }
  throw new Error('the model compiled');
}

const camundaConnector = (
  inputs: string,
  outputs = '<camunda:outputParameter name="orderStatus">${statusCode}</camunda:outputParameter>',
) =>
  doc(
    CAMUNDA,
    `<serviceTask id="h"><extensionElements><camunda:connector>
       <camunda:inputOutput>${inputs}${outputs}</camunda:inputOutput>
       <camunda:connectorId>http-connector</camunda:connectorId>
     </camunda:connector></extensionElements></serviceTask>`,
  );

describe('Camunda 7 http-connector', () => {
  const xml = camundaConnector(
    `<camunda:inputParameter name="url">\${baseUrl}/orders</camunda:inputParameter>
     <camunda:inputParameter name="method">POST</camunda:inputParameter>
     <camunda:inputParameter name="headers"><camunda:map><camunda:entry key="Content-Type">application/json</camunda:entry></camunda:map></camunda:inputParameter>
     <camunda:inputParameter name="payload">\${order}</camunda:inputParameter>`,
  );

  it('creates an http job with url, method, headers and body (payload)', async () => {
    const run = await Run.start(xml, { baseUrl: 'https://shop.example', order: '{"id":1}', headers: 'kept' });
    const job = run.last.find((e) => e.type === 'jobCreated');
    expect(job).toMatchObject({
      jobType: 'http',
      elementId: 'h',
      variables: { url: 'https://shop.example/orders', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":1}' },
    });
  });

  it('the response reaches the process only through the output parameters, as in Camunda 7', async () => {
    const run = await Run.start(xml, { baseUrl: 'https://shop.example', order: '{}', headers: 'kept' });
    run.completeJob('h', { response: '{"ok":true}', statusCode: 201, headers: { server: 'x' } });
    expect(run.status).toBe('completed');
    expect(run.variables).toMatchObject({ orderStatus: 201, headers: 'kept' });
    expect(run.variables).not.toHaveProperty('response');
    expect(run.variables).not.toHaveProperty('statusCode');
  });

  it('without output parameters the response is dropped, as in Camunda 7', async () => {
    const run = await Run.start(camundaConnector('<camunda:inputParameter name="url">https://x.example</camunda:inputParameter>', ''), {});
    run.completeJob('h', { response: 'hi', statusCode: 200 });
    expect(run.variables).toEqual({});
  });

  it('the import report names the mapping', async () => {
    const report = await checkImport(xml);
    expect(report.runs).toBe(true);
    expect(report.mapped).toContainEqual(
      expect.objectContaining({ element: 'h', attribute: 'camunda:connector http-connector', to: expect.stringContaining('"http"') }),
    );
    expect(report.warnings).toEqual([]);
  });

  it.each([
    [
      'another connector',
      doc(
        CAMUNDA,
        '<serviceTask id="h"><extensionElements><camunda:connector><camunda:connectorId>soap-http-connector</camunda:connectorId></camunda:connector></extensionElements></serviceTask>',
      ),
      'h: camunda:connector connectorId="soap-http-connector" cannot run here: only the http-connector maps (onto the http connector); use a job type (sl:type) for a worker',
    ],
    [
      'an input the http connector does not take',
      camundaConnector(
        '<camunda:inputParameter name="url">https://x.example</camunda:inputParameter><camunda:inputParameter name="connectTimeout">5</camunda:inputParameter>',
      ),
      'h: camunda:connector input "connectTimeout" cannot run here: the http connector takes url, method, headers and payload',
    ],
    [
      'headers written as expressions',
      camundaConnector(
        '<camunda:inputParameter name="url">https://x.example</camunda:inputParameter><camunda:inputParameter name="headers"><camunda:map><camunda:entry key="Authorization">${token}</camunda:entry></camunda:map></camunda:inputParameter>',
      ),
      'h: camunda:connector input "headers" is a map of expressions; write it as literal entries',
    ],
    [
      'a connector on a message event',
      `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" ${CAMUNDA} id="d" targetNamespace="x"><message id="m" name="m"/>
  <process id="p" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="h"/>
    <intermediateThrowEvent id="h"><messageEventDefinition messageRef="m"><extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector></extensionElements></messageEventDefinition></intermediateThrowEvent>
    <sequenceFlow id="f2" sourceRef="h" targetRef="e"/><endEvent id="e"/></process></definitions>`,
      'h: camunda:connector (connectorId="http-connector"): a connector here cannot run: put the call on a service or send task',
    ],
  ])('refuses %s, naming it', async (_, model, message) => {
    expect(await problems(model)).toContain(message);
  });
});

describe('Flowable and Activiti HTTP tasks', () => {
  const httpTask = (ns: string, prefix: string, fields: string) =>
    doc(
      ns,
      `<serviceTask id="h" ${prefix}:type="http"><extensionElements>${fields.replaceAll('P:', `${prefix}:`)}</extensionElements></serviceTask>`,
    );
  const fields = `<P:field name="requestMethod" stringValue="GET"/>
     <P:field name="requestUrl"><P:expression>\${base}/status</P:expression></P:field>
     <P:field name="requestHeaders"><P:string>Accept: application/json
X-Team: ops</P:string></P:field>
     <P:field name="responseVariableName" stringValue="status"/>`;

  it.each([
    ['Flowable', FLOWABLE, 'flowable'],
    ['Activiti', ACTIVITI, 'activiti'],
  ])('%s: an http job; the response body is saved under responseVariableName only', async (_, ns, prefix) => {
    const run = await Run.start(httpTask(ns, prefix, fields), { base: 'https://ops.example' });
    expect(run.last.find((e) => e.type === 'jobCreated')).toMatchObject({
      jobType: 'http',
      variables: { url: 'https://ops.example/status', method: 'GET', headers: { Accept: 'application/json', 'X-Team': 'ops' } },
    });
    run.completeJob('h', { response: 'green', statusCode: 200 });
    expect(run.variables).toEqual({ base: 'https://ops.example', status: 'green' });
  });

  it('refuses the fields the http connector does not honour, naming each', async () => {
    const xml = httpTask(
      FLOWABLE,
      'flowable',
      `${fields}<P:field name="failStatusCodes" stringValue="4XX"/><P:field name="saveResponseParameters" stringValue="true"/>`,
    );
    expect(await problems(xml)).toEqual([
      'h: flowable:field name="failStatusCodes" of the HTTP task cannot run here: the http connector does not support it',
      'h: flowable:field name="saveResponseParameters" of the HTTP task cannot run here: the http connector does not support it',
    ]);
  });
});

describe('service tasks whose BPMN implementation names what does the work', () => {
  it('a vendor implementation is refused by name, not as a missing sl:type', async () => {
    const xml = doc(FLOWABLE, '<serviceTask id="h" implementation="http://acme.example/crm#book"/>');
    expect(await problems(xml)).toEqual([
      'h: implementation="http://acme.example/crm#book" cannot run here: use a job type (sl:type) for a worker or connector',
    ]);
  });

  it('the ##WebService default that modelers write on every task names nothing: the task needs a job type', async () => {
    const xml = doc(FLOWABLE, '<serviceTask id="h" implementation="##WebService"/>');
    expect(await problems(xml)).toEqual(['h: a service task needs sl:type: the job type or connector that does the work']);
  });
});
