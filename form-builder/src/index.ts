// @serviceloom/form-builder: the drag-and-drop JSON-schema form builder, the form renderer, and the
// model <-> schema conversion. The ajv configuration shared with the server is also its own entry,
// `@serviceloom/form-builder/validation` (no React), as are `/schema` and `/model`.
export { FormBuilder, type FormBuilderProps } from './builder/FormBuilder.tsx';
export { type BuilderAction, type BuilderState, builderReducer, initialState, type Selection } from './builder/state.ts';
export { FORM_BUILDER_NS, formBuilderResources } from './i18n/index.ts';
export {
  allFields,
  COLUMN_TYPES,
  type Condition,
  emptyModel,
  FIELD_ID_PATTERN,
  FIELD_TYPES,
  type Field,
  type FieldOption,
  type FieldType,
  type FormModel,
  newField,
  type Section,
} from './model.ts';
export { errorSchemaOf } from './render/errors.ts';
export { FormRenderer, type FormRendererProps, renderable } from './render/FormRenderer.tsx';
export { formValidator } from './render/validator.ts';
export type { PickerOption, RenderContext } from './render/widgets.tsx';
export { dataFields, type FormDocument, fromSchema, localize, type ParsedForm, toSchema, type UiSchema } from './schema.ts';
export {
  AJV_OPTIONS,
  compileForm,
  configureAjv,
  createAjv,
  type FieldError,
  FORM_LANGUAGES,
  FORM_SCHEMA_DIALECT,
  type FormLanguage,
  formErrors,
  formSchemaProblems,
  type JsonSchema,
  type Localized,
  pick,
  validateFormData,
} from './validation.ts';
