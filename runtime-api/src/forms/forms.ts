// Forms: a tenant's JSON-schema forms. A form has one editable draft and immutable published
// versions (publishing makes version n+1). A user task or none start event with `sl:formKey`
// uses the latest published version: a task pins it when it is created (tasks.form_version), and
// its completion, like the instance start, is validated against it with the ajv configuration the
// browser uses (@serviceloom/form-builder/validation). Every accepted submission is recorded with
// the version that validated it (form_submissions).
import { createHash } from 'node:crypto';
import type { Definition, Variables } from '@serviceloom/engine';
import { instanceVariables } from '@serviceloom/engine';
import {
  compileForm,
  dataFields,
  type FieldError,
  type FormValidator,
  formSchemaProblems,
  type JsonSchema,
  type Localized,
  referencesOfFormat,
  validateFormData,
} from '@serviceloom/form-builder/validation';
import { type Actor, actorOf, audit } from '../platform/audit.ts';
import { mayWork } from '../platform/auth/task-access.ts';
import type { Principal } from '../platform/auth/tokens.ts';
import type { Statement } from '../platform/db/batch.ts';
import type { Queryable } from '../platform/db/connect.ts';
import type { DefinitionRef, InstanceRow, TaskRow } from '../platform/db/rows.ts';
import type { Transactions, Work } from '../platform/db/transactions.ts';
import { badRequest, conflict, DomainError, notFound } from '../platform/errors.ts';

export interface FormRow {
  tenant_id: string;
  key: string;
  draft_name: string | null;
  draft_labels: Localized | null;
  draft_schema: JsonSchema | null;
  draft_ui_schema: Record<string, unknown> | null;
  draft_updated_by: string | null;
  draft_updated_at: Date | null;
  latest_version: number;
  created_by: string | null;
  created_at: Date;
}

export interface FormVersionRow {
  tenant_id: string;
  form_key: string;
  version: number;
  name: string;
  labels: Localized;
  schema: JsonSchema;
  ui_schema: Record<string, unknown>;
  checksum: string;
  published_by: string | null;
  published_at: Date;
}

export interface DraftInput {
  name: string;
  labels?: Localized;
  schema: JsonSchema;
  uiSchema?: Record<string, unknown>;
}

export interface DraftView {
  name: string;
  labels: Localized;
  schema: JsonSchema;
  uiSchema: Record<string, unknown>;
  updatedAt: string;
  updatedBy: string | null;
}

export interface FormView {
  key: string;
  /** The draft's name, else the latest version's. */
  name: string;
  labels: Localized;
  latestVersion: number | null;
  draft: DraftView | null;
  createdAt: string;
}

export type FormSummary = Omit<FormView, 'draft'> & { hasDraft: boolean; updatedAt: string };

export interface FormVersionView {
  key: string;
  version: number;
  name: string;
  labels: Localized;
  schema: JsonSchema;
  uiSchema: Record<string, unknown>;
  publishedAt: string;
  publishedBy: string | null;
}

/** A submission that passed validation, to record once the step it belongs to has run. */
export interface Submission {
  formKey: string;
  version: number;
  kind: 'start' | 'task';
  taskId?: string;
  data: Variables;
  actor: string;
  /** The attachments the data references (uploaded by the actor, or already bound to the instance). */
  attachmentIds: string[];
}

const CACHE_SIZE = 500;

const iso = (d: Date | string) => new Date(d).toISOString();

export function versionView(v: FormVersionRow): FormVersionView {
  return {
    key: v.form_key,
    version: v.version,
    name: v.name,
    labels: v.labels ?? {},
    schema: v.schema,
    uiSchema: v.ui_schema ?? {},
    publishedAt: iso(v.published_at),
    publishedBy: v.published_by,
  };
}

function draftOf(f: FormRow): DraftView | null {
  if (!f.draft_schema) return null;
  return {
    name: f.draft_name ?? f.key,
    labels: f.draft_labels ?? {},
    schema: f.draft_schema,
    uiSchema: f.draft_ui_schema ?? {},
    updatedAt: iso(f.draft_updated_at ?? f.created_at),
    updatedBy: f.draft_updated_by,
  };
}

/** The latest published version of a form key, or null: what a new task pins. */
export async function latestFormVersion(q: Queryable, tenantId: string, key: string): Promise<number | null> {
  const row: { latest_version: number } | undefined = await q('forms').where({ tenant_id: tenantId, key }).first('latest_version');
  return row && row.latest_version > 0 ? row.latest_version : null;
}

/** The same, as a subquery for a task's insert (steps write their rows in one batch). */
export function pinFormVersion(q: Queryable, tenantId: string, key: string) {
  return q.raw('(SELECT NULLIF(latest_version, 0) FROM forms WHERE tenant_id = ? AND key = ?)', [tenantId, key]);
}

const checksumOf = (v: { name: string; labels: Localized; schema: unknown; uiSchema: unknown }) =>
  createHash('sha256')
    .update(JSON.stringify([v.name, v.labels, v.schema, v.uiSchema]))
    .digest('hex');

/**
 * Publishes a form as its next version inside the caller's transaction (tenant seeding and
 * template resets): creates the form if it is new; an unchanged schema publishes nothing.
 */
export async function publishFormIn(
  work: Work,
  actor: Actor,
  key: string,
  input: DraftInput,
): Promise<{ version: number; created: boolean }> {
  const tenantId = work.tenantId;
  if (!tenantId) throw new Error('publishing a form needs a tenant');
  const problems = formSchemaProblems(input.schema);
  if (problems.length)
    throw new Error(`form "${key}" is not valid JSON Schema: ${problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`);
  const draft = { name: input.name, labels: input.labels ?? {}, schema: input.schema, uiSchema: input.uiSchema ?? {} };
  const checksum = checksumOf(draft);
  await work
    .tx('forms')
    .insert({ tenant_id: tenantId, key, latest_version: 0, created_by: actor.username, created_at: work.at })
    .onConflict(['tenant_id', 'key'])
    .ignore();
  const form: FormRow = await work.tx('forms').where({ tenant_id: tenantId, key }).forUpdate().first();
  const latest: FormVersionRow | undefined = form.latest_version
    ? await work.tx('form_versions').where({ tenant_id: tenantId, form_key: key, version: form.latest_version }).first()
    : undefined;
  if (latest && latest.checksum === checksum) return { version: latest.version, created: false };
  const version = form.latest_version + 1;
  await work.tx('form_versions').insert({
    tenant_id: tenantId,
    form_key: key,
    version,
    name: draft.name,
    labels: JSON.stringify(draft.labels),
    schema: JSON.stringify(draft.schema),
    ui_schema: JSON.stringify(draft.uiSchema),
    checksum,
    published_by: actor.username,
    published_at: work.at,
  });
  await work.tx('forms').where({ tenant_id: tenantId, key }).update({ latest_version: version });
  await audit(work, actor, {
    action: 'form.publish',
    targetType: 'form',
    targetId: key,
    before: latest ? { version: latest.version, checksum: latest.checksum } : null,
    after: { version, name: draft.name, checksum },
  });
  return { version, created: true };
}

/** Where forms read a deployed definition, compiled (the process core's DefinitionService). */
export interface CompiledDefinitions {
  compiledById(q: Queryable, id: string): Promise<Definition>;
}

export class FormService {
  private readonly validators = new Map<string, { row: FormVersionRow; validate: FormValidator }>();

  constructor(
    private readonly transactions: Transactions,
    private readonly definitions: CompiledDefinitions,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Authoring

  /** Refuses a schema that is not valid JSON Schema under the shared ajv configuration. */
  private check(input: DraftInput): void {
    const problems = formSchemaProblems(input.schema);
    if (problems.length) {
      throw badRequest(
        'SCHEMA_INVALID',
        `the form schema is not valid: ${problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`,
        problems,
      );
    }
  }

  private draftColumns(p: Principal, input: DraftInput, at: string) {
    return {
      draft_name: input.name,
      draft_labels: JSON.stringify(input.labels ?? {}),
      draft_schema: JSON.stringify(input.schema),
      draft_ui_schema: JSON.stringify(input.uiSchema ?? {}),
      draft_updated_by: p.username,
      draft_updated_at: at,
    };
  }

  async create(p: Principal, key: string, input: DraftInput): Promise<FormView> {
    this.check(input);
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const exists = await work.tx('forms').where({ tenant_id: p.tenantId, key }).first('key');
      if (exists) throw conflict('FORM_EXISTS', `form "${key}" exists already; edit its draft with PUT /api/v1/forms/${key}/draft`);
      await work.tx('forms').insert({
        tenant_id: p.tenantId,
        key,
        ...this.draftColumns(p, input, work.at),
        latest_version: 0,
        created_by: p.username,
        created_at: work.at,
      });
      await audit(work, actorOf(p), { action: 'form.create', targetType: 'form', targetId: key, after: { key, name: input.name } });
      return this.view(work.tx, p.tenantId, key);
    });
  }

  async saveDraft(p: Principal, key: string, input: DraftInput): Promise<FormView> {
    this.check(input);
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const n = await work
        .tx('forms')
        .where({ tenant_id: p.tenantId, key })
        .update(this.draftColumns(p, input, work.at));
      if (n !== 1) throw notFound('form', key);
      return this.view(work.tx, p.tenantId, key);
    });
  }

  /** Publishes the draft as version n+1 (an unchanged draft gives the latest version back) and clears it. */
  async publish(p: Principal, key: string): Promise<{ key: string; version: number; created: boolean }> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const form: FormRow | undefined = await work.tx('forms').where({ tenant_id: p.tenantId, key }).forUpdate().first();
      if (!form) throw notFound('form', key);
      const draft = draftOf(form);
      if (!draft) throw conflict('FORM_NO_DRAFT', `form "${key}" has no draft to publish; its latest version is ${form.latest_version}`);
      // Checked again: a schema saved before a stricter configuration must not become a version.
      this.check(draft);
      const checksum = checksumOf(draft);
      const latest: FormVersionRow | undefined = form.latest_version
        ? await work.tx('form_versions').where({ tenant_id: p.tenantId, form_key: key, version: form.latest_version }).first()
        : undefined;
      const clearDraft = {
        draft_name: null,
        draft_labels: null,
        draft_schema: null,
        draft_ui_schema: null,
        draft_updated_by: null,
        draft_updated_at: null,
      };
      if (latest && latest.checksum === checksum) {
        await work.tx('forms').where({ tenant_id: p.tenantId, key }).update(clearDraft);
        return { key, version: latest.version, created: false };
      }
      const version = form.latest_version + 1;
      await work.tx('form_versions').insert({
        tenant_id: p.tenantId,
        form_key: key,
        version,
        name: draft.name,
        labels: JSON.stringify(draft.labels),
        schema: JSON.stringify(draft.schema),
        ui_schema: JSON.stringify(draft.uiSchema),
        checksum,
        published_by: p.username,
        published_at: work.at,
      });
      await work
        .tx('forms')
        .where({ tenant_id: p.tenantId, key })
        .update({ ...clearDraft, latest_version: version });
      await audit(work, actorOf(p), {
        action: 'form.publish',
        targetType: 'form',
        targetId: key,
        before: latest ? { version: latest.version, checksum: latest.checksum } : null,
        after: { version, name: draft.name, checksum },
      });
      return { key, version, created: true };
    });
  }

  /** Throws the draft away; a form never published goes with it. */
  async deleteDraft(p: Principal, key: string): Promise<void> {
    await this.transactions.withTenant(p.tenantId, async (work) => {
      const form: FormRow | undefined = await work.tx('forms').where({ tenant_id: p.tenantId, key }).forUpdate().first();
      if (!form || !form.draft_schema) throw notFound('draft of form', key);
      if (form.latest_version === 0) await work.tx('forms').where({ tenant_id: p.tenantId, key }).delete();
      else {
        await work.tx('forms').where({ tenant_id: p.tenantId, key }).update({
          draft_name: null,
          draft_labels: null,
          draft_schema: null,
          draft_ui_schema: null,
          draft_updated_by: null,
          draft_updated_at: null,
        });
      }
      await audit(work, actorOf(p), { action: 'form.draft.delete', targetType: 'form', targetId: key, before: { name: form.draft_name } });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  list(tenantId: string): Promise<FormSummary[]> {
    return this.transactions.read(tenantId, async (tx) => {
      const rows: Array<FormRow & { v_name: string | null; v_labels: Localized | null; v_published_at: Date | null }> = await tx(
        'forms as f',
      )
        .leftJoin('form_versions as v', (j) =>
          j.on('v.tenant_id', 'f.tenant_id').andOn('v.form_key', 'f.key').andOn('v.version', 'f.latest_version'),
        )
        .where('f.tenant_id', tenantId)
        .select('f.*', 'v.name as v_name', 'v.labels as v_labels', 'v.published_at as v_published_at')
        .orderBy('f.key')
        .limit(1000);
      return rows.map((r) => ({
        key: r.key,
        name: r.draft_name ?? r.v_name ?? r.key,
        labels: (r.draft_schema ? r.draft_labels : r.v_labels) ?? {},
        latestVersion: r.latest_version || null,
        hasDraft: r.draft_schema !== null,
        createdAt: iso(r.created_at),
        updatedAt: iso(r.draft_updated_at ?? r.v_published_at ?? r.created_at),
      }));
    });
  }

  get(tenantId: string, key: string): Promise<FormView> {
    return this.transactions.read(tenantId, (tx) => this.view(tx, tenantId, key));
  }

  private async view(q: Queryable, tenantId: string, key: string): Promise<FormView> {
    const form: FormRow | undefined = await q('forms').where({ tenant_id: tenantId, key }).first();
    if (!form) throw notFound('form', key);
    const latest: FormVersionRow | undefined = form.latest_version
      ? await q('form_versions').where({ tenant_id: tenantId, form_key: key, version: form.latest_version }).first('name', 'labels')
      : undefined;
    const draft = draftOf(form);
    return {
      key,
      name: draft?.name ?? latest?.name ?? key,
      labels: draft?.labels ?? latest?.labels ?? {},
      latestVersion: form.latest_version || null,
      draft,
      createdAt: iso(form.created_at),
    };
  }

  versions(tenantId: string, key: string): Promise<Array<Omit<FormVersionView, 'schema' | 'uiSchema'>>> {
    return this.transactions.read(tenantId, async (tx) => {
      const exists = await tx('forms').where({ tenant_id: tenantId, key }).first('key');
      if (!exists) throw notFound('form', key);
      const rows: FormVersionRow[] = await tx('form_versions')
        .where({ tenant_id: tenantId, form_key: key })
        .orderBy('version', 'desc')
        .select('form_key', 'version', 'name', 'labels', 'published_at', 'published_by');
      return rows.map((v) => ({
        key: v.form_key,
        version: v.version,
        name: v.name,
        labels: v.labels ?? {},
        publishedAt: iso(v.published_at),
        publishedBy: v.published_by,
      }));
    });
  }

  /** One published version; `latest` for the latest one. */
  version(tenantId: string, key: string, version: number | 'latest'): Promise<FormVersionView> {
    return this.transactions.read(tenantId, async (tx) => {
      const n = version === 'latest' ? await latestFormVersion(tx, tenantId, key) : version;
      const row = n ? await this.versionRow(tx, tenantId, key, n) : undefined;
      if (!row) throw notFound('form version', `${key}@${version}`);
      return versionView(row);
    });
  }

  private versionRow(q: Queryable, tenantId: string, key: string, version: number): Promise<FormVersionRow | undefined> {
    return q('form_versions').where({ tenant_id: tenantId, form_key: key, version }).first();
  }

  // -------------------------------------------------------------------------------------------
  // Binding: validating submissions

  private async validator(
    q: Queryable,
    tenantId: string,
    key: string,
    version: number,
  ): Promise<{ row: FormVersionRow; validate: FormValidator }> {
    // A published version never changes: once read and compiled, it is served from memory.
    const cacheKey = `${tenantId}\u0000${key}\u0000${version}`;
    const cached = this.validators.get(cacheKey);
    if (cached) return cached;
    const row = await this.versionRow(q, tenantId, key, version);
    if (!row) throw new Error(`form ${key} version ${version} is missing`);
    let validate: FormValidator;
    try {
      validate = compileForm(row.schema);
    } catch (e) {
      // Saved before a rule it breaks existed (patterns run on RE2 since: no lookaround): a
      // clear refusal, not a 500, and the admin learns what to fix.
      throw conflict(
        'FORM_NOT_USABLE',
        `form "${key}" version ${version} cannot check submissions (${(e as Error).message}); publish a corrected version`,
      );
    }
    if (this.validators.size >= CACHE_SIZE) {
      const oldest = this.validators.keys().next().value;
      if (oldest !== undefined) this.validators.delete(oldest);
    }
    this.validators.set(cacheKey, { row, validate });
    return { row, validate };
  }

  /**
   * Validates `data` against a form version; answers 400 FORM_INVALID with every field at fault.
   * Attachments the data references must be the submitter's own uploads or belong to the instance.
   */
  private async validate(
    work: Work,
    key: string,
    version: number,
    data: Variables,
    actor: string,
    instanceId: string | null,
  ): Promise<{ attachmentIds: string[] }> {
    const tenantId = work.tenantId as string;
    const { row, validate } = await this.validator(work.tx, tenantId, key, version);
    const problems: FieldError[] = validateFormData(validate, data);
    const refs = problems.length ? [] : referencesOfFormat(row.schema, data, 'attachment-id');
    if (refs.length) {
      // The owner by id: a deleted user's files do not pass to a new user given the same name.
      const found: Array<{ id: string; owner: string | null; instance_id: string | null }> = await work
        .tx('attachments')
        .leftJoin('users', (j) => j.on('users.tenant_id', 'attachments.tenant_id').andOn('users.id', 'attachments.owner_id'))
        .where({ 'attachments.tenant_id': tenantId, 'attachments.status': 'stored' })
        .whereIn(
          'attachments.id',
          refs.map((r) => r.value),
        )
        .select('attachments.id', 'users.username as owner', 'attachments.instance_id');
      const byId = new Map(found.map((a) => [a.id, a]));
      for (const ref of refs) {
        const a = byId.get(ref.value);
        // The submitter's own upload not yet bound anywhere, or a file of this very instance.
        const usable = a && (a.instance_id === null ? a.owner === actor : a.instance_id === instanceId);
        if (!usable) problems.push({ pointer: ref.pointer, message: 'is not a file uploaded for this form' });
      }
    }
    if (problems.length) {
      throw new DomainError(
        'invalid',
        'FORM_INVALID',
        `the data does not fit form "${key}" version ${version}: ${problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`,
        problems,
      );
    }
    return { attachmentIds: refs.map((r) => r.value) };
  }

  /**
   * Checks the variables completing a task against the form version the task pinned (or, if its
   * form had none published when the task was created, the latest one now). No form: nothing to check.
   */
  async checkTask(
    work: Work,
    task: TaskRow & { form_version?: number | null },
    variables: Variables,
    actor: string,
  ): Promise<Submission | undefined> {
    if (!task.form_key) return undefined;
    const version = task.form_version ?? (await latestFormVersion(work.tx, work.tenantId as string, task.form_key));
    if (!version) return undefined;
    const { attachmentIds } = await this.validate(work, task.form_key, version, variables, actor, task.instance_id);
    return { formKey: task.form_key, version, kind: 'task', taskId: task.id, data: variables, actor, attachmentIds };
  }

  /**
   * Checks data against the latest published version of a form (a record's own fields); no
   * published form, no check. `standard` holds a record's standard fields (a ticket's title,
   * impact, ...): each is checked with the data where the form declares a field of its name.
   */
  async checkData(work: Work, formKey: string, data: Variables, actor: string, standard: Variables = {}): Promise<void> {
    const tenantId = work.tenantId as string;
    const version = await latestFormVersion(work.tx, tenantId, formKey);
    if (!version) return;
    const { row } = await this.validator(work.tx, tenantId, formKey, version);
    const declared = ((row.schema as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
    const withStandard: Variables = { ...data };
    for (const [name, value] of Object.entries(standard))
      if (name in declared && value !== undefined && value !== null) withStandard[name] = value;
    await this.validate(work, formKey, version, withStandard, actor, null);
  }

  /** Checks the variables starting an instance against the latest version of its none start event's form. */
  async checkStart(work: Work, definition: DefinitionRef, variables: Variables, actor: string): Promise<Submission | undefined> {
    const compiled: Definition = await this.definitions.compiledById(work.tx, definition.id);
    const formKey = compiled.starts.find((s) => s.kind === 'none' && s.formKey)?.formKey;
    if (!formKey) return undefined;
    const version = await latestFormVersion(work.tx, work.tenantId as string, formKey);
    if (!version) return undefined;
    const { attachmentIds } = await this.validate(work, formKey, version, variables, actor, null);
    return { formKey, version, kind: 'start', data: variables, actor, attachmentIds };
  }

  /**
   * The writes that record an accepted submission, pin the version on its task, and bind its
   * attachments to the instance: for the caller to run with its step's writes.
   */
  recordWrites(work: Work, submission: Submission, instanceId: string): Statement[] {
    const tenantId = work.tenantId as string;
    const writes: Statement[] = [
      work.tx('form_submissions').insert({
        tenant_id: tenantId,
        form_key: submission.formKey,
        form_version: submission.version,
        kind: submission.kind,
        instance_id: instanceId,
        task_id: submission.taskId ?? null,
        data: JSON.stringify(submission.data),
        submitted_by: submission.actor,
        submitted_at: work.at,
      }),
    ];
    if (submission.taskId) {
      writes.push(work.tx('tasks').where({ id: submission.taskId }).whereNull('form_version').update({ form_version: submission.version }));
    }
    if (submission.attachmentIds.length) {
      writes.push(
        work
          .tx('attachments')
          .where({ tenant_id: tenantId })
          .whereIn('id', submission.attachmentIds)
          .whereNull('instance_id')
          .update({ instance_id: instanceId, ...(submission.taskId ? { task_id: submission.taskId } : {}) }),
      );
    }
    return writes;
  }

  // -------------------------------------------------------------------------------------------
  // A task's form, for rendering

  async taskForm(p: Principal, taskId: string) {
    return this.transactions.read(p.tenantId, async (tx) => {
      const task: (TaskRow & { form_version: number | null }) | undefined = await tx('tasks')
        .where({ tenant_id: p.tenantId, id: taskId })
        .first();
      if (!task) throw notFound('task', taskId);
      if (!maySeeTask(p, task)) throw notFound('task', taskId);
      if (!task.form_key) throw new DomainError('not_found', 'NOT_FOUND', `task "${taskId}" has no form`);
      const version = task.form_version ?? (await latestFormVersion(tx, p.tenantId, task.form_key));
      const row = version ? await this.versionRow(tx, p.tenantId, task.form_key, version) : undefined;
      if (!row) throw new DomainError('not_found', 'NOT_FOUND', `form "${task.form_key}" of task "${taskId}" has no published version`);
      const instance: Pick<InstanceRow, 'state'> | undefined = await tx('instances')
        .where({ tenant_id: p.tenantId, id: task.instance_id })
        .first('state');
      const variables = instance ? instanceVariables(instance.state) : {};
      const fields = new Set(dataFields(row.schema));
      const data = Object.fromEntries(Object.entries(variables).filter(([name]) => fields.has(name)));
      return {
        key: row.form_key,
        version: row.version,
        name: row.name,
        labels: row.labels ?? {},
        schema: row.schema,
        uiSchema: row.ui_schema ?? {},
        data,
      };
    });
  }
}

/** Who may see a task (and its form and files): whoever may work it, and whoever completed it. */
export function maySeeTask(p: Principal, task: TaskRow): boolean {
  return mayWork(p, task) || task.completed_by === p.username;
}
