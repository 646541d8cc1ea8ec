// The shared ajv configuration: formats of the field types, refusing schemas that are not JSON
// Schema, and the messages (own pattern messages, both languages).
import { describe, expect, it } from 'vitest';
import {
  AJV_OPTIONS,
  compileForm,
  createAjv,
  formErrors,
  formSchemaProblems,
  parentSchemaAt,
  pointerOf,
  validateFormData,
} from './validation.ts';

const one = (schema: object) => compileForm({ type: 'object', properties: { v: schema }, unevaluatedProperties: false });

describe('the configuration', () => {
  it('is the one @rjsf/validator-ajv8 uses', async () => {
    const { AJV_CONFIG } = (await import('@rjsf/validator-ajv8/lib/createAjvInstance.js')) as { AJV_CONFIG: object };
    expect(AJV_OPTIONS).toEqual(AJV_CONFIG);
  });

  it.each([
    ['attachment-id', 'att-0b6b5a4e-9a0d-4e0a-8a38-9c1b2f3d4e5f', 'data:text/plain;base64,aGk='],
    ['phone', '+86 (10) 5555-1234', 'call me'],
    ['user-ref', 'agent1', 'agent 1'],
    ['group-ref', 'service-desk', ''],
    ['ci-ref', 'srv:db-01', ' '],
    ['date', '2026-03-01', '01/03/2026'],
    ['date-time', '2026-03-01T10:00:00Z', '2026-03-01'],
    ['email', 'a@example.com', 'a@'],
    ['uri', 'https://example.com/x', 'example com'],
  ])('knows the format %s', (format, good, bad) => {
    const validate = one({ type: 'string', format });
    expect(validateFormData(validate, { v: good })).toEqual([]);
    expect(validateFormData(validate, { v: bad })).toEqual([{ pointer: '/v', message: expect.stringMatching(/^must be /) }]);
  });
});

describe('saving a schema', () => {
  it('accepts a form schema', () => {
    expect(formSchemaProblems({ type: 'object', properties: { a: { type: 'string', 'x-sl-title': { en: 'A', 'zh-CN': '甲' } } } })).toEqual(
      [],
    );
  });

  it.each([
    [[], /JSON object/],
    [{ type: 'string' }, /type "object"/],
    [{ type: 'object', properties: { a: { type: 'strin' } } }, /must be equal to one of the allowed values|must match/],
    [{ type: 'object', properties: { a: { minLength: -1 } } }, /must be >= 0/],
    [{ type: 'object', properties: { a: { pattern: '([' } } }, /does not compile|pattern/],
    [{ type: 'object', properties: { a: { $ref: 'https://example.com/x.json' } } }, /does not compile/],
    [{ type: 'object', properties: { a: { type: 'string', 'x-sl-title': 'A' } } }, /must be object/],
    [{ type: 'object', $schema: 'http://json-schema.org/draft-04/schema#' }, /2020-12/],
    [{ type: 'object', $async: true }, /asynchronous/],
  ])('refuses %j', (schema, message) => {
    const problems = formSchemaProblems(schema);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.message).join('; ')).toMatch(message);
  });

  it('lets two schemas with the same $id compile one after the other', () => {
    const ajv = createAjv();
    expect(formSchemaProblems({ $id: 'https://example.com/form.json', type: 'object' }, ajv)).toEqual([]);
    expect(formSchemaProblems({ $id: 'https://example.com/form.json', type: 'object' }, ajv)).toEqual([]);
  });
});

describe('patterns', () => {
  it('matches in linear time: a pattern that backtracks exponentially in JavaScript answers at once', () => {
    // With RegExp, '^(a+)+$' against 30 a's and a '!' takes minutes; 100,000 would never end.
    const validate = one({ type: 'string', pattern: '^(a+)+$' });
    expect(validateFormData(validate, { v: `${'a'.repeat(100_000)}!` })).toEqual([{ pointer: '/v', message: expect.any(String) }]);
    expect(validateFormData(validate, { v: 'a'.repeat(100_000) })).toEqual([]);
  });

  it('looks for patterns in schemas only, not in data such as defaults', () => {
    expect(formSchemaProblems({ type: 'object', properties: { rule: { type: 'object', default: { pattern: '(?=x)' } } } })).toEqual([]);
  });

  it('applies each pattern of a schema, and those of patternProperties', () => {
    const validate = compileForm({
      type: 'object',
      properties: { code: { type: 'string', pattern: '^[A-Z]{2}-\\d+$' }, month: { type: 'string', pattern: '(?<year>\\d{4})-\\d{2}' } },
      patternProperties: { '^x-': { type: 'number' } },
    });
    expect(validateFormData(validate, { code: 'CN-42', month: '2026-11', 'x-cost': 3 })).toEqual([]);
    expect(validateFormData(validate, { code: 'cn-42', month: 'Nov', 'x-cost': 'three' }).map((e) => e.pointer)).toEqual([
      '/code',
      '/month',
      '/x-cost',
    ]);
  });

  it.each([
    ['^(?=.*\\d)\\w+$', 'lookahead'],
    ['(?<!x)y', 'lookbehind'],
    ['(a)\\1', 'backreference'],
  ])('refuses %s (%s) when the form is saved, naming the pattern', (pattern) => {
    const problems = formSchemaProblems({
      type: 'object',
      properties: { a: { type: 'string', pattern } },
      patternProperties: { [pattern]: {} },
    });
    expect(problems).toEqual([
      { pointer: '/properties/a/pattern', message: expect.stringContaining(`pattern ${JSON.stringify(pattern)} cannot be used`) },
      { pointer: `/patternProperties/${pattern}`, message: expect.stringContaining('cannot be used') },
    ]);
  });
});

describe('messages', () => {
  const validate = one({
    type: 'string',
    pattern: '^INC[0-9]+$',
    'x-sl-messages': { pattern: { en: 'an incident number, like INC123', 'zh-CN': '事件编号，例如 INC123' } },
  });

  it('uses a field’s own pattern message, in the language asked for', () => {
    expect(validateFormData(validate, { v: 'x' })).toEqual([{ pointer: '/v', message: 'an incident number, like INC123' }]);
    expect(validateFormData(validate, { v: 'x' }, 'zh-CN')).toEqual([{ pointer: '/v', message: '事件编号，例如 INC123' }]);
  });

  it('speaks Chinese for the built-in messages too', () => {
    const v = compileForm({ type: 'object', properties: { n: { type: 'integer', maximum: 3 } }, required: ['m'] });
    expect(validateFormData(v, { n: 4 }, 'zh-CN')).toEqual([
      { pointer: '/m', message: '为必填项' },
      { pointer: '/n', message: '不能大于 3' },
    ]);
  });

  it('names missing and unknown fields by their own pointer, escaped', () => {
    expect(pointerOf({ instancePath: '/rows/0', keyword: 'required', params: { missingProperty: 'a/b' } })).toBe('/rows/0/a~1b');
    expect(pointerOf({ instancePath: '', keyword: 'unevaluatedProperties', params: { unevaluatedProperty: 'x' } })).toBe('/x');
  });

  it('reports a failed choice once', () => {
    const v = one({ type: 'string', oneOf: [{ const: 'a' }, { const: 'b' }] });
    v({ v: 'c' });
    expect(formErrors(v.errors ?? [])).toEqual([{ pointer: '/v', message: 'must be one of the offered choices' }]);
  });

  it('finds the schema of a keyword from its schema path (as rjsf reports it)', () => {
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then
    const root = { allOf: [{ then: { properties: { 'a/b': { pattern: 'x' } } } }] };
    expect(parentSchemaAt(root, '#/allOf/0/then/properties/a~1b/pattern')).toEqual({ pattern: 'x' });
    expect(parentSchemaAt(root, '#/nothing/here')).toBeUndefined();
  });
});
