// Input and output mappings (sl:inputOutput): rows of FEEL source and target variable.
import { compileFeel } from '@serviceloom/engine';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Mapping } from './model.ts';

interface Props {
  value: { inputs: Mapping[]; outputs: Mapping[] };
  variables: readonly string[];
  readOnly?: boolean;
  onCommit: (inputs: Mapping[], outputs: Mapping[]) => void;
}

export function MappingsEditor({ value, readOnly, onCommit }: Props) {
  const { t } = useTranslation('designer');
  const [draft, setDraft] = useState(value);
  const serialized = JSON.stringify(value);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the draft when the model changes (undo, another element)
  useEffect(() => setDraft(value), [serialized]);
  const commit = (next = draft) => {
    if (JSON.stringify(next) !== serialized) onCommit(next.inputs, next.outputs);
  };
  const update = (kind: 'inputs' | 'outputs', i: number, patch: Partial<Mapping>) =>
    setDraft({ ...draft, [kind]: draft[kind].map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  const check = (source: string) => {
    if (!source.trim()) return undefined;
    try {
      compileFeel(source);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  };
  return (
    <div className="sl-mappings" data-field="mappings">
      {(['inputs', 'outputs'] as const).map((kind) => (
        <div key={kind} className="sl-mapping-group">
          <div className="sl-mapping-title">{t(`mapping.${kind}`)}</div>
          {draft[kind].map((m, i) => {
            const error = check(m.source);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position
              <div className="sl-mapping-row" key={i} data-testid={`mapping-${kind}-${i}`}>
                <input
                  value={m.source}
                  placeholder={t('mapping.source')}
                  aria-label={t('mapping.source')}
                  aria-invalid={error ? true : undefined}
                  title={error}
                  disabled={readOnly}
                  data-testid={`mapping-${kind}-${i}-source`}
                  onChange={(e) => update(kind, i, { source: e.target.value })}
                  onBlur={() => commit()}
                />
                <span>→</span>
                <input
                  value={m.target}
                  placeholder={t('mapping.target')}
                  aria-label={t('mapping.target')}
                  disabled={readOnly}
                  data-testid={`mapping-${kind}-${i}-target`}
                  onChange={(e) => update(kind, i, { target: e.target.value })}
                  onBlur={() => commit()}
                />
                {!readOnly && (
                  <button
                    type="button"
                    title={t('mapping.remove')}
                    aria-label={t('mapping.remove')}
                    onClick={() => {
                      const next = { ...draft, [kind]: draft[kind].filter((_, j) => j !== i) };
                      setDraft(next);
                      commit(next);
                    }}
                  >
                    ×
                  </button>
                )}
                {error && <div className="sl-field-error">{error}</div>}
              </div>
            );
          })}
          {!readOnly && (
            <button
              type="button"
              className="sl-link"
              data-testid={`mapping-add-${kind}`}
              onClick={() => setDraft({ ...draft, [kind]: [...draft[kind], { source: '', target: '' }] })}
            >
              + {t(`mapping.add.${kind}`)}
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
