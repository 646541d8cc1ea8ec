// What rjsf does not have for ServiceLoom's field types: pickers for users, groups and
// configuration items, attachments by reference (upload, then the id), read-only Markdown text, and
// the layout of sections in columns.
import type { FieldProps, ObjectFieldTemplateProps, WidgetProps } from '@rjsf/utils';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UI_SECTIONS } from '../schema.ts';
import { type FormLanguage, type Localized, pick } from '../validation.ts';

export interface PickerOption {
  value: string;
  label: string;
}

/** What the host gives rendered forms: language, where pickers find their options, how files go up and down. */
export interface RenderContext {
  lang: FormLanguage;
  pickers?: Partial<Record<'user' | 'group' | 'ci', () => Promise<PickerOption[]>>>;
  upload?: (file: File) => Promise<{ id: string; filename: string }>;
  download?: (id: string) => void;
  /** The file name of an attachment id, when known. */
  describeAttachment?: (id: string) => Promise<string>;
}

const contextOf = (props: { registry: { formContext?: unknown } }) => (props.registry.formContext ?? { lang: 'en' }) as RenderContext;

type PickerKind = 'user' | 'group' | 'ci';

/** A text input suggesting the host's options (users, groups, configuration items) as a datalist. */
function PickerInput({ kind, ...props }: WidgetProps & { kind: PickerKind }) {
  const { id, value, required, disabled, readonly, placeholder, onChange, onBlur, onFocus } = props;
  const load = contextOf(props).pickers?.[kind];
  const [options, setOptions] = useState<PickerOption[]>([]);
  const listId = useId();
  useEffect(() => {
    let live = true;
    load?.().then(
      (o) => live && setOptions(o),
      () => live && setOptions([]),
    );
    return () => {
      live = false;
    };
  }, [load]);
  return (
    <>
      <input
        id={id}
        name={id}
        className="form-control"
        data-picker={kind}
        list={listId}
        value={value ?? ''}
        required={required}
        disabled={disabled || readonly}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        onBlur={(e) => onBlur(id, e.target.value)}
        onFocus={(e) => onFocus(id, e.target.value)}
      />
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </datalist>
    </>
  );
}

const UserPicker = (props: WidgetProps) => <PickerInput kind="user" {...props} />;
const GroupPicker = (props: WidgetProps) => <PickerInput kind="group" {...props} />;
const CiPicker = (props: WidgetProps) => <PickerInput kind="ci" {...props} />;

function AttachmentWidget(props: WidgetProps) {
  const { id, value, disabled, readonly, onChange } = props;
  const { t } = useTranslation('formBuilder');
  const context = contextOf(props);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [name, setName] = useState<string>();
  useEffect(() => {
    if (!value || !context.describeAttachment) return setName(undefined);
    let live = true;
    context.describeAttachment(value).then(
      (n) => live && setName(n),
      () => live && setName(undefined),
    );
    return () => {
      live = false;
    };
  }, [value, context.describeAttachment]);
  return (
    <div className="sl-attachment" data-testid={`attachment-${id}`}>
      {value && (
        <span className="sl-attachment-current">
          {context.download ? (
            <button type="button" className="sl-link" onClick={() => context.download?.(value)}>
              {name ?? value}
            </button>
          ) : (
            <code>{name ?? value}</code>
          )}{' '}
          {!disabled && !readonly && (
            <button type="button" className="sl-link" onClick={() => onChange(undefined)}>
              ×
            </button>
          )}
        </span>
      )}
      {!disabled && !readonly && context.upload && (
        <label className="sl-upload">
          <span>{busy ? t('render.uploading') : t('render.upload')}</span>
          <input
            id={id}
            type="file"
            disabled={busy}
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (!file || !context.upload) return;
              setBusy(true);
              setError(undefined);
              try {
                const uploaded = await context.upload(file);
                setName(uploaded.filename);
                onChange(uploaded.id);
              } catch (err) {
                setError(t('render.uploadFailed', { message: (err as Error).message }));
              } finally {
                setBusy(false);
              }
            }}
          />
        </label>
      )}
      {error && <div className="sl-error">{error}</div>}
    </div>
  );
}

/**
 * Read-only text: the field's (Markdown) description is all it shows; it holds no data. rjsf shows
 * no label or description for a custom field (`ui:field`), so the field renders its text itself.
 */
export function MarkdownField(props: FieldProps) {
  const { schema, uiSchema, registry, fieldPathId } = props;
  const text = (uiSchema?.['ui:description'] as string | undefined) ?? schema.description;
  if (!text) return null;
  const { DescriptionFieldTemplate } = registry.templates;
  return (
    <div className="sl-markdown" data-testid="form-markdown">
      <DescriptionFieldTemplate
        id={`${fieldPathId.$id}__description`}
        description={text}
        schema={schema}
        uiSchema={uiSchema}
        registry={registry}
      />
    </div>
  );
}

export const widgets = {
  slUser: UserPicker,
  slGroup: GroupPicker,
  slCi: CiPicker,
  slAttachment: AttachmentWidget,
};

interface SectionLayout {
  id: string;
  title?: Localized;
  columns?: number;
  fields?: string[];
}

/** The form's top level in its sections and columns (`ui:sl:sections`); nested objects (table rows) in a row. */
export function SectionsTemplate(props: ObjectFieldTemplateProps) {
  const { properties, uiSchema, title, description, registry } = props;
  const { TitleFieldTemplate, DescriptionFieldTemplate } = registry.templates;
  const context = contextOf(props);
  const sections = (uiSchema?.[UI_SECTIONS] as SectionLayout[] | undefined) ?? undefined;
  const cell = (p: (typeof properties)[number]) =>
    p.hidden ? (
      <div key={p.name} hidden>
        {p.content}
      </div>
    ) : (
      <div key={p.name} className="sl-cell" data-field={p.name}>
        {p.content}
      </div>
    );
  const heading = (
    <>
      {title && (
        <TitleFieldTemplate
          id={`${props.fieldPathId.$id}__title`}
          title={title}
          required={props.required}
          schema={props.schema}
          uiSchema={uiSchema}
          registry={registry}
        />
      )}
      {description && (
        <DescriptionFieldTemplate
          id={`${props.fieldPathId.$id}__description`}
          description={description}
          schema={props.schema}
          uiSchema={uiSchema}
          registry={registry}
        />
      )}
    </>
  );
  if (!Array.isArray(sections)) {
    return (
      <div className="sl-row">
        {heading}
        {properties.map(cell)}
      </div>
    );
  }
  const byName = new Map(properties.map((p) => [p.name, p]));
  const placed = new Set<string>();
  const rendered = sections.map((s, i) => {
    const items = (s.fields ?? []).map((n) => byName.get(n)).filter((p): p is (typeof properties)[number] => !!p);
    for (const p of items) placed.add(p.name);
    const sectionTitle = pick(s.title, context.lang);
    return (
      <fieldset key={s.id ?? i} className="sl-section" data-section={s.id}>
        {sectionTitle && <legend>{sectionTitle}</legend>}
        <div className={`sl-columns sl-columns-${s.columns === 2 || s.columns === 3 ? s.columns : 1}`}>{items.map(cell)}</div>
      </fieldset>
    );
  });
  const rest = properties.filter((p) => !placed.has(p.name));
  return (
    <div className="sl-sections">
      {heading}
      {rendered}
      {rest.length > 0 && <div className="sl-columns sl-columns-1">{rest.map(cell)}</div>}
    </div>
  );
}
