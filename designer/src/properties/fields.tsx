// Panel fields. Text is edited locally and committed on blur or Enter (one undoable command per
// edit); selects and checkboxes commit at once. `data-field` lets the problems panel focus a field.
import { compileFeel } from '@serviceloom/engine';
import { type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface TextProps {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  field: string;
  multiline?: boolean;
  placeholder?: string;
  options?: readonly string[];
  hint?: ReactNode;
  error?: string;
  disabled?: boolean;
}

export function TextField({ label, value, onCommit, field, multiline, placeholder, options, hint, error, disabled }: TextProps) {
  const [draft, setDraft] = useState(value);
  const id = useId();
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft !== value) onCommit(draft);
  };
  const common = {
    id,
    value: draft,
    placeholder,
    disabled,
    'data-field': field,
    'data-testid': `prop-${field}`,
    onBlur: commit,
    'aria-invalid': error ? true : undefined,
  };
  return (
    <div className="sl-field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => setDraft(e.target.value)} />
      ) : (
        <input
          {...common}
          list={options ? `${id}-list` : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
      )}
      {options && (
        <datalist id={`${id}-list`}>
          {options.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
      )}
      {error && (
        <div className="sl-field-error" data-testid={`prop-${field}-error`}>
          {error}
        </div>
      )}
      {hint && <div className="sl-field-hint">{hint}</div>}
    </div>
  );
}

interface FeelProps extends Omit<TextProps, 'multiline' | 'options' | 'error' | 'hint'> {
  variables: readonly string[];
  /** Leave empty allowed (an optional expression). */
  optional?: boolean;
}

/** A FEEL expression with a live syntax check (the engine's compileFeel) and the variables in scope offered. */
export function FeelField({ label, value, onCommit, field, placeholder, variables, optional = true, disabled }: FeelProps) {
  const { t } = useTranslation('designer');
  const [draft, setDraft] = useState(value);
  const id = useId();
  useEffect(() => setDraft(value), [value]);
  const error = useMemo(() => {
    if (!draft.trim()) return optional ? undefined : t('feel.empty');
    try {
      compileFeel(draft);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }, [draft, optional, t]);
  const word = /[A-Za-z_][\w]*$/.exec(draft)?.[0] ?? '';
  const suggestions = variables.filter((v) => v !== word && v.toLowerCase().startsWith(word.toLowerCase())).slice(0, 8);
  const commit = (next = draft) => {
    if (next !== value) onCommit(next);
  };
  return (
    <div className="sl-field sl-feel">
      <label htmlFor={id}>
        {label} <span className="sl-feel-badge">FEEL</span>
      </label>
      <textarea
        id={id}
        rows={2}
        value={draft}
        placeholder={placeholder}
        disabled={disabled}
        data-field={field}
        data-testid={`prop-${field}`}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => commit()}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            commit();
          }
        }}
      />
      {error ? (
        <div className="sl-field-error" data-testid={`prop-${field}-error`}>
          {error}
        </div>
      ) : (
        draft.trim() && <div className="sl-field-ok">{t('feel.ok')}</div>
      )}
      {suggestions.length > 0 && !disabled && (
        <div className="sl-suggestions">
          <span>{t('feel.variables')}</span>
          {suggestions.map((v) => (
            <button
              type="button"
              key={v}
              className="sl-chip"
              data-testid="feel-suggestion"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                const next = draft.slice(0, draft.length - word.length) + v;
                setDraft(next);
                commit(next);
              }}
            >
              {v}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

interface SelectProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  field: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  disabled?: boolean;
}

export function SelectField({ label, value, onChange, field, options, disabled }: SelectProps) {
  const id = useId();
  return (
    <div className="sl-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        data-field={field}
        data-testid={`prop-${field}`}
        onChange={(e) => onChange(e.target.value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField({
  label,
  checked,
  onChange,
  field,
  disabled,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  field: string;
  disabled?: boolean;
}) {
  return (
    <div className="sl-field sl-check">
      <label>
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          data-field={field}
          data-testid={`prop-${field}`}
          onChange={(e) => onChange(e.target.checked)}
        />{' '}
        {label}
      </label>
    </div>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="sl-section">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}
