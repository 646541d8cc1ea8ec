// The one ajv configuration of ServiceLoom forms, shared by the browser (the rjsf validator of the
// builder's preview and of rendered forms) and the server (task completion, instance start, saving
// a form). No React here: runtime-api imports this module as `@serviceloom/form-builder/validation`.
//
// Forms are JSON Schema draft 2020-12 (Ajv2020), so conditional fields can live in `if/then` while
// `unevaluatedProperties: false` still refuses fields the form does not have. The options are
// those @rjsf/validator-ajv8 uses (AJV_CONFIG), and the formats and keywords are added by one
// function, `configureAjv`, which both sides call.
import { Ajv2020, type AnySchemaObject, type ErrorObject, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import * as formatsModule from 'ajv-formats';
import { RE2JS } from 're2js';

/** The schema dialect of ServiceLoom forms. */
export const FORM_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** @rjsf/validator-ajv8's AJV_CONFIG: both sides construct ajv with exactly these. */
export const AJV_OPTIONS: Options = {
  allErrors: true,
  multipleOfPrecision: 8,
  strict: false,
  verbose: true,
  discriminator: false,
};

/** The languages labels are stored in. The first is the fallback. */
export const FORM_LANGUAGES = ['en', 'zh-CN'] as const;
export type FormLanguage = (typeof FORM_LANGUAGES)[number];
export type Localized = Partial<Record<FormLanguage, string>>;

const ATTACHMENT_ID = /^att-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Formats of the ServiceLoom field types (beside ajv-formats' date, date-time, email, uri, ...). */
export const CUSTOM_FORMATS: Record<string, RegExp | ((value: string) => boolean)> = {
  /** An uploaded file, by the id `POST /api/v1/attachments` returned (never a data URL). */
  'attachment-id': ATTACHMENT_ID,
  /** A telephone number: optional +, digits and the usual separators, 4 to 20 digits. */
  phone: (v) => /^\+?[0-9 ()./-]{4,40}$/.test(v) && (v.match(/\d/g)?.length ?? 0) >= 4 && (v.match(/\d/g)?.length ?? 0) <= 20,
  /** A user of the tenant, by username. */
  'user-ref': /^[A-Za-z0-9][A-Za-z0-9._@-]{0,199}$/,
  /** A group of the tenant, by id. */
  'group-ref': /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/,
  /** A configuration item, by id. */
  'ci-ref': /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/,
  // The two @rjsf/validator-ajv8 adds itself, so the server knows them too.
  'data-url': /^data:([a-z]+\/[a-z0-9-+.]+)?;(?:name=(.*);)?base64,(.*)$/,
  color:
    /^(#?([0-9A-Fa-f]{3}){1,2}\b|aqua|black|blue|fuchsia|gray|green|lime|maroon|navy|olive|orange|purple|red|silver|teal|white|yellow|(rgb\(\s*\b([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\b\s*,\s*\b([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\b\s*,\s*\b([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\b\s*\))|(rgb\(\s*(\d?\d%|100%)+\s*,\s*(\d?\d%|100%)+\s*,\s*(\d?\d%|100%)+\s*\)))$/,
};

const LOCALIZED_META = {
  type: 'object',
  propertyNames: { pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' },
  additionalProperties: { type: 'string', maxLength: 20_000 },
};

/**
 * Annotation keywords: they validate nothing in form data, but a schema that uses them wrongly is
 * refused when saved (their values are checked against these meta-schemas).
 */
export const CUSTOM_KEYWORDS: Record<string, object> = {
  /** The label per language; `title` holds the fallback. */
  'x-sl-title': LOCALIZED_META,
  /** The help text (or a read-only text's markdown) per language; `description` holds the fallback. */
  'x-sl-description': LOCALIZED_META,
  /** Own error messages per failing keyword, per language: `{ pattern: { en, zh-CN } }`. */
  'x-sl-messages': { type: 'object', additionalProperties: LOCALIZED_META },
};

/** The keyword @rjsf/validator-ajv8 registers (RJSF_ADDITIONAL_PROPERTIES_FLAG). */
const RJSF_KEYWORD = '__rjsf_additionalProperties';

type FormatsPlugin = (ajv: Ajv2020, options?: unknown) => Ajv2020;
const addFormats: FormatsPlugin = (() => {
  // ajv-formats is CommonJS: its function is module.exports (and .default) depending on the loader.
  const m = formatsModule as any;
  const d = m.default;
  return (typeof d === 'function' ? d : typeof d?.default === 'function' ? d.default : m) as FormatsPlugin;
})();

/**
 * Adds ServiceLoom's formats and keywords to an ajv instance built with AJV_OPTIONS. The server's
 * `createAjv` and the browser's rjsf validator (as its `extenderFn`) both go through here.
 */
export function configureAjv<T extends Ajv2020>(ajv: T): T {
  addFormats(ajv);
  for (const [name, format] of Object.entries(CUSTOM_FORMATS)) ajv.addFormat(name, format);
  // rjsf's validator adds its keyword before calling us: each keyword once.
  const known = (keyword: string) => (ajv.RULES.keywords as Record<string, unknown>)[keyword] !== undefined;
  for (const [keyword, metaSchema] of Object.entries(CUSTOM_KEYWORDS)) {
    if (!known(keyword)) ajv.addKeyword({ keyword, metaSchema, schemaType: 'object' });
  }
  if (!known(RJSF_KEYWORD)) ajv.addKeyword(RJSF_KEYWORD);
  return ajv;
}

/**
 * Form patterns (`pattern`, `patternProperties`) run on RE2 (re2js, pure JavaScript), which
 * matches in time linear in the input. A form admin writes them and every requester's submission
 * is checked against them on the server: with JavaScript's backtracking RegExp, a pattern such
 * as `(a+)+$` and a few dozen characters would hold the server's only thread for minutes, for
 * every tenant. RE2 has no lookaround and no backreferences; a pattern using them is refused
 * when the form is saved (and in the builder), with this message.
 */
function linearTimePattern(pattern: string, flags: string): { test(input: string): boolean; toString(): string } {
  const compiled = compilePattern(pattern);
  // ajv keeps one compiled pattern per toString(): it must name the pattern, as a RegExp's does.
  return { test: (input) => compiled.test(input), toString: () => `/${pattern}/${flags}` };
}
function compilePattern(pattern: string): RE2JS {
  try {
    return RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (e) {
    throw new Error(
      `pattern ${JSON.stringify(pattern)} cannot be used (${(e as Error).message}): patterns are matched in linear time, without lookahead, lookbehind or backreferences`,
    );
  }
}

/** A JSON Pointer segment for a key (RFC 6901: `~` and `/` escaped). */
const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Where a schema's patterns are that RE2 cannot take: each by its JSON pointer in the schema. */
function patternProblems(schema: unknown, pointer = ''): FieldError[] {
  if (schema === null || typeof schema !== 'object') return [];
  const problems: FieldError[] = [];
  const check = (pattern: string, at: string) => {
    try {
      compilePattern(pattern);
    } catch (e) {
      problems.push({ pointer: at, message: (e as Error).message });
    }
  };
  for (const [key, value] of Object.entries(schema)) {
    const at = `${pointer}/${escapePointer(key)}`;
    if (key === 'pattern' && typeof value === 'string') check(value, at);
    if (key === 'patternProperties' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const name of Object.keys(value)) check(name, `${at}/${escapePointer(name)}`);
    }
    if (!DATA_KEYWORDS.has(key)) problems.push(...patternProblems(value, at));
  }
  return problems;
}
/** Keywords whose values are data, not schemas: a "pattern" inside them is not one. */
const DATA_KEYWORDS = new Set(['const', 'default', 'enum', 'examples']);

// ajv names the engine in code it generates for standalone use (not used here).
linearTimePattern.code = 're2js';

/** A new ajv with the shared configuration; its patterns run on RE2 (linearTimePattern). */
export function createAjv(): Ajv2020 {
  return configureAjv(new Ajv2020({ ...AJV_OPTIONS, code: { regExp: linearTimePattern } }));
}

/** What @rjsf/validator-ajv8's `customizeValidator` takes to build the very same ajv. */
export const rjsfValidatorOptions = {
  AjvClass: Ajv2020,
  ajvOptionsOverrides: AJV_OPTIONS,
  ajvFormatOptions: false as const,
  extenderFn: configureAjv,
};

export type JsonSchema = AnySchemaObject;
/** A compiled form schema. */
export type FormValidator = ValidateFunction;

/** A field at fault: its JSON pointer in the form data and what is wrong. */
export interface FieldError {
  pointer: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Checking a schema before it is saved

const MAX_DEPTH = 32;

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return depth;
  let max = depth;
  for (const v of Object.values(value)) max = Math.max(max, depthOf(v, depth + 1));
  return max;
}

/**
 * Why a schema cannot be a form (empty when it can): it must be valid JSON Schema that compiles
 * under the shared configuration, describe an object, and be synchronous and self-contained.
 */
export function formSchemaProblems(schema: unknown, ajv: Ajv2020 = createAjv()): FieldError[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return [{ pointer: '', message: 'a form schema must be a JSON object' }];
  }
  const s = schema as JsonSchema;
  const problems: FieldError[] = [];
  if (s.type !== 'object') problems.push({ pointer: '/type', message: 'a form schema must have type "object": form data is an object' });
  if (s.$async) problems.push({ pointer: '/$async', message: 'asynchronous schemas are not supported' });
  if (s.$schema !== undefined && s.$schema !== FORM_SCHEMA_DIALECT) {
    problems.push({ pointer: '/$schema', message: `forms use JSON Schema 2020-12 ("${FORM_SCHEMA_DIALECT}")` });
  }
  if (depthOf(s) > MAX_DEPTH) problems.push({ pointer: '', message: `the schema nests deeper than ${MAX_DEPTH} levels` });
  if (problems.length) return problems;
  if (!ajv.validateSchema(s)) {
    return (ajv.errors ?? []).map((e) => ({ pointer: e.instancePath, message: `${e.message ?? 'is invalid'}${paramsText(e)}` }));
  }
  const patterns = patternProblems(s);
  if (patterns.length) return patterns;
  try {
    ajv.compile(s);
  } catch (e) {
    return [{ pointer: '', message: `the schema does not compile: ${(e as Error).message}` }];
  } finally {
    ajv.removeSchema(s);
  }
  return [];
}

function paramsText(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (p.allowedValues) return ` (${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
  if (p.additionalProperty) return ` ("${p.additionalProperty}")`;
  return '';
}

// ---------------------------------------------------------------------------------------------
// Validating form data

/** Validates form data against a (compiled) form schema; the errors one per field, in order. */
export function validateFormData(validate: ValidateFunction, data: unknown, lang: FormLanguage = 'en'): FieldError[] {
  if (validate(data)) return [];
  return formErrors(validate.errors ?? [], lang);
}

/** Compiles a form schema with the shared configuration (the caller caches the function). */
export function compileForm(schema: JsonSchema, ajv: Ajv2020 = sharedAjv()): ValidateFunction {
  try {
    return ajv.compile(schema);
  } finally {
    // The compiled function keeps working; ajv forgets the schema so ids cannot collide or pile up.
    ajv.removeSchema(schema);
  }
}

let shared: Ajv2020 | undefined;
const sharedAjv = () => {
  shared ??= createAjv();
  return shared;
};

const MESSAGES: Record<FormLanguage, Record<string, (p: Record<string, any>) => string>> = {
  en: {
    required: () => 'is required',
    unknown: () => 'is not a field of this form',
    type: (p) => `must be ${p.type === 'integer' ? 'a whole number' : p.type === 'number' ? 'a number' : `of type ${p.type}`}`,
    choice: () => 'must be one of the offered choices',
    minLength: (p) => `must be at least ${p.limit} characters long`,
    maxLength: (p) => `must be at most ${p.limit} characters long`,
    minimum: (p) => `must be ${p.limit} or more`,
    maximum: (p) => `must be ${p.limit} or less`,
    exclusiveMinimum: (p) => `must be more than ${p.limit}`,
    exclusiveMaximum: (p) => `must be less than ${p.limit}`,
    minItems: (p) => `needs at least ${p.limit} entries`,
    maxItems: (p) => `takes at most ${p.limit} entries`,
    uniqueItems: () => 'must not repeat an entry',
    pattern: () => 'does not have the expected form',
    multipleOf: (p) => `must be a multiple of ${p.multipleOf}`,
    format: (p) => `must be ${FORMAT_NAMES.en[p.format] ?? `a valid ${p.format}`}`,
  },
  'zh-CN': {
    required: () => '为必填项',
    unknown: () => '不是此表单的字段',
    type: (p) => `必须是${p.type === 'integer' ? '整数' : p.type === 'number' ? '数字' : ` ${p.type} 类型`}`,
    choice: () => '必须是给定的选项之一',
    minLength: (p) => `至少 ${p.limit} 个字符`,
    maxLength: (p) => `最多 ${p.limit} 个字符`,
    minimum: (p) => `不能小于 ${p.limit}`,
    maximum: (p) => `不能大于 ${p.limit}`,
    exclusiveMinimum: (p) => `必须大于 ${p.limit}`,
    exclusiveMaximum: (p) => `必须小于 ${p.limit}`,
    minItems: (p) => `至少 ${p.limit} 项`,
    maxItems: (p) => `最多 ${p.limit} 项`,
    uniqueItems: () => '不能有重复项',
    pattern: () => '格式不正确',
    multipleOf: (p) => `必须是 ${p.multipleOf} 的倍数`,
    format: (p) => `必须是${FORMAT_NAMES['zh-CN'][p.format] ?? `有效的 ${p.format}`}`,
  },
};

const FORMAT_NAMES: Record<FormLanguage, Record<string, string>> = {
  en: {
    date: 'a date (YYYY-MM-DD)',
    'date-time': 'a date and time',
    email: 'an email address',
    uri: 'a URL',
    phone: 'a telephone number',
    'attachment-id': 'an uploaded file',
    'user-ref': 'a user',
    'group-ref': 'a group',
    'ci-ref': 'a configuration item',
  },
  'zh-CN': {
    date: '日期 (YYYY-MM-DD)',
    'date-time': '日期时间',
    email: '电子邮件地址',
    uri: 'URL',
    phone: '电话号码',
    'attachment-id': '已上传的文件',
    'user-ref': '用户',
    'group-ref': '用户组',
    'ci-ref': '配置项',
  },
};

/** Picks a language's text, falling back to the other languages, then to `fallback`. */
export function pick(text: Localized | undefined, lang: FormLanguage, fallback?: string): string | undefined {
  if (!text) return fallback;
  return text[lang] || FORM_LANGUAGES.map((l) => text[l]).find(Boolean) || fallback;
}

/** The JSON pointer of the field an error is about (missing and unknown fields name themselves). */
export function pointerOf(e: Pick<ErrorObject, 'instancePath' | 'keyword' | 'params'>): string {
  const p = e.params as Record<string, unknown>;
  const name = p.missingProperty ?? p.additionalProperty ?? p.unevaluatedProperty;
  if (typeof name === 'string' && ['required', 'additionalProperties', 'unevaluatedProperties'].includes(e.keyword)) {
    return `${e.instancePath}/${escapePointer(name)}`;
  }
  return e.instancePath;
}

/** The message for one failing keyword: the field's own message when it has one, else ours. */
export function messageOf(keyword: string, params: Record<string, any>, parentSchema: JsonSchema | undefined, lang: FormLanguage): string {
  const own = pick((parentSchema?.['x-sl-messages'] as Record<string, Localized> | undefined)?.[keyword], lang);
  if (own) return own;
  const table = MESSAGES[lang];
  const key =
    keyword === 'additionalProperties' || keyword === 'unevaluatedProperties'
      ? 'unknown'
      : keyword === 'const' || keyword === 'enum' || keyword === 'oneOf' || keyword === 'anyOf'
        ? 'choice'
        : keyword;
  return table[key]?.(params) ?? MESSAGES.en[key]?.(params) ?? keyword;
}

// Keywords whose failure only repeats what their subschemas said.
const SUMMARY_KEYWORDS = new Set(['if', 'allOf', 'then', 'else', 'not', 'dependentSchemas', 'contains']);

/** Ajv errors as one message per field, with the fields' own messages and in the given language. */
export function formErrors(errors: readonly ErrorObject[], lang: FormLanguage = 'en'): FieldError[] {
  const byPointer = new Map<string, string>();
  for (const e of errors) {
    if (SUMMARY_KEYWORDS.has(e.keyword)) continue;
    const pointer = pointerOf(e);
    let keyword = e.keyword;
    // A failed choice (oneOf of consts, enum) reports on the value itself, once.
    if (keyword === 'const' && /\/(oneOf|anyOf)\/\d+\/const$/.test(e.schemaPath)) keyword = 'oneOf';
    if (byPointer.has(pointer)) continue;
    const parent = keyword === 'oneOf' && e.keyword === 'const' ? undefined : (e.parentSchema as JsonSchema | undefined);
    byPointer.set(pointer, messageOf(keyword, e.params as Record<string, any>, parent, lang));
  }
  return [...byPointer].map(([pointer, message]) => ({ pointer, message }));
}

/** The schema holding the keyword a schema path (`#/properties/a/pattern`) names: for messages in the browser. */
export function parentSchemaAt(root: JsonSchema, schemaPath: string): JsonSchema | undefined {
  const parts = schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean).slice(0, -1);
  let at: unknown = root;
  for (const raw of parts) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at !== null && typeof at === 'object' ? (at as JsonSchema) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Walking form data along its schema

const isPlainObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The top-level data fields of a form schema, those of conditional branches included. */
export function dataFields(schema: JsonSchema): string[] {
  const names = new Set<string>(Object.keys(isPlainObject(schema.properties) ? schema.properties : {}));
  for (const entry of Array.isArray(schema.allOf) ? schema.allOf : []) {
    for (const branch of ['then', 'else'] as const) {
      const props =
        isPlainObject(entry) && isPlainObject(entry[branch]) && isPlainObject(entry[branch].properties) ? entry[branch].properties : {};
      for (const name of Object.keys(props)) names.add(name);
    }
  }
  return [...names];
}

/** Every string in `data` whose schema has the given format (such as `attachment-id`), with its pointer. */
export function referencesOfFormat(schema: JsonSchema, data: unknown, format: string): Array<{ pointer: string; value: string }> {
  const found = new Map<string, string>();
  const visit = (s: unknown, d: unknown, pointer: string, depth: number) => {
    if (!isPlainObject(s) || depth > MAX_DEPTH) return;
    if (s.format === format && typeof d === 'string') found.set(pointer, d);
    if (isPlainObject(d) && isPlainObject(s.properties)) {
      for (const [name, sub] of Object.entries(s.properties)) {
        if (Object.hasOwn(d, name)) visit(sub, d[name], `${pointer}/${escapePointer(name)}`, depth + 1);
      }
    }
    if (Array.isArray(d) && isPlainObject(s.items)) {
      for (const [i, x] of d.entries()) visit(s.items, x, `${pointer}/${i}`, depth + 1);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      for (const entry of Array.isArray(s[key]) ? s[key] : []) visit(entry, d, pointer, depth + 1);
    }
    for (const key of ['then', 'else'] as const) visit(s[key], d, pointer, depth + 1);
  };
  visit(schema, data, '', 0);
  return [...found].map(([pointer, value]) => ({ pointer, value }));
}
