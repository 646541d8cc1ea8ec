// Builder model <-> JSON Schema + uiSchema, as pure functions (no React).
//
// The schema is draft 2020-12: the form's fields are `properties`; a field shown only under a
// condition lives in the `then` of an `allOf` entry `{ if: { properties: { a: { const: x } },
// required: ["a"] }, then: { properties: { b: ... } } }`; a field required only under a condition
// is in that `then`'s `required`; `unevaluatedProperties: false` refuses anything else. Labels,
// help texts and messages per language are in `x-sl-title`, `x-sl-description`, `x-sl-messages`
// (`title`/`description` carry the fallback text). The uiSchema says how to render: widgets,
// placeholders (`ui:sl:placeholder` per language), the field type (`ui:sl:type`) and the layout
// (`ui:sl:sections`: titled sections of 1-3 columns).
import {
  type Condition,
  FIELD_TYPES,
  type Field,
  type FieldOption,
  type FieldType,
  type FormModel,
  hasData,
  isChoice,
  isNumeric,
  type Section,
} from './model.ts';
import { FORM_LANGUAGES, FORM_SCHEMA_DIALECT, type FormLanguage, type JsonSchema, type Localized, pick } from './validation.ts';

export { dataFields } from './validation.ts';

export type UiSchema = Record<string, any>;

export interface FormDocument {
  schema: JsonSchema;
  uiSchema: UiSchema;
}

/** The model a schema came from, plus what the builder does not model (kept as it was). */
export interface ParsedForm extends FormModel {
  /** `allOf` entries that are not conditions the builder authors. */
  extraRules?: unknown[];
}

export const UI_TYPE = 'ui:sl:type';
export const UI_SECTIONS = 'ui:sl:sections';
export const UI_PLACEHOLDER = 'ui:sl:placeholder';

/** Widgets and fields the renderer registers for ServiceLoom types. */
export const WIDGETS = { user: 'slUser', group: 'slGroup', ci: 'slCi', attachment: 'slAttachment' } as const;
export const MARKDOWN_FIELD = 'slMarkdown';

const FORMATS: Partial<Record<FieldType, string>> = {
  date: 'date',
  dateTime: 'date-time',
  email: 'email',
  url: 'uri',
  phone: 'phone',
  user: 'user-ref',
  group: 'group-ref',
  ci: 'ci-ref',
  attachment: 'attachment-id',
};
const TYPE_OF_FORMAT = Object.fromEntries(Object.entries(FORMATS).map(([t, f]) => [f, t])) as Record<string, FieldType>;

const YES_NO: Array<{ const: boolean; label: Localized }> = [
  { const: true, label: { en: 'Yes', 'zh-CN': '是' } },
  { const: false, label: { en: 'No', 'zh-CN': '否' } },
];

const isEmpty = (l: Localized | undefined): l is undefined => !l || !FORM_LANGUAGES.some((lang) => l[lang]);
const clean = (l: Localized): Localized => Object.fromEntries(Object.entries(l).filter(([, v]) => v)) as Localized;
const fallback = (l: Localized) => pick(l, FORM_LANGUAGES[0]) as string;

function withText(s: JsonSchema, key: 'title' | 'description', text: Localized | undefined): void {
  if (isEmpty(text)) return;
  s[key] = fallback(text);
  s[key === 'title' ? 'x-sl-title' : 'x-sl-description'] = clean(text);
}

function optionSchemas(options: FieldOption[] = []): JsonSchema[] {
  return options.map((o) => {
    const s: JsonSchema = { const: o.value };
    withText(s, 'title', o.label);
    return s;
  });
}

// ---------------------------------------------------------------------------------------------
// model -> schema

/** One field's schema (without its conditions). */
export function fieldSchema(f: Field): JsonSchema {
  const s: JsonSchema = {};
  switch (f.type) {
    case 'shortText':
    case 'longText':
      s.type = 'string';
      break;
    case 'number':
    case 'integer':
      s.type = f.type;
      break;
    case 'select':
    case 'radio':
      s.type = 'string';
      s.oneOf = optionSchemas(f.options);
      break;
    case 'multiSelect':
      s.type = 'array';
      s.items = { type: 'string', oneOf: optionSchemas(f.options) };
      s.uniqueItems = true;
      break;
    case 'checkbox':
      s.type = 'boolean';
      break;
    case 'yesNo':
      s.type = 'boolean';
      s.oneOf = YES_NO.map((o) => {
        const option: JsonSchema = { const: o.const };
        withText(option, 'title', o.label);
        return option;
      });
      break;
    case 'table': {
      const columns = f.columns ?? [];
      const items: JsonSchema = { type: 'object', properties: Object.fromEntries(columns.map((c) => [c.id, fieldSchema(c)])) };
      const required = columns.filter((c) => c.required).map((c) => c.id);
      if (required.length) items.required = required;
      items.additionalProperties = false;
      s.type = 'array';
      s.items = items;
      break;
    }
    case 'markdown':
      s.type = 'null';
      break;
    default:
      s.type = 'string';
      s.format = FORMATS[f.type];
  }
  withText(s, 'title', f.label);
  withText(s, 'description', f.type === 'markdown' ? f.markdown : f.help);
  if (s.type === 'string') {
    if (f.minLength !== undefined) s.minLength = f.minLength;
    if (f.maxLength !== undefined) s.maxLength = f.maxLength;
    if (f.pattern) {
      s.pattern = f.pattern;
      if (!isEmpty(f.patternMessage)) s['x-sl-messages'] = { pattern: clean(f.patternMessage) };
    }
  }
  if (isNumeric(f.type)) {
    if (f.minimum !== undefined) s.minimum = f.minimum;
    if (f.maximum !== undefined) s.maximum = f.maximum;
  }
  if (s.type === 'array') {
    if (f.minimum !== undefined) s.minItems = f.minimum;
    if (f.maximum !== undefined) s.maxItems = f.maximum;
  }
  if (f.default !== undefined && hasData(f.type)) s.default = f.default;
  if (f.readOnly) s.readOnly = true;
  return s;
}

/** One field's uiSchema. */
export function fieldUi(f: Field): UiSchema {
  const ui: UiSchema = { [UI_TYPE]: f.type };
  switch (f.type) {
    case 'longText':
      ui['ui:widget'] = 'textarea';
      break;
    case 'radio':
    case 'yesNo':
      ui['ui:widget'] = 'radio';
      break;
    case 'multiSelect':
      ui['ui:widget'] = 'checkboxes';
      break;
    case 'phone':
      ui['ui:options'] = { inputType: 'tel' };
      break;
    case 'user':
    case 'group':
    case 'ci':
    case 'attachment':
      ui['ui:widget'] = WIDGETS[f.type];
      break;
    case 'markdown':
      ui['ui:field'] = MARKDOWN_FIELD;
      break;
    case 'table':
      ui.items = Object.fromEntries((f.columns ?? []).map((c) => [c.id, fieldUi(c)]));
      break;
    default:
  }
  if (f.hidden) ui['ui:widget'] = 'hidden';
  if (!isEmpty(f.placeholder)) {
    ui['ui:placeholder'] = fallback(f.placeholder);
    ui[UI_PLACEHOLDER] = clean(f.placeholder);
  }
  return ui;
}

const conditionKey = (c: Condition) => `${c.field}\u0000${JSON.stringify(c.equals)}`;

/** The builder's model as the JSON Schema and uiSchema it stands for. */
export function toSchema(model: ParsedForm): FormDocument {
  const fields = model.sections.flatMap((s) => s.fields);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const rules = new Map<string, { when: Condition; properties: Record<string, JsonSchema>; required: string[] }>();
  const rule = (when: Condition) => {
    const key = conditionKey(when);
    let r = rules.get(key);
    if (!r) {
      r = { when, properties: {}, required: [] };
      rules.set(key, r);
    }
    return r;
  };
  const uiSchema: UiSchema = {};
  for (const f of fields) {
    if (f.visibleWhen) {
      const r = rule(f.visibleWhen);
      r.properties[f.id] = fieldSchema(f);
      if (f.required) r.required.push(f.id);
    } else {
      properties[f.id] = fieldSchema(f);
      if (f.required) required.push(f.id);
    }
    if (f.requiredWhen) {
      const r = rule(f.requiredWhen);
      if (!r.required.includes(f.id)) r.required.push(f.id);
    }
    uiSchema[f.id] = fieldUi(f);
  }
  const schema: JsonSchema = { $schema: FORM_SCHEMA_DIALECT, type: 'object', properties };
  if (required.length) schema.required = required;
  const allOf: unknown[] = [...rules.values()].map((r) => {
    const then: JsonSchema = {};
    if (Object.keys(r.properties).length) then.properties = r.properties;
    if (r.required.length) then.required = r.required;
    return { if: { properties: { [r.when.field]: { const: r.when.equals } }, required: [r.when.field] }, then };
  });
  allOf.push(...(model.extraRules ?? []));
  if (allOf.length) schema.allOf = allOf;
  schema.unevaluatedProperties = false;
  uiSchema['ui:order'] = [...fields.map((f) => f.id), '*'];
  uiSchema[UI_SECTIONS] = model.sections.map((s) => ({
    id: s.id,
    ...(isEmpty(s.title) ? {} : { title: clean(s.title) }),
    columns: s.columns,
    fields: s.fields.map((f) => f.id),
  }));
  return { schema, uiSchema };
}

// ---------------------------------------------------------------------------------------------
// schema -> model

const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

function localizedOf(s: JsonSchema, key: 'title' | 'description'): Localized | undefined {
  const own = s[key === 'title' ? 'x-sl-title' : 'x-sl-description'];
  if (isObject(own)) return clean(own as Localized);
  if (typeof s[key] === 'string' && s[key]) return { [FORM_LANGUAGES[0]]: s[key] } as Localized;
  return undefined;
}

function optionsOf(s: JsonSchema | undefined): FieldOption[] {
  if (!s) return [];
  if (Array.isArray(s.oneOf ?? s.anyOf)) {
    return (s.oneOf ?? s.anyOf)
      .filter((o: unknown) => isObject(o) && 'const' in o)
      .map((o: JsonSchema) => ({ value: String(o.const), label: localizedOf(o, 'title') ?? { en: String(o.const) } }));
  }
  if (Array.isArray(s.enum)) return s.enum.map((v: unknown) => ({ value: String(v), label: { en: String(v) } }));
  return [];
}

const typeOfSchemaType = (t: unknown) => (Array.isArray(t) ? t.find((x) => x !== 'null') : t);

/** The field type a schema and uiSchema stand for: the uiSchema says so, or the shape tells. */
export function inferType(s: JsonSchema, ui: UiSchema = {}): FieldType {
  const declared = ui[UI_TYPE];
  if (typeof declared === 'string' && (FIELD_TYPES as readonly string[]).includes(declared)) return declared as FieldType;
  const widget = ui['ui:widget'];
  const type = typeOfSchemaType(s.type);
  if (type === 'null' || ui['ui:field'] === MARKDOWN_FIELD) return 'markdown';
  if (type === 'boolean') return widget === 'radio' || Array.isArray(s.oneOf) ? 'yesNo' : 'checkbox';
  if (type === 'array') return isObject(s.items) && typeOfSchemaType(s.items.type) === 'object' ? 'table' : 'multiSelect';
  if (type === 'number' || type === 'integer') return type;
  if (Array.isArray(s.enum) || Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) return widget === 'radio' ? 'radio' : 'select';
  if (typeof s.format === 'string' && TYPE_OF_FORMAT[s.format]) return TYPE_OF_FORMAT[s.format] as FieldType;
  if (widget === 'textarea') return 'longText';
  return 'shortText';
}

/** One field from its schema and uiSchema (conditions and required come from the parent). */
export function fieldFromSchema(id: string, s: JsonSchema, ui: UiSchema = {}): Field {
  const type = inferType(s, ui);
  const f: Field = { id, type, label: localizedOf(s, 'title') ?? {} };
  const text = localizedOf(s, 'description');
  if (text) {
    if (type === 'markdown') f.markdown = text;
    else f.help = text;
  }
  const placeholder = isObject(ui[UI_PLACEHOLDER])
    ? clean(ui[UI_PLACEHOLDER] as Localized)
    : typeof ui['ui:placeholder'] === 'string'
      ? { en: ui['ui:placeholder'] }
      : undefined;
  if (!isEmpty(placeholder)) f.placeholder = placeholder;
  if (s.default !== undefined) f.default = s.default;
  if (typeof s.minimum === 'number') f.minimum = s.minimum;
  if (typeof s.maximum === 'number') f.maximum = s.maximum;
  if (typeof s.minItems === 'number') f.minimum = s.minItems;
  if (typeof s.maxItems === 'number') f.maximum = s.maxItems;
  if (typeof s.minLength === 'number') f.minLength = s.minLength;
  if (typeof s.maxLength === 'number') f.maxLength = s.maxLength;
  if (typeof s.pattern === 'string') f.pattern = s.pattern;
  const message = isObject(s['x-sl-messages']) ? (s['x-sl-messages'].pattern as Localized | undefined) : undefined;
  if (!isEmpty(message)) f.patternMessage = clean(message);
  if (s.readOnly === true) f.readOnly = true;
  if (ui['ui:widget'] === 'hidden') f.hidden = true;
  if (isChoice(type)) f.options = optionsOf(type === 'multiSelect' ? s.items : s);
  if (type === 'table') {
    const items = (isObject(s.items) ? s.items : {}) as JsonSchema;
    const required: string[] = Array.isArray(items.required) ? items.required : [];
    const itemsUi = isObject(ui.items) ? ui.items : {};
    f.columns = Object.entries(isObject(items.properties) ? items.properties : {}).map(([cid, cs]) => {
      const column = fieldFromSchema(cid, cs as JsonSchema, isObject(itemsUi[cid]) ? itemsUi[cid] : {});
      if (required.includes(cid)) column.required = true;
      return column;
    });
  }
  return f;
}

/** `{ if: { properties: { a: { const: x } }, required: ["a"] }, then: {...} }` as the condition a = x, or undefined. */
function conditionOf(entry: unknown): { when: Condition; then: JsonSchema } | undefined {
  if (!isObject(entry) || !isObject(entry.if) || !isObject(entry.then)) return undefined;
  if (Object.keys(entry).some((k) => k !== 'if' && k !== 'then')) return undefined;
  const cond = entry.if;
  if (Object.keys(cond).some((k) => k !== 'properties' && k !== 'required')) return undefined;
  const props = isObject(cond.properties) ? Object.entries(cond.properties) : [];
  if (props.length !== 1) return undefined;
  const [field, test] = props[0] as [string, unknown];
  if (!isObject(test) || Object.keys(test).length !== 1 || !('const' in test)) return undefined;
  const equals = test.const;
  if (typeof equals !== 'string' && typeof equals !== 'number' && typeof equals !== 'boolean') return undefined;
  if (!Array.isArray(cond.required) || cond.required.length !== 1 || cond.required[0] !== field) return undefined;
  const then = entry.then;
  if (Object.keys(then).some((k) => k !== 'properties' && k !== 'required')) return undefined;
  return { when: { field, equals }, then };
}

/** The builder's model of a schema and uiSchema (whatever it does not model is kept in `extraRules`). */
export function fromSchema(doc: { schema: JsonSchema; uiSchema?: UiSchema | null }): ParsedForm {
  const { schema } = doc;
  const uiSchema: UiSchema = isObject(doc.uiSchema) ? doc.uiSchema : {};
  const byId = new Map<string, Field>();
  const order: string[] = [];
  const uiOf = (id: string) => (isObject(uiSchema[id]) ? uiSchema[id] : {});
  const add = (id: string, s: unknown) => {
    if (byId.has(id) || !isObject(s)) return;
    byId.set(id, fieldFromSchema(id, s, uiOf(id)));
    order.push(id);
  };
  const rootRequired: string[] = Array.isArray(schema.required) ? schema.required : [];
  for (const [id, s] of Object.entries(isObject(schema.properties) ? schema.properties : {})) {
    add(id, s);
    const f = byId.get(id);
    if (f && rootRequired.includes(id)) f.required = true;
  }
  const extraRules: unknown[] = [];
  for (const entry of Array.isArray(schema.allOf) ? schema.allOf : []) {
    const rule = conditionOf(entry);
    if (!rule) {
      extraRules.push(entry);
      continue;
    }
    const shown = isObject(rule.then.properties) ? rule.then.properties : {};
    for (const [id, s] of Object.entries(shown)) {
      add(id, s);
      const f = byId.get(id);
      if (f) f.visibleWhen = rule.when;
    }
    for (const id of Array.isArray(rule.then.required) ? (rule.then.required as string[]) : []) {
      const f = byId.get(id);
      if (!f) continue;
      if (id in shown && f.visibleWhen === rule.when) f.required = true;
      else f.requiredWhen = rule.when;
    }
  }
  // Layout: the sections the uiSchema names, then whatever they left out, in ui:order.
  const uiOrder: string[] = Array.isArray(uiSchema['ui:order']) ? uiSchema['ui:order'].filter((id: string) => byId.has(id)) : [];
  const ordered = [...new Set([...uiOrder, ...order])];
  const placed = new Set<string>();
  const sections: Section[] = [];
  for (const s of Array.isArray(uiSchema[UI_SECTIONS]) ? uiSchema[UI_SECTIONS] : []) {
    if (!isObject(s) || typeof s.id !== 'string') continue;
    const ids: string[] = Array.isArray(s.fields)
      ? s.fields.filter((id: unknown) => typeof id === 'string' && byId.has(id) && !placed.has(id))
      : [];
    for (const id of ids) placed.add(id);
    const section: Section = {
      id: s.id,
      columns: s.columns === 2 || s.columns === 3 ? s.columns : 1,
      fields: ids.map((id) => byId.get(id) as Field),
    };
    if (isObject(s.title) && !isEmpty(s.title as Localized)) section.title = clean(s.title as Localized);
    sections.push(section);
  }
  if (!sections.length) sections.push({ id: 'main', columns: 1, fields: [] });
  const rest = ordered.filter((id) => !placed.has(id)).map((id) => byId.get(id) as Field);
  (sections[sections.length - 1] as Section).fields.push(...rest);
  return extraRules.length ? { sections, extraRules } : { sections };
}

// ---------------------------------------------------------------------------------------------
// rendering in one language

/** A copy of the schema and uiSchema with titles, help texts and placeholders in one language. */
export function localize(doc: FormDocument, lang: FormLanguage): FormDocument {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    if (isObject(v['x-sl-title'])) out.title = pick(v['x-sl-title'] as Localized, lang, v.title);
    if (isObject(v['x-sl-description'])) out.description = pick(v['x-sl-description'] as Localized, lang, v.description);
    if (isObject(v[UI_PLACEHOLDER])) out['ui:placeholder'] = pick(v[UI_PLACEHOLDER] as Localized, lang, v['ui:placeholder']);
    return out;
  };
  return { schema: walk(doc.schema) as JsonSchema, uiSchema: walk(doc.uiSchema) as UiSchema };
}
