// The properties pane: everything about the selected field (labels and help in both languages,
// constraints, options, table columns, conditions) or section.
import { useTranslation } from 'react-i18next';
import {
  allFields,
  COLUMN_TYPES,
  type Condition,
  FIELD_ID_PATTERN,
  FIELD_TYPES,
  type Field,
  type FieldOption,
  type FieldType,
  isChoice,
  isNumeric,
  newField,
  type Section,
} from '../model.ts';
import type { ParsedForm } from '../schema.ts';
import { FORM_LANGUAGES, type Localized } from '../validation.ts';
import type { BuilderAction, Selection } from './state.ts';

type Dispatch = (a: BuilderAction) => void;

const STRING_TYPES: FieldType[] = ['shortText', 'longText', 'email', 'url', 'phone', 'user', 'group', 'ci'];
const numberOrUndefined = (v: string) => (v.trim() === '' || Number.isNaN(Number(v)) ? undefined : Number(v));

function LocalizedInput(props: {
  testId: string;
  label: string;
  value: Localized | undefined;
  onChange: (v: Localized | undefined) => void;
  multiline?: boolean;
}) {
  return (
    <fieldset className="slfb-localized">
      <legend>{props.label}</legend>
      {FORM_LANGUAGES.map((lang) => {
        const common = {
          'data-testid': `${props.testId}-${lang}`,
          value: props.value?.[lang] ?? '',
          onChange: (e: { target: { value: string } }) => {
            const next: Localized = { ...props.value, [lang]: e.target.value };
            if (!e.target.value) delete next[lang];
            props.onChange(Object.keys(next).length ? next : undefined);
          },
        };
        return (
          // biome-ignore lint/a11y/noLabelWithoutControl: the control is the input or textarea below
          <label key={lang} className="slfb-lang">
            <span>{lang}</span>
            {props.multiline ? <textarea rows={3} {...common} /> : <input {...common} />}
          </label>
        );
      })}
    </fieldset>
  );
}

function Check(props: { testId: string; label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="slfb-check">
      <input type="checkbox" data-testid={props.testId} checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />{' '}
      {props.label}
    </label>
  );
}

function NumberInput(props: { testId: string; label: string; value: number | undefined; onChange: (v: number | undefined) => void }) {
  return (
    <label>
      <span>{props.label}</span>
      <input
        type="number"
        data-testid={props.testId}
        value={props.value ?? ''}
        onChange={(e) => props.onChange(numberOrUndefined(e.target.value))}
      />
    </label>
  );
}

/** The value a condition compares with, typed after the field it tests. */
function conditionValue(field: Field | undefined, raw: string): Condition['equals'] {
  if (!field) return raw;
  if (field.type === 'checkbox' || field.type === 'yesNo') return raw === 'true';
  if (isNumeric(field.type)) return numberOrUndefined(raw) ?? 0;
  return raw;
}

/** Fields a condition can test: single values (choices, numbers, booleans, text). */
const testable = (f: Field) => ['select', 'radio', 'checkbox', 'yesNo', 'number', 'integer', 'shortText'].includes(f.type);

function ConditionEditor(props: {
  testId: string;
  label: string;
  field: Field;
  model: ParsedForm;
  value: Condition | undefined;
  onChange: (c: Condition | undefined) => void;
}) {
  const { t } = useTranslation('formBuilder');
  const candidates = allFields(props.model).filter((f) => f.id !== props.field.id && testable(f));
  const tested = candidates.find((f) => f.id === props.value?.field);
  const setField = (id: string) => {
    const f = candidates.find((x) => x.id === id);
    if (!f) return props.onChange(undefined);
    const first = f.type === 'checkbox' || f.type === 'yesNo' ? true : isNumeric(f.type) ? 1 : (f.options?.[0]?.value ?? '');
    props.onChange({ field: f.id, equals: first });
  };
  return (
    <fieldset className="slfb-condition">
      <legend>{props.label}</legend>
      <select data-testid={`${props.testId}-field`} value={props.value?.field ?? ''} onChange={(e) => setField(e.target.value)}>
        <option value="">{t('props.always')}</option>
        {candidates.map((f) => (
          <option key={f.id} value={f.id}>
            {f.id}
          </option>
        ))}
      </select>
      {props.value && tested && (
        <>
          <span> {t('props.equals')} </span>
          {isChoice(tested.type) || tested.type === 'checkbox' || tested.type === 'yesNo' ? (
            <select
              data-testid={`${props.testId}-equals`}
              value={String(props.value.equals)}
              onChange={(e) => props.onChange({ field: tested.id, equals: conditionValue(tested, e.target.value) })}
            >
              {(isChoice(tested.type)
                ? (tested.options ?? []).map((o) => ({ value: o.value, label: o.label.en ?? o.value }))
                : [
                    { value: 'true', label: t('props.yes') },
                    { value: 'false', label: t('props.no') },
                  ]
              ).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              data-testid={`${props.testId}-equals`}
              type={isNumeric(tested.type) ? 'number' : 'text'}
              value={String(props.value.equals)}
              onChange={(e) => props.onChange({ field: tested.id, equals: conditionValue(tested, e.target.value) })}
            />
          )}
        </>
      )}
    </fieldset>
  );
}

function OptionsEditor(props: { options: FieldOption[]; onChange: (o: FieldOption[]) => void }) {
  const { t } = useTranslation('formBuilder');
  const set = (i: number, patch: Partial<FieldOption>) => props.onChange(props.options.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  return (
    <fieldset className="slfb-options">
      <legend>{t('props.options')}</legend>
      {props.options.map((o, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: options are edited in place, values may repeat while typing
        <div key={i} className="slfb-option" data-testid={`prop-option-${i}`}>
          <input
            aria-label={t('props.optionValue')}
            data-testid={`prop-option-${i}-value`}
            value={o.value}
            onChange={(e) => set(i, { value: e.target.value })}
          />
          {FORM_LANGUAGES.map((lang) => (
            <input
              key={lang}
              aria-label={`${t('props.label')} ${lang}`}
              data-testid={`prop-option-${i}-label-${lang}`}
              placeholder={lang}
              value={o.label[lang] ?? ''}
              onChange={(e) => set(i, { label: { ...o.label, [lang]: e.target.value } })}
            />
          ))}
          <button
            type="button"
            onClick={() => props.onChange(props.options.filter((_, j) => j !== i))}
            disabled={props.options.length <= 1}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        data-testid="prop-option-add"
        onClick={() =>
          props.onChange([
            ...props.options,
            { value: `option${props.options.length + 1}`, label: { en: `Option ${props.options.length + 1}` } },
          ])
        }
      >
        {t('props.addOption')}
      </button>
    </fieldset>
  );
}

function ColumnsEditor(props: { columns: Field[]; onChange: (c: Field[]) => void }) {
  const { t } = useTranslation('formBuilder');
  const set = (i: number, next: Field) => props.onChange(props.columns.map((c, j) => (j === i ? next : c)));
  return (
    <fieldset className="slfb-columns">
      <legend>{t('props.columns')}</legend>
      {props.columns.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: columns are edited in place, names may repeat while typing
        <div key={i} className="slfb-option" data-testid={`prop-column-${i}`}>
          <input aria-label={t('props.id')} value={c.id} onChange={(e) => set(i, { ...c, id: e.target.value })} />
          <select
            value={c.type}
            onChange={(e) =>
              set(i, { ...newField(e.target.value as FieldType, c.id), label: c.label, ...(c.required ? { required: true } : {}) })
            }
          >
            {COLUMN_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`type.${type}`)}
              </option>
            ))}
          </select>
          {FORM_LANGUAGES.map((lang) => (
            <input
              key={lang}
              aria-label={`${t('props.label')} ${lang}`}
              placeholder={lang}
              value={c.label[lang] ?? ''}
              onChange={(e) => set(i, { ...c, label: { ...c.label, [lang]: e.target.value } })}
            />
          ))}
          <label className="slfb-check">
            <input
              type="checkbox"
              checked={!!c.required}
              onChange={(e) => {
                const { required: _r, ...rest } = c;
                set(i, e.target.checked ? { ...rest, required: true } : rest);
              }}
            />{' '}
            {t('props.required')}
          </label>
          <button
            type="button"
            onClick={() => props.onChange(props.columns.filter((_, j) => j !== i))}
            disabled={props.columns.length <= 1}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          props.onChange([
            ...props.columns,
            { id: `column${props.columns.length + 1}`, type: 'shortText', label: { en: `Column ${props.columns.length + 1}` } },
          ])
        }
      >
        {t('props.addColumn')}
      </button>
    </fieldset>
  );
}

/** The default value as text, and back (typed after the field). */
function DefaultInput({ field, onChange }: { field: Field; onChange: (v: unknown) => void }) {
  const { t } = useTranslation('formBuilder');
  if (field.type === 'checkbox' || field.type === 'yesNo') {
    return (
      <label>
        <span>{t('props.default')}</span>
        <select
          data-testid="prop-default"
          value={field.default === undefined ? '' : String(field.default)}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'true')}
        >
          <option value="" />
          <option value="true">{t('props.yes')}</option>
          <option value="false">{t('props.no')}</option>
        </select>
      </label>
    );
  }
  if (field.type === 'multiSelect' || field.type === 'table' || field.type === 'markdown' || field.type === 'attachment') return null;
  return (
    <label>
      <span>{t('props.default')}</span>
      <input
        data-testid="prop-default"
        type={isNumeric(field.type) ? 'number' : 'text'}
        value={field.default === undefined ? '' : String(field.default)}
        onChange={(e) =>
          onChange(e.target.value === '' ? undefined : isNumeric(field.type) ? numberOrUndefined(e.target.value) : e.target.value)
        }
      />
    </label>
  );
}

function FieldProperties({ field, model, dispatch }: { field: Field; model: ParsedForm; dispatch: Dispatch }) {
  const { t } = useTranslation('formBuilder');
  const update = (patch: Partial<Field>) => dispatch({ type: 'update', fieldId: field.id, patch });
  const idOk = FIELD_ID_PATTERN.test(field.id);
  return (
    <div className="slfb-props-body" data-testid="prop-field" data-field={field.id}>
      <label>
        <span>{t('props.id')}</span>
        <input
          data-testid="prop-id"
          defaultValue={field.id}
          key={field.id}
          onBlur={(e) => {
            const id = e.target.value.trim();
            if (FIELD_ID_PATTERN.test(id) && !allFields(model).some((f) => f.id === id))
              dispatch({ type: 'rename', fieldId: field.id, newId: id });
            else e.target.value = field.id;
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          }}
        />
        {!idOk && <small className="sl-error">{t('props.idHint')}</small>}
      </label>
      <label>
        <span>{t('props.type')}</span>
        <select data-testid="prop-type" value={field.type} onChange={(e) => update({ type: e.target.value as FieldType })}>
          {FIELD_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`type.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <LocalizedInput testId="prop-label" label={t('props.label')} value={field.label} onChange={(v) => update({ label: v ?? {} })} />
      {field.type === 'markdown' ? (
        <LocalizedInput
          testId="prop-markdown"
          label={t('props.markdown')}
          value={field.markdown}
          onChange={(v) => update({ markdown: v })}
          multiline
        />
      ) : (
        <>
          <LocalizedInput testId="prop-help" label={t('props.help')} value={field.help} onChange={(v) => update({ help: v })} />
          <LocalizedInput
            testId="prop-placeholder"
            label={t('props.placeholder')}
            value={field.placeholder}
            onChange={(v) => update({ placeholder: v })}
          />
          <div className="slfb-checks">
            <Check
              testId="prop-required"
              label={t('props.required')}
              checked={!!field.required}
              onChange={(v) => update({ required: v || undefined })}
            />
            <Check
              testId="prop-readonly"
              label={t('props.readOnly')}
              checked={!!field.readOnly}
              onChange={(v) => update({ readOnly: v || undefined })}
            />
            <Check
              testId="prop-hidden"
              label={t('props.hidden')}
              checked={!!field.hidden}
              onChange={(v) => update({ hidden: v || undefined })}
            />
          </div>
          <DefaultInput field={field} onChange={(v) => update({ default: v })} />
          {(isNumeric(field.type) || field.type === 'multiSelect' || field.type === 'table') && (
            <div className="slfb-pair">
              <NumberInput
                testId="prop-minimum"
                label={t(isNumeric(field.type) ? 'props.minimum' : 'props.minItems')}
                value={field.minimum}
                onChange={(v) => update({ minimum: v })}
              />
              <NumberInput
                testId="prop-maximum"
                label={t(isNumeric(field.type) ? 'props.maximum' : 'props.maxItems')}
                value={field.maximum}
                onChange={(v) => update({ maximum: v })}
              />
            </div>
          )}
          {STRING_TYPES.includes(field.type) && (
            <>
              <div className="slfb-pair">
                <NumberInput
                  testId="prop-minlength"
                  label={t('props.minLength')}
                  value={field.minLength}
                  onChange={(v) => update({ minLength: v })}
                />
                <NumberInput
                  testId="prop-maxlength"
                  label={t('props.maxLength')}
                  value={field.maxLength}
                  onChange={(v) => update({ maxLength: v })}
                />
              </div>
              <label>
                <span>{t('props.pattern')}</span>
                <input
                  data-testid="prop-pattern"
                  value={field.pattern ?? ''}
                  onChange={(e) => update({ pattern: e.target.value || undefined })}
                />
              </label>
              {field.pattern && (
                <LocalizedInput
                  testId="prop-pattern-message"
                  label={t('props.patternMessage')}
                  value={field.patternMessage}
                  onChange={(v) => update({ patternMessage: v })}
                />
              )}
            </>
          )}
          {isChoice(field.type) && <OptionsEditor options={field.options ?? []} onChange={(options) => update({ options })} />}
          {field.type === 'table' && <ColumnsEditor columns={field.columns ?? []} onChange={(columns) => update({ columns })} />}
        </>
      )}
      <ConditionEditor
        testId="prop-visible"
        label={t('props.visibleWhen')}
        field={field}
        model={model}
        value={field.visibleWhen}
        onChange={(c) => update({ visibleWhen: c })}
      />
      {field.type !== 'markdown' && (
        <ConditionEditor
          testId="prop-required-when"
          label={t('props.requiredWhen')}
          field={field}
          model={model}
          value={field.requiredWhen}
          onChange={(c) => update({ requiredWhen: c })}
        />
      )}
      <button
        type="button"
        className="slfb-danger"
        data-testid="prop-remove"
        onClick={() => dispatch({ type: 'remove', fieldId: field.id })}
      >
        {t('props.remove')}
      </button>
    </div>
  );
}

function SectionProperties({ section, dispatch, removable }: { section: Section; dispatch: Dispatch; removable: boolean }) {
  const { t } = useTranslation('formBuilder');
  return (
    <div className="slfb-props-body" data-testid="prop-section" data-section={section.id}>
      <LocalizedInput
        testId="prop-section-title"
        label={t('props.sectionTitle')}
        value={section.title}
        onChange={(v) => dispatch({ type: 'updateSection', sectionId: section.id, patch: { title: v } })}
      />
      <label>
        <span>{t('props.sectionColumns')}</span>
        <select
          data-testid="prop-section-columns"
          value={section.columns}
          onChange={(e) =>
            dispatch({ type: 'updateSection', sectionId: section.id, patch: { columns: Number(e.target.value) as 1 | 2 | 3 } })
          }
        >
          {[1, 2, 3].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      {removable && (
        <button type="button" className="slfb-danger" onClick={() => dispatch({ type: 'removeSection', sectionId: section.id })}>
          {t('canvas.removeSection')}
        </button>
      )}
    </div>
  );
}

export function PropertiesPanel({ model, selected, dispatch }: { model: ParsedForm; selected: Selection; dispatch: Dispatch }) {
  const { t } = useTranslation('formBuilder');
  const field = selected?.kind === 'field' ? allFields(model).find((f) => f.id === selected.id) : undefined;
  const section = selected?.kind === 'section' ? model.sections.find((s) => s.id === selected.id) : undefined;
  return (
    <aside className="slfb-props" data-testid="form-builder-properties">
      <h3>{t('props.title')}</h3>
      {field ? (
        <FieldProperties field={field} model={model} dispatch={dispatch} />
      ) : section ? (
        <SectionProperties section={section} dispatch={dispatch} removable={model.sections.length > 1} />
      ) : (
        <p className="slfb-muted">{t('props.nothing')}</p>
      )}
    </aside>
  );
}
