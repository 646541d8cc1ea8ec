// The builder's model of a form: sections of fields, each field one of the palette's types with
// its labels per language, constraints and conditions. `schema.ts` turns it into JSON Schema +
// uiSchema and back; the builder edits only this.
import type { Localized } from './validation.ts';

export const FIELD_TYPES = [
  'shortText',
  'longText',
  'number',
  'integer',
  'select',
  'multiSelect',
  'radio',
  'checkbox',
  'yesNo',
  'date',
  'dateTime',
  'email',
  'url',
  'phone',
  'user',
  'group',
  'ci',
  'attachment',
  'table',
  'markdown',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Types a repeating table's columns may have. */
export const COLUMN_TYPES: readonly FieldType[] = FIELD_TYPES.filter((t) => t !== 'table' && t !== 'markdown');

export interface FieldOption {
  value: string;
  label: Localized;
}

/** "When field `field` equals `equals`". */
export interface Condition {
  field: string;
  equals: string | number | boolean;
}

export interface Field {
  /** The property name in the form data (and the process variable it sets). */
  id: string;
  type: FieldType;
  label: Localized;
  help?: Localized;
  placeholder?: Localized;
  required?: boolean;
  default?: unknown;
  /** Numbers: the value; multi select and tables: the number of entries. */
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  patternMessage?: Localized;
  readOnly?: boolean;
  hidden?: boolean;
  /** select, multiSelect, radio. */
  options?: FieldOption[];
  /** table: the columns of each row. */
  columns?: Field[];
  /** markdown: the text shown. */
  markdown?: Localized;
  /** Shown (and part of the data) only when the condition holds. */
  visibleWhen?: Condition;
  /** Required only when the condition holds. */
  requiredWhen?: Condition;
}

export interface Section {
  id: string;
  title?: Localized;
  columns: 1 | 2 | 3;
  fields: Field[];
}

export interface FormModel {
  sections: Section[];
}

export const FIELD_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Types whose value is a string chosen from options. */
export const isChoice = (t: FieldType) => t === 'select' || t === 'radio' || t === 'multiSelect';
export const isTextual = (t: FieldType) => t === 'shortText' || t === 'longText';
export const isNumeric = (t: FieldType) => t === 'number' || t === 'integer';
export const hasData = (t: FieldType) => t !== 'markdown';

/** Every field of the form, sections flattened, in order. */
export const allFields = (model: FormModel): Field[] => model.sections.flatMap((s) => s.fields);

/** A fresh id for a new field of a type: `shortText`, `shortText_2`, ... */
export function newFieldId(model: FormModel, type: FieldType): string {
  const taken = new Set(allFields(model).map((f) => f.id));
  if (!taken.has(type)) return type;
  for (let n = 2; ; n++) if (!taken.has(`${type}_${n}`)) return `${type}_${n}`;
}

const DEFAULT_LABELS: Record<FieldType, Localized> = {
  shortText: { en: 'Short text', 'zh-CN': '单行文本' },
  longText: { en: 'Long text', 'zh-CN': '多行文本' },
  number: { en: 'Number', 'zh-CN': '数字' },
  integer: { en: 'Whole number', 'zh-CN': '整数' },
  select: { en: 'Choice', 'zh-CN': '下拉选择' },
  multiSelect: { en: 'Choices', 'zh-CN': '多选' },
  radio: { en: 'Option', 'zh-CN': '单选' },
  checkbox: { en: 'Checkbox', 'zh-CN': '复选框' },
  yesNo: { en: 'Yes or no', 'zh-CN': '是/否' },
  date: { en: 'Date', 'zh-CN': '日期' },
  dateTime: { en: 'Date and time', 'zh-CN': '日期时间' },
  email: { en: 'Email', 'zh-CN': '电子邮件' },
  url: { en: 'URL', 'zh-CN': '网址' },
  phone: { en: 'Phone', 'zh-CN': '电话' },
  user: { en: 'User', 'zh-CN': '用户' },
  group: { en: 'Group', 'zh-CN': '用户组' },
  ci: { en: 'Configuration item', 'zh-CN': '配置项' },
  attachment: { en: 'Attachment', 'zh-CN': '附件' },
  table: { en: 'Table', 'zh-CN': '表格' },
  markdown: { en: 'Text', 'zh-CN': '说明文字' },
};

/** A new field of a type, as the palette drops it. */
/**
 * A field's labels after an edit: a language still showing the type's placeholder label (which
 * nobody wrote) is dropped once another language's label is edited, so the form shows the edited
 * label in every language (pick falls back) instead of a stale placeholder such as 单行文本.
 */
export function relabel(type: FieldType, before: Localized, after: Localized): Localized {
  const placeholder = DEFAULT_LABELS[type];
  const edited = (Object.keys(after) as Array<keyof Localized>).some((l) => after[l] !== before[l]);
  if (!edited) return after;
  const next: Localized = { ...after };
  for (const lang of Object.keys(next) as Array<keyof Localized>) {
    const untouched = next[lang] === before[lang] && next[lang] === placeholder[lang];
    if (untouched && Object.keys(next).some((l) => l !== lang && next[l as keyof Localized] !== placeholder[l as keyof Localized])) {
      delete next[lang];
    }
  }
  return next;
}

export function newField(type: FieldType, id: string): Field {
  const field: Field = { id, type, label: { ...DEFAULT_LABELS[type] } };
  if (isChoice(type)) {
    field.options = [
      { value: 'a', label: { en: 'Option A', 'zh-CN': '选项 A' } },
      { value: 'b', label: { en: 'Option B', 'zh-CN': '选项 B' } },
    ];
  }
  if (type === 'table') {
    field.columns = [
      { id: 'item', type: 'shortText', label: { en: 'Item', 'zh-CN': '项目' } },
      { id: 'quantity', type: 'integer', label: { en: 'Quantity', 'zh-CN': '数量' } },
    ];
  }
  if (type === 'markdown') field.markdown = { en: 'Read this first.', 'zh-CN': '请先阅读。' };
  return field;
}

export const emptyModel = (): FormModel => ({ sections: [{ id: 'main', columns: 1, fields: [] }] });
