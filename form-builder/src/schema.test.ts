// The schema the builder produces for each field type and for conditions, and the round trip:
// a schema loaded back into the builder gives the same schema (and the same model).
import { describe, expect, it } from 'vitest';
import { FIELD_TYPES, type Field, type FieldType, type FormModel, newField } from './model.ts';
import { dataFields, fieldSchema, fieldUi, fromSchema, inferType, localize, toSchema } from './schema.ts';
import { compileForm, FORM_SCHEMA_DIALECT, formSchemaProblems, validateFormData } from './validation.ts';

const form = (...fields: Field[]): FormModel => ({ sections: [{ id: 'main', columns: 1, fields }] });
const field = (type: FieldType, extra: Partial<Field> = {}): Field => ({ ...newField(type, type), ...extra });

const EXPECTED: Record<FieldType, [Record<string, unknown>, Record<string, unknown>]> = {
  shortText: [{ type: 'string' }, {}],
  longText: [{ type: 'string' }, { 'ui:widget': 'textarea' }],
  number: [{ type: 'number' }, {}],
  integer: [{ type: 'integer' }, {}],
  select: [
    {
      type: 'string',
      oneOf: [
        { const: 'a', title: 'Option A', 'x-sl-title': { en: 'Option A', 'zh-CN': '选项 A' } },
        { const: 'b', title: 'Option B', 'x-sl-title': { en: 'Option B', 'zh-CN': '选项 B' } },
      ],
    },
    {},
  ],
  multiSelect: [
    {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', oneOf: [expect.objectContaining({ const: 'a' }), expect.objectContaining({ const: 'b' })] },
    },
    { 'ui:widget': 'checkboxes' },
  ],
  radio: [
    { type: 'string', oneOf: [expect.objectContaining({ const: 'a' }), expect.objectContaining({ const: 'b' })] },
    { 'ui:widget': 'radio' },
  ],
  checkbox: [{ type: 'boolean' }, {}],
  yesNo: [
    {
      type: 'boolean',
      oneOf: [
        { const: true, title: 'Yes', 'x-sl-title': { en: 'Yes', 'zh-CN': '是' } },
        { const: false, title: 'No', 'x-sl-title': { en: 'No', 'zh-CN': '否' } },
      ],
    },
    { 'ui:widget': 'radio' },
  ],
  date: [{ type: 'string', format: 'date' }, {}],
  dateTime: [{ type: 'string', format: 'date-time' }, {}],
  email: [{ type: 'string', format: 'email' }, {}],
  url: [{ type: 'string', format: 'uri' }, {}],
  phone: [{ type: 'string', format: 'phone' }, { 'ui:options': { inputType: 'tel' } }],
  user: [{ type: 'string', format: 'user-ref' }, { 'ui:widget': 'slUser' }],
  group: [{ type: 'string', format: 'group-ref' }, { 'ui:widget': 'slGroup' }],
  ci: [{ type: 'string', format: 'ci-ref' }, { 'ui:widget': 'slCi' }],
  attachment: [{ type: 'string', format: 'attachment-id' }, { 'ui:widget': 'slAttachment' }],
  table: [
    {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          item: { type: 'string', title: 'Item', 'x-sl-title': { en: 'Item', 'zh-CN': '项目' } },
          quantity: { type: 'integer', title: 'Quantity', 'x-sl-title': { en: 'Quantity', 'zh-CN': '数量' } },
        },
        additionalProperties: false,
      },
    },
    { items: { item: { 'ui:sl:type': 'shortText' }, quantity: { 'ui:sl:type': 'integer' } } },
  ],
  markdown: [
    { type: 'null', description: 'Read this first.', 'x-sl-description': { en: 'Read this first.', 'zh-CN': '请先阅读。' } },
    { 'ui:field': 'slMarkdown' },
  ],
};

describe('the schema of each field type', () => {
  it.each(FIELD_TYPES)('%s', (type) => {
    const f = field(type);
    const [schema, ui] = EXPECTED[type];
    expect(fieldSchema(f)).toEqual({ ...schema, title: f.label.en, 'x-sl-title': f.label });
    expect(fieldUi(f)).toEqual({ 'ui:sl:type': type, ...ui });
    // And the shape alone (without ui:sl:type) tells the type again.
    const { 'ui:sl:type': _declared, ...bare } = fieldUi(f);
    expect(inferType(fieldSchema(f), bare)).toBe(type);
  });

  it('puts labels, help and placeholders per language, the fallback in title/description', () => {
    const f = field('shortText', {
      label: { en: 'Subject', 'zh-CN': '主题' },
      help: { en: 'One line', 'zh-CN': '一行' },
      placeholder: { en: 'e.g. printer', 'zh-CN': '例如 打印机' },
    });
    expect(fieldSchema(f)).toEqual({
      type: 'string',
      title: 'Subject',
      'x-sl-title': { en: 'Subject', 'zh-CN': '主题' },
      description: 'One line',
      'x-sl-description': { en: 'One line', 'zh-CN': '一行' },
    });
    expect(fieldUi(f)).toMatchObject({
      'ui:placeholder': 'e.g. printer',
      'ui:sl:placeholder': { en: 'e.g. printer', 'zh-CN': '例如 打印机' },
    });
    expect(fieldSchema(field('shortText', { label: { 'zh-CN': '主题' } })).title).toBe('主题');
  });

  it('writes constraints: default, min/max, length, pattern with its message, read-only, hidden', () => {
    const text = field('shortText', {
      default: 'x',
      minLength: 2,
      maxLength: 10,
      pattern: '^[A-Z]+$',
      patternMessage: { en: 'capitals only', 'zh-CN': '只能大写' },
      readOnly: true,
      hidden: true,
    });
    expect(fieldSchema(text)).toMatchObject({
      default: 'x',
      minLength: 2,
      maxLength: 10,
      pattern: '^[A-Z]+$',
      'x-sl-messages': { pattern: { en: 'capitals only', 'zh-CN': '只能大写' } },
      readOnly: true,
    });
    expect(fieldUi(text)['ui:widget']).toBe('hidden');
    expect(fieldSchema(field('number', { minimum: 1, maximum: 5 }))).toMatchObject({ minimum: 1, maximum: 5 });
    expect(fieldSchema(field('multiSelect', { minimum: 1, maximum: 2 }))).toMatchObject({ minItems: 1, maxItems: 2 });
    expect(fieldSchema(field('table', { minimum: 1 }))).toMatchObject({ minItems: 1 });
    // Length constraints mean nothing for numbers and are left out.
    expect(fieldSchema(field('number', { minLength: 3 }))).not.toHaveProperty('minLength');
  });

  it('requires table columns marked required', () => {
    const t = field('table', { columns: [{ id: 'item', type: 'shortText', label: { en: 'Item' }, required: true }] });
    expect(fieldSchema(t).items).toMatchObject({ required: ['item'], additionalProperties: false });
  });

  it('makes a form: properties, required, order, sections, no unknown properties', () => {
    const { schema, uiSchema } = toSchema({
      sections: [
        {
          id: 'who',
          title: { en: 'Requester', 'zh-CN': '请求人' },
          columns: 2,
          fields: [field('email', { required: true }), field('phone')],
        },
        { id: 'what', columns: 1, fields: [field('longText')] },
      ],
    });
    expect(schema).toMatchObject({
      $schema: FORM_SCHEMA_DIALECT,
      type: 'object',
      required: ['email'],
      unevaluatedProperties: false,
    });
    expect(Object.keys(schema.properties)).toEqual(['email', 'phone', 'longText']);
    expect(uiSchema['ui:order']).toEqual(['email', 'phone', 'longText', '*']);
    expect(uiSchema['ui:sl:sections']).toEqual([
      { id: 'who', title: { en: 'Requester', 'zh-CN': '请求人' }, columns: 2, fields: ['email', 'phone'] },
      { id: 'what', columns: 1, fields: ['longText'] },
    ]);
    expect(formSchemaProblems(schema)).toEqual([]);
  });
});

describe('conditions', () => {
  const category = field('select', {
    id: 'category',
    options: [
      { value: 'hardware', label: { en: 'Hardware' } },
      { value: 'access', label: { en: 'Access' } },
    ],
  });
  const priority = field('integer', { id: 'priority', required: true });
  const asset = field('shortText', { id: 'asset', visibleWhen: { field: 'category', equals: 'hardware' }, required: true });
  const serial = field('shortText', { id: 'serial', visibleWhen: { field: 'category', equals: 'hardware' } });
  const impact = field('longText', { id: 'impact', requiredWhen: { field: 'priority', equals: 1 } });
  const doc = toSchema(form(category, priority, asset, serial, impact));

  it('shows B when A equals X: B lives in the then of an if on A', () => {
    expect(doc.schema.properties).not.toHaveProperty('asset');
    expect(doc.schema.allOf[0]).toEqual({
      if: { properties: { category: { const: 'hardware' } }, required: ['category'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then
      then: { properties: { asset: fieldSchema(asset), serial: fieldSchema(serial) }, required: ['asset'] },
    });
  });

  it('makes C required when priority is 1', () => {
    expect(doc.schema.allOf[1]).toEqual({
      if: { properties: { priority: { const: 1 } }, required: ['priority'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then
      then: { required: ['impact'] },
    });
    expect(doc.schema.properties).toHaveProperty('impact');
  });

  it('validates as the conditions say', () => {
    const validate = compileForm(doc.schema);
    expect(validateFormData(validate, { category: 'access', priority: 2 })).toEqual([]);
    expect(validateFormData(validate, { category: 'hardware', priority: 2 })).toEqual([{ pointer: '/asset', message: 'is required' }]);
    expect(validateFormData(validate, { category: 'hardware', priority: 2, asset: 'PC-1' })).toEqual([]);
    // A field shown only for hardware is not part of an access request.
    expect(validateFormData(validate, { category: 'access', priority: 2, asset: 'PC-1' })).toEqual([
      { pointer: '/asset', message: 'is not a field of this form' },
    ]);
    expect(validateFormData(validate, { category: 'access', priority: 1 })).toEqual([{ pointer: '/impact', message: 'is required' }]);
    expect(validateFormData(validate, { category: 'access', priority: 1, impact: 'all of us' })).toEqual([]);
  });

  it('lists the data fields including conditional ones', () => {
    expect(dataFields(doc.schema).sort()).toEqual(['asset', 'category', 'impact', 'priority', 'serial']);
  });

  it('comes back from the schema with the same conditions', () => {
    const model = fromSchema(doc);
    const byId = Object.fromEntries(model.sections[0]!.fields.map((f) => [f.id, f]));
    expect(byId.asset).toMatchObject({ visibleWhen: { field: 'category', equals: 'hardware' }, required: true });
    expect(byId.serial?.required).toBeUndefined();
    expect(byId.impact).toMatchObject({ requiredWhen: { field: 'priority', equals: 1 } });
    expect(toSchema(model)).toEqual(doc);
  });
});

describe('round trip', () => {
  const everything: FormModel = {
    sections: [
      {
        id: 'first',
        title: { en: 'First', 'zh-CN': '第一' },
        columns: 2,
        fields: FIELD_TYPES.slice(0, 10).map((t, i) =>
          field(t, {
            ...(i % 3 === 0 ? { required: true } : {}),
            help: { en: `help ${t}`, 'zh-CN': `帮助 ${t}` },
            ...(t === 'shortText'
              ? { pattern: '^a', patternMessage: { en: 'starts with a' }, placeholder: { en: 'a...' }, minLength: 1, default: 'abc' }
              : {}),
            ...(t === 'number' ? { minimum: 0, maximum: 9.5, readOnly: true } : {}),
            ...(t === 'checkbox' ? { hidden: true, default: true } : {}),
          }),
        ),
      },
      {
        id: 'second',
        columns: 1,
        fields: FIELD_TYPES.slice(10).map((t) =>
          field(
            t,
            t === 'email'
              ? { visibleWhen: { field: 'yesNo', equals: true } }
              : t === 'url'
                ? { requiredWhen: { field: 'select', equals: 'b' } }
                : {},
          ),
        ),
      },
    ],
  };

  it('gives the same schema and the same model back', () => {
    const doc = toSchema(everything);
    expect(formSchemaProblems(doc.schema)).toEqual([]);
    const model = fromSchema(JSON.parse(JSON.stringify(doc)));
    expect(model).toEqual(everything);
    expect(toSchema(model)).toEqual(doc);
  });

  it('keeps rules the builder does not author', () => {
    const doc = toSchema(form(field('shortText')));
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then
    const rule = { if: { properties: { shortText: { minLength: 3 } } }, then: { required: ['shortText'] } };
    doc.schema.allOf = [rule];
    const model = fromSchema(doc);
    expect(model.extraRules).toEqual([rule]);
    expect(toSchema(model)).toEqual(doc);
  });

  it('reads a hand-written schema without builder hints', () => {
    const model = fromSchema({
      schema: {
        type: 'object',
        properties: {
          name: { type: 'string', title: 'Name' },
          severity: { type: 'string', enum: ['low', 'high'] },
          when: { type: 'string', format: 'date-time' },
          notes: { type: 'string' },
        },
        required: ['name'],
      },
      uiSchema: { notes: { 'ui:widget': 'textarea' }, 'ui:order': ['notes', '*'] },
    });
    expect(model.sections[0]!.fields.map((f) => [f.id, f.type, f.required ?? false])).toEqual([
      ['notes', 'longText', false],
      ['name', 'shortText', true],
      ['severity', 'select', false],
      ['when', 'dateTime', false],
    ]);
    expect(model.sections[0]!.fields[2]!.options).toEqual([
      { value: 'low', label: { en: 'low' } },
      { value: 'high', label: { en: 'high' } },
    ]);
  });
});

describe('localize', () => {
  it('puts one language into title, description, option titles and placeholders', () => {
    const doc = toSchema(
      form(
        field('select', { label: { en: 'Category', 'zh-CN': '类别' }, placeholder: { en: 'pick', 'zh-CN': '请选择' } }),
        field('shortText', { label: { en: 'Only English' } }),
      ),
    );
    const zh = localize(doc, 'zh-CN');
    expect(zh.schema.properties.select.title).toBe('类别');
    expect(zh.schema.properties.select.oneOf[0].title).toBe('选项 A');
    expect(zh.uiSchema.select['ui:placeholder']).toBe('请选择');
    expect(zh.schema.properties.shortText.title).toBe('Only English');
    expect(localize(doc, 'en').schema.properties.select.title).toBe('Category');
    // The original is untouched.
    expect(doc.schema.properties.select.title).toBe('Category');
  });
});
