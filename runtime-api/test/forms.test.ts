// Forms: drafts and published versions, the schema check on save, binding to start events and
// user tasks (the pinned version), server validation of every field type and of conditions, the
// task's form for rendering, and attachments.
import { randomUUID } from 'node:crypto';
import { FIELD_TYPES, type Field, type FieldType, newField } from '@serviceloom/form-builder/model';
import { toSchema } from '@serviceloom/form-builder/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.ts';
import { addUser, as, asOwner, bpmn, type Call, deploy, line, startInstance, startServer, type TestServer, userTask } from './helpers.ts';

const MAX_BYTES = 64 * 1024;

let s: TestServer;
let admin: Call;
let formadmin: Call;
let agent1: Call;
let agent3: Call;
let owner: Call;
let requester: Call;
beforeAll(async () => {
  s = await startServer({ attachments: { ...loadConfig({}).attachments, maxBytes: MAX_BYTES } });
  admin = as(s.app, s.tokens.admin);
  formadmin = as(s.app, s.tokens.formadmin);
  agent1 = as(s.app, s.tokens.agent1);
  owner = as(s.app, s.tokens.owner);
  requester = as(s.app, s.tokens.requester);
  agent3 = as(s.app, await addUser(s.app, 'agent3', ['agent'], ['hr']));
});
afterAll(() => s.close());

const form = (...fields: Field[]) => toSchema({ sections: [{ id: 'main', columns: 1, fields }] });
const field = (type: FieldType, extra: Partial<Field> = {}): Field => ({ ...newField(type, extra.id ?? type), ...extra });

async function publishForm(key: string, doc: { schema: object; uiSchema: object }, name = key): Promise<number> {
  const exists = (await formadmin('GET', `/api/v1/forms/${key}`)).status === 200;
  const saved = exists
    ? await formadmin('PUT', `/api/v1/forms/${key}/draft`, { name, ...doc })
    : await formadmin('POST', '/api/v1/forms', { key, name, ...doc });
  expect(saved.status, JSON.stringify(saved.body)).toBe(exists ? 200 : 201);
  const published = await formadmin('POST', `/api/v1/forms/${key}/publish`);
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  return published.body.version;
}

async function openTask(processKey: string, variables?: object) {
  const instance = await startInstance(admin, processKey, variables ? { variables } : {});
  const tasks = (await admin('GET', `/api/v1/tasks?processInstanceId=${instance.id}`)).body;
  expect(tasks).toHaveLength(1);
  return { instanceId: instance.id, taskId: tasks[0].id as string };
}

const submissions = (instanceId: string) =>
  asOwner(s.app, (tx) =>
    tx('form_submissions')
      .where({ instance_id: instanceId })
      .orderBy('id')
      .select('form_key', 'form_version', 'kind', 'task_id', 'submitted_by'),
  );

describe('authoring', () => {
  const simple = form(field('shortText', { id: 'subject', required: true }));

  it('creates a draft, refuses the same key twice, edits, publishes versions and lists them', async () => {
    const created = await formadmin('POST', '/api/v1/forms', {
      key: 'outage',
      name: 'Incident',
      labels: { en: 'Incident', 'zh-CN': '事件' },
      ...simple,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      key: 'outage',
      name: 'Incident',
      latestVersion: null,
      draft: { schema: simple.schema, uiSchema: simple.uiSchema, updatedBy: 'formadmin' },
    });
    expect((await formadmin('POST', '/api/v1/forms', { key: 'outage', name: 'Again', ...simple })).body.code).toBe('FORM_EXISTS');

    expect((await formadmin('POST', '/api/v1/forms/outage/publish')).body).toEqual({ key: 'outage', version: 1 });
    const afterPublish = (await agent1('GET', '/api/v1/forms/outage')).body;
    expect(afterPublish).toMatchObject({ latestVersion: 1, draft: null, name: 'Incident', labels: { 'zh-CN': '事件' } });
    // Publishing with no draft is refused; an unchanged draft gives the latest version back.
    expect((await formadmin('POST', '/api/v1/forms/outage/publish')).body.code).toBe('FORM_NO_DRAFT');
    await formadmin('PUT', '/api/v1/forms/outage/draft', { name: 'Incident', labels: { en: 'Incident', 'zh-CN': '事件' }, ...simple });
    expect((await formadmin('POST', '/api/v1/forms/outage/publish')).body.version).toBe(1);

    const two = form(field('shortText', { id: 'subject', required: true }), field('longText', { id: 'details' }));
    expect(await publishForm('outage', two, 'Incident')).toBe(2);
    const versions = (await owner('GET', '/api/v1/forms/outage/versions')).body;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await agent1('GET', '/api/v1/forms/outage/versions/1')).body).toMatchObject({
      key: 'outage',
      version: 1,
      schema: simple.schema,
    });
    expect((await requester('GET', '/api/v1/forms/outage/versions/latest')).body).toMatchObject({ version: 2, schema: two.schema });
    expect((await agent1('GET', '/api/v1/forms/outage/versions/3')).status).toBe(404);
    const list = (await agent1('GET', '/api/v1/forms')).body;
    expect(list.find((f: { key: string }) => f.key === 'outage')).toMatchObject({ latestVersion: 2, hasDraft: false, name: 'Incident' });
  });

  it('throws a draft away: the form stays when published, goes when never published', async () => {
    await formadmin('PUT', '/api/v1/forms/outage/draft', { name: 'Incident (edit)', ...simple });
    expect((await formadmin('GET', '/api/v1/forms/outage')).body.draft).not.toBeNull();
    expect((await formadmin('DELETE', '/api/v1/forms/outage/draft')).status).toBe(204);
    expect((await formadmin('GET', '/api/v1/forms/outage')).body).toMatchObject({ draft: null, latestVersion: 2 });
    expect((await formadmin('DELETE', '/api/v1/forms/outage/draft')).status).toBe(404);

    await formadmin('POST', '/api/v1/forms', { key: 'scratch', name: 'Scratch', ...simple });
    expect((await formadmin('DELETE', '/api/v1/forms/scratch/draft')).status).toBe(204);
    expect((await formadmin('GET', '/api/v1/forms/scratch')).status).toBe(404);
  });

  it('refuses a schema that is not valid JSON Schema, naming where', async () => {
    const bad = await formadmin('POST', '/api/v1/forms', {
      key: 'bad',
      name: 'Bad',
      schema: { type: 'object', properties: { a: { type: 'strin' } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('SCHEMA_INVALID');
    expect(bad.body.details[0]).toMatchObject({ pointer: '/properties/a/type' });
    for (const schema of [
      { type: 'array' },
      { type: 'object', properties: { a: { minLength: -1 } } },
      { type: 'object', properties: { a: { pattern: '(' } } },
    ]) {
      expect((await formadmin('POST', '/api/v1/forms', { key: 'bad', name: 'Bad', schema })).body.code).toBe('SCHEMA_INVALID');
    }
    expect((await formadmin('PUT', '/api/v1/forms/outage/draft', { name: 'x', schema: { type: 'object', required: 'a' } })).body.code).toBe(
      'SCHEMA_INVALID',
    );
    // Patterns run on RE2 (linear time: no requester can stall the server with a long value), which
    // has no lookaround: the admin learns it on saving.
    const lookahead = await formadmin('POST', '/api/v1/forms', {
      key: 'bad',
      name: 'Bad',
      schema: { type: 'object', properties: { code: { type: 'string', pattern: '^(?=.*\\d).+$' } } },
    });
    expect(lookahead.status).toBe(400);
    expect(lookahead.body).toMatchObject({ code: 'SCHEMA_INVALID', message: expect.stringMatching(/cannot be used .*without lookahead/) });
    expect(lookahead.body.details).toEqual([{ pointer: '/properties/code/pattern', message: expect.stringContaining('cannot be used') }]);
    expect((await formadmin('GET', '/api/v1/forms/bad')).status).toBe(404);
    expect((await formadmin('POST', '/api/v1/forms', { key: 'bad key', name: 'Bad', schema: { type: 'object' } })).status).toBe(400);
  });

  it('lets form admins and tenant admins write, process owners and agents read', async () => {
    const body = { key: `roles-${randomUUID().slice(0, 8)}`, name: 'R', ...simple };
    expect((await agent1('POST', '/api/v1/forms', body)).status).toBe(403);
    expect((await owner('POST', '/api/v1/forms', body)).status).toBe(403);
    expect((await admin('POST', '/api/v1/forms', body)).status).toBe(201);
    expect((await agent1('POST', `/api/v1/forms/${body.key}/publish`)).status).toBe(403);
    expect((await owner('GET', `/api/v1/forms/${body.key}`)).status).toBe(200);
    expect((await requester('GET', '/api/v1/forms')).status).toBe(403);
    expect((await as(s.app, undefined)('GET', '/api/v1/forms')).status).toBe(401);
  });
});

/** A valid and an invalid value of each field type. */
const SAMPLES: Record<Exclude<FieldType, 'markdown'>, [unknown, unknown]> = {
  shortText: ['printer', 42],
  longText: ['it is\nbroken', ['x']],
  number: [2.5, '2.5'],
  integer: [3, 3.5],
  select: ['a', 'z'],
  multiSelect: [
    ['a', 'b'],
    ['a', 'a'],
  ],
  radio: ['b', 'c'],
  checkbox: [true, 'yes'],
  yesNo: [false, 'no'],
  date: ['2026-03-01', '2026-13-01'],
  dateTime: ['2026-03-01T09:30:00Z', '2026-03-01 09:30'],
  email: ['someone@example.com', 'someone@'],
  url: ['https://example.com/a', 'not a url'],
  phone: ['+86 10 5555 1234', '12'],
  user: ['agent1', 'agent one'],
  group: ['service-desk', 'service desk'],
  ci: ['srv-db-01', ''],
  attachment: [undefined, 'att-nope'],
  table: [[{ item: 'cable', quantity: 2 }], [{ item: 'cable', quantity: 'two' }]],
};

describe('validating every field type at instance start', () => {
  beforeAll(async () => {
    await publishForm('all-types', form(...FIELD_TYPES.map((t) => field(t))));
    await deploy(
      admin,
      bpmn(
        'typed',
        '<bpmn:startEvent id="s" sl:formKey="all-types"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>',
      ),
    );
  });

  it.each(Object.keys(SAMPLES) as Array<keyof typeof SAMPLES>)('%s: refuses an invalid value, accepts a valid one', async (type) => {
    const [good, bad] = SAMPLES[type];
    const refused = await requester('POST', '/api/v1/process-instances', { definitionKey: 'typed', variables: { [type]: bad } });
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.body).toMatchObject({ code: 'FORM_INVALID', message: expect.stringContaining('all-types') });
    expect(refused.body.details.map((d: { pointer: string }) => d.pointer)).toEqual([
      type === 'table' ? '/table/0/quantity' : type === 'multiSelect' ? '/multiSelect' : `/${type}`,
    ]);
    if (good === undefined) return;
    const started = await requester('POST', '/api/v1/process-instances', { definitionKey: 'typed', variables: { [type]: good } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.variables[type]).toEqual(good);
    expect(await submissions(started.body.id)).toEqual([
      { form_key: 'all-types', form_version: 1, kind: 'start', task_id: null, submitted_by: 'requester' },
    ]);
  });

  it('refuses unknown properties and starts nothing', async () => {
    const before = await asOwner(s.app, (tx) => tx('instances').where({ definition_key: 'typed' }).count({ n: '*' }).first());
    const res = await requester('POST', '/api/v1/process-instances', {
      definitionKey: 'typed',
      variables: { shortText: 'ok', colour: 'red' },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ pointer: '/colour', message: 'is not a field of this form' }]);
    const after = await asOwner(s.app, (tx) => tx('instances').where({ definition_key: 'typed' }).count({ n: '*' }).first());
    expect(after).toEqual(before);
  });

  it('uses a field’s own pattern message', async () => {
    await publishForm(
      'patterned',
      form(
        field('shortText', {
          id: 'ticket',
          pattern: '^INC[0-9]+$',
          patternMessage: { en: 'an incident number such as INC42', 'zh-CN': '事件编号' },
        }),
      ),
    );
    await deploy(
      admin,
      bpmn(
        'patterned',
        '<bpmn:startEvent id="s" sl:formKey="patterned"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>',
      ),
    );
    const res = await requester('POST', '/api/v1/process-instances', { definitionKey: 'patterned', variables: { ticket: 'PRB1' } });
    expect(res.body.details).toEqual([{ pointer: '/ticket', message: 'an incident number such as INC42' }]);
  });
});

describe('task forms', () => {
  beforeAll(async () => {
    const category = field('select', {
      id: 'category',
      required: true,
      options: [
        { value: 'hardware', label: { en: 'Hardware' } },
        { value: 'access', label: { en: 'Access' } },
      ],
    });
    await publishForm(
      'triage',
      form(
        category,
        field('integer', { id: 'priority', required: true, minimum: 1, maximum: 4 }),
        field('shortText', { id: 'asset', required: true, visibleWhen: { field: 'category', equals: 'hardware' } }),
        field('longText', { id: 'impact', requiredWhen: { field: 'priority', equals: 1 } }),
      ),
    );
    await deploy(admin, line('triaged', [userTask('triage', 'sl:candidateGroups="service-desk" sl:formKey="triage"')]));
  });

  it('answers 400 FORM_INVALID naming each field and changes nothing', async () => {
    const { instanceId, taskId } = await openTask('triaged', { note: 'from the start' });
    const res = await agent1('POST', `/api/v1/tasks/${taskId}/complete`, { variables: { priority: 9 } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'FORM_INVALID', message: expect.any(String) });
    expect(res.body.details).toEqual([
      { pointer: '/category', message: 'is required' },
      { pointer: '/priority', message: 'must be 4 or less' },
    ]);
    expect((await agent1('GET', `/api/v1/tasks/${taskId}`)).body.status).toBe('open');
    expect((await agent1('GET', `/api/v1/process-instances/${instanceId}`)).body.variables).toEqual({ note: 'from the start' });
    expect(await submissions(instanceId)).toEqual([]);
  });

  it('applies conditional requirements: a field shown for hardware, impact required for priority 1', async () => {
    const { taskId } = await openTask('triaged');
    const complete = (variables: object) => agent1('POST', `/api/v1/tasks/${taskId}/complete`, { variables });
    expect((await complete({ category: 'hardware', priority: 2 })).body.details).toEqual([{ pointer: '/asset', message: 'is required' }]);
    expect((await complete({ category: 'access', priority: 2, asset: 'PC-7' })).body.details).toEqual([
      { pointer: '/asset', message: 'is not a field of this form' },
    ]);
    expect((await complete({ category: 'access', priority: 1 })).body.details).toEqual([{ pointer: '/impact', message: 'is required' }]);
    const done = await complete({ category: 'access', priority: 1, impact: 'nobody can sign in' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe('completed');
  });

  it('refuses unknown properties', async () => {
    const { taskId } = await openTask('triaged');
    const res = await agent1('POST', `/api/v1/tasks/${taskId}/complete`, {
      variables: { category: 'access', priority: 3, approved: true },
    });
    expect(res.body.details).toEqual([{ pointer: '/approved', message: 'is not a field of this form' }]);
  });

  it('gives the form with the instance’s current values', async () => {
    const { taskId } = await openTask('triaged', { priority: 2, note: 'not a field' });
    const res = await agent1('GET', `/api/v1/tasks/${taskId}/form`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'triage', version: 1, data: { priority: 2 } });
    expect(res.body.data).not.toHaveProperty('note');
    expect(res.body.schema.properties.category).toBeDefined();
    expect(res.body.uiSchema['ui:sl:sections']).toBeDefined();
    // Whoever cannot see the task cannot see its form.
    expect((await agent3('GET', `/api/v1/tasks/${taskId}/form`)).status).toBe(404);
    expect((await requester('GET', `/api/v1/tasks/${taskId}/form`)).status).toBe(403);
  });

  it('validates a task against the version it pinned, though a newer one is published', async () => {
    await publishForm('pinned', form(field('shortText', { id: 'old', required: true })));
    await deploy(admin, line('pinning', [userTask('work', 'sl:formKey="pinned"')]));
    const first = await openTask('pinning');
    expect(await publishForm('pinned', form(field('shortText', { id: 'fresh', required: true })))).toBe(2);
    const second = await openTask('pinning');

    expect((await admin('GET', `/api/v1/tasks/${first.taskId}/form`)).body.version).toBe(1);
    expect((await admin('GET', `/api/v1/tasks/${second.taskId}/form`)).body.version).toBe(2);
    // The old task knows only `old`: v2's field is unknown to it.
    expect((await admin('POST', `/api/v1/tasks/${first.taskId}/complete`, { variables: { fresh: 'x' } })).body.details).toEqual([
      { pointer: '/old', message: 'is required' },
      { pointer: '/fresh', message: 'is not a field of this form' },
    ]);
    expect((await admin('POST', `/api/v1/tasks/${first.taskId}/complete`, { variables: { old: 'x' } })).status).toBe(200);
    expect((await admin('POST', `/api/v1/tasks/${second.taskId}/complete`, { variables: { old: 'x' } })).status).toBe(400);
    expect((await admin('POST', `/api/v1/tasks/${second.taskId}/complete`, { variables: { fresh: 'y' } })).status).toBe(200);
    expect(await submissions(first.instanceId)).toEqual([
      { form_key: 'pinned', form_version: 1, kind: 'task', task_id: first.taskId, submitted_by: 'admin' },
    ]);
    expect(await submissions(second.instanceId)).toEqual([
      { form_key: 'pinned', form_version: 2, kind: 'task', task_id: second.taskId, submitted_by: 'admin' },
    ]);
    const pinned = await asOwner(s.app, (tx) =>
      tx('tasks').whereIn('id', [first.taskId, second.taskId]).orderBy('created_at').pluck('form_version'),
    );
    expect(pinned).toEqual([1, 2]);
  });

  it('answers 409 FORM_NOT_USABLE, not a 500, for a version saved with a pattern RE2 cannot take', async () => {
    await publishForm('legacy', form(field('shortText', { id: 'code', required: true })));
    await deploy(admin, line('legacy-flow', [userTask('work', 'sl:formKey="legacy"')]));
    const task = await openTask('legacy-flow');
    // As a version saved before patterns ran on RE2 would be: with a lookahead.
    await asOwner(s.app, (tx) =>
      tx('form_versions')
        .where({ tenant_id: 'demo', form_key: 'legacy', version: 1 })
        .update({ schema: tx.raw("jsonb_set(schema, '{properties,code,pattern}', to_jsonb(?::text))", ['^(?=.*\\d).+$']) }),
    );
    const res = await admin('POST', `/api/v1/tasks/${task.taskId}/complete`, { variables: { code: 'A1' } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'FORM_NOT_USABLE',
      message: expect.stringMatching(/form "legacy" version 1 cannot check submissions/),
    });
    expect((await admin('GET', `/api/v1/tasks/${task.taskId}`)).body.status).toBe('open');
  });

  it('leaves tasks whose form has no published version unchecked, and checks them once one is', async () => {
    await deploy(admin, line('unformed', [userTask('work', 'sl:formKey="later"')]));
    const before = await openTask('unformed');
    expect((await admin('GET', `/api/v1/tasks/${before.taskId}/form`)).status).toBe(404);
    expect((await admin('POST', `/api/v1/tasks/${before.taskId}/complete`, { variables: { anything: 1 } })).status).toBe(200);
    const waiting = await openTask('unformed');
    await publishForm('later', form(field('integer', { id: 'n', required: true })));
    expect((await admin('POST', `/api/v1/tasks/${waiting.taskId}/complete`, { variables: { anything: 1 } })).status).toBe(400);
    expect((await admin('POST', `/api/v1/tasks/${waiting.taskId}/complete`, { variables: { n: 1 } })).status).toBe(200);
    expect(await submissions(waiting.instanceId)).toMatchObject([{ form_key: 'later', form_version: 1 }]);
  });
});

describe('attachments', () => {
  const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 7)]);

  async function upload(token: string, file: { name: string; type: string; data: Buffer }, taskId?: string) {
    const boundary = `----sl${randomUUID()}`;
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`;
    const res = await s.app.inject({
      method: 'POST',
      url: `/api/v1/attachments${taskId ? `?taskId=${taskId}` : ''}`,
      payload: Buffer.concat([Buffer.from(head), file.data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` },
    });
    return { status: res.statusCode, body: res.json() };
  }

  beforeAll(async () => {
    await publishForm('evidence', form(field('attachment', { id: 'screenshot', required: true }), field('shortText', { id: 'note' })));
    await deploy(admin, line('evidenced', [userTask('attach', 'sl:candidateGroups="service-desk" sl:formKey="evidence"')]));
    await deploy(
      admin,
      bpmn(
        'reported',
        '<bpmn:startEvent id="s" sl:formKey="evidence"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>',
      ),
    );
  });

  it('stores a file for a task, references it from form data and lets those who see the task download it', async () => {
    const { instanceId, taskId } = await openTask('evidenced');
    const up = await upload(s.tokens.agent1, { name: '../screen shot.png', type: 'image/png', data: PNG }, taskId);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({
      id: expect.stringMatching(/^att-/),
      filename: 'screen shot.png',
      contentType: 'image/png',
      size: PNG.length,
      taskId,
      instanceId,
    });

    const done = await agent1('POST', `/api/v1/tasks/${taskId}/complete`, { variables: { screenshot: up.body.id } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);

    const download = await s.app.inject({
      method: 'GET',
      url: `/api/v1/attachments/${up.body.id}`,
      headers: { authorization: `Bearer ${s.tokens.agent2}` },
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toContain("filename*=UTF-8''screen%20shot.png");
    expect(download.rawPayload.equals(PNG)).toBe(true);
    expect((await admin('GET', `/api/v1/attachments/${up.body.id}/info`)).status).toBe(200);
    // Not in the task's groups, not its uploader: as if it did not exist.
    expect((await agent3('GET', `/api/v1/attachments/${up.body.id}`)).status).toBe(404);
    expect((await requester('GET', `/api/v1/attachments/${up.body.id}/info`)).status).toBe(404);
  });

  it('binds a start form’s upload to the instance it starts, and refuses someone else’s file', async () => {
    const mine = await upload(s.tokens.requester, { name: 'notes.txt', type: 'text/plain', data: Buffer.from('the printer is on fire') });
    expect(mine.status).toBe(201);
    expect(mine.body.instanceId).toBeNull();
    const theirs = await upload(s.tokens.agent1, { name: 'other.txt', type: 'text/plain', data: Buffer.from('mine') });
    const refused = await requester('POST', '/api/v1/process-instances', {
      definitionKey: 'reported',
      variables: { screenshot: theirs.body.id },
    });
    expect(refused.body).toMatchObject({
      code: 'FORM_INVALID',
      details: [{ pointer: '/screenshot', message: 'is not a file uploaded for this form' }],
    });
    const started = await requester('POST', '/api/v1/process-instances', {
      definitionKey: 'reported',
      variables: { screenshot: mine.body.id },
    });
    expect(started.status).toBe(201);
    expect((await requester('GET', `/api/v1/attachments/${mine.body.id}/info`)).body.instanceId).toBe(started.body.id);
    // Bound now: it cannot start a second instance.
    const again = await requester('POST', '/api/v1/process-instances', {
      definitionKey: 'reported',
      variables: { screenshot: mine.body.id },
    });
    expect(again.status).toBe(400);
  });

  it('refuses types not on the list, content that is not its type, and files over the limit', async () => {
    expect((await upload(s.tokens.agent1, { name: 'x.html', type: 'text/html', data: Buffer.from('<script>') })).status).toBe(415);
    expect((await upload(s.tokens.agent1, { name: 'x.png', type: 'image/png', data: Buffer.from('not a png') })).status).toBe(415);
    const big = await upload(s.tokens.agent1, { name: 'big.txt', type: 'text/plain', data: Buffer.alloc(MAX_BYTES + 1, 97) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await upload(s.tokens.agent1, { name: 'empty.txt', type: 'text/plain', data: Buffer.alloc(0) })).status).toBe(400);
    expect((await agent1('POST', '/api/v1/attachments', { file: 'data:text/plain;base64,aGk=' })).status).toBe(415);
  });

  it('uploads for a task only for those who may work it', async () => {
    const { taskId } = await openTask('evidenced');
    expect(
      (
        await upload(
          await addUser(s.app, `hr-${randomUUID().slice(0, 6)}`, ['agent'], ['hr']),
          { name: 'a.txt', type: 'text/plain', data: Buffer.from('x') },
          taskId,
        )
      ).status,
    ).toBe(404);
  });
});
