// The problems list: what the engine's compile() says about the diagram, live. Clicking a problem
// selects its element and focuses the field at fault.
import { useTranslation } from 'react-i18next';
import type { DesignerProblem } from './lint.ts';

interface Props {
  problems: readonly DesignerProblem[];
  checking: boolean;
  nameOf: (elementId: string) => string | undefined;
  onSelect: (problem: DesignerProblem) => void;
}

export function ProblemsPanel({ problems, checking, nameOf, onSelect }: Props) {
  const { t } = useTranslation('designer');
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  return (
    <section className="sl-problems" aria-label={t('problems.title')}>
      <header>
        <strong>{t('problems.title')}</strong>{' '}
        <span data-testid="designer-problem-count">
          {t('problems.count', { errors, warnings })}
          {checking ? ` · ${t('problems.checking')}` : ''}
        </span>
      </header>
      <ul data-testid="designer-problems">
        {problems.length === 0 && <li className="sl-problem-none">{t('problems.none')}</li>}
        {problems.map((p, i) => {
          const name = p.elementId ? nameOf(p.elementId) : undefined;
          return (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity of their own
              key={i}
              className={`sl-problem sl-problem-${p.severity}`}
              data-problem-element={p.elementId}
              data-severity={p.severity}
              data-source={p.source ?? 'check'}
            >
              <button type="button" onClick={() => onSelect(p)}>
                <span className="sl-problem-icon" role="img" aria-label={t(`problems.${p.severity}`)} />
                <span className="sl-problem-where">
                  {p.elementId ? `${name ? `${name} ` : ''}(${p.elementId})` : t('problems.document')}
                </span>
                <span className="sl-problem-message">{p.message}</span>
                {p.source && <span className="sl-problem-source">{t(`problems.from.${p.source}`)}</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
