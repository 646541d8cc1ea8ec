// Forms: drafts, published versions, and a task's form for rendering.
import { type Static, Type } from 'typebox';
import { FORM_KEY_PATTERN, Nullable } from './common.ts';

const JsonObject = (description: string) => Type.Unsafe<Record<string, any>>({ type: 'object', additionalProperties: true, description });

export const FormLabels = Type.Object(
  { en: Type.Optional(Type.String({ maxLength: 200 })), 'zh-CN': Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false, description: 'The name per language' },
);
export type FormLabels = Static<typeof FormLabels>;

export const FormKey = Type.String({ pattern: FORM_KEY_PATTERN, description: 'Letters, digits, _ . - (at most 100)' });
export const FormKeyParams = Type.Object({ key: FormKey }, { additionalProperties: false });
export type FormKeyParams = Static<typeof FormKeyParams>;
export const FormVersionParams = Type.Object(
  { key: FormKey, version: Type.String({ minLength: 1, maxLength: 20, description: 'A version number, or `latest`' }) },
  { additionalProperties: false },
);
export type FormVersionParams = Static<typeof FormVersionParams>;

const DraftFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  labels: Type.Optional(FormLabels),
  schema: JsonObject('The form as JSON Schema (2020-12): refused unless it compiles with the shared ajv configuration'),
  uiSchema: Type.Optional(JsonObject('How to render it (react-jsonschema-form uiSchema)')),
};

export const CreateFormBody = Type.Object({ key: FormKey, ...DraftFields }, { additionalProperties: false });
export type CreateFormBody = Static<typeof CreateFormBody>;
export const SaveFormDraftBody = Type.Object(DraftFields, { additionalProperties: false });
export type SaveFormDraftBody = Static<typeof SaveFormDraftBody>;

export const FormDraft = Type.Object({
  name: Type.String(),
  labels: FormLabels,
  schema: JsonObject('JSON Schema'),
  uiSchema: JsonObject('uiSchema'),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Nullable(Type.String()),
});
export type FormDraft = Static<typeof FormDraft>;

export const Form = Type.Object({
  key: Type.String(),
  name: Type.String(),
  labels: FormLabels,
  latestVersion: Nullable(Type.Integer()),
  draft: Nullable(FormDraft),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Form = Static<typeof Form>;

export const FormSummary = Type.Object({
  key: Type.String(),
  name: Type.String(),
  labels: FormLabels,
  latestVersion: Nullable(Type.Integer()),
  hasDraft: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type FormSummary = Static<typeof FormSummary>;

export const FormList = Type.Array(FormSummary);
export type FormList = Static<typeof FormList>;

export const FormVersionSummary = Type.Object({
  key: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  labels: FormLabels,
  publishedAt: Type.String({ format: 'date-time' }),
  publishedBy: Nullable(Type.String()),
});
export type FormVersionSummary = Static<typeof FormVersionSummary>;

export const FormVersionList = Type.Array(FormVersionSummary);
export type FormVersionList = Static<typeof FormVersionList>;

export const FormVersion = Type.Object({
  key: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  labels: FormLabels,
  schema: JsonObject('JSON Schema'),
  uiSchema: JsonObject('uiSchema'),
  publishedAt: Type.String({ format: 'date-time' }),
  publishedBy: Nullable(Type.String()),
});
export type FormVersion = Static<typeof FormVersion>;

export const PublishedForm = Type.Object({ key: Type.String(), version: Type.Integer() });
export type PublishedForm = Static<typeof PublishedForm>;

export const TaskForm = Type.Object({
  key: Type.String(),
  version: Type.Integer({ description: 'The version the task pinned when it was created' }),
  name: Type.String(),
  labels: FormLabels,
  schema: JsonObject('JSON Schema'),
  uiSchema: JsonObject('uiSchema'),
  data: JsonObject("The instance's current values of the form's fields"),
});
export type TaskForm = Static<typeof TaskForm>;
