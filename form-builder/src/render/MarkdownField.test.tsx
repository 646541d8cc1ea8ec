// @vitest-environment happy-dom
// A read-only text field shows its Markdown in the rendered form (rjsf hides a custom field's
// description, so the field renders it itself), in the form's language, and submits no data.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import i18next from 'i18next';
import type { ReactNode } from 'react';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formBuilderResources } from '../i18n/index.ts';
import { newField } from '../model.ts';
import { toSchema } from '../schema.ts';
import { FormRenderer } from './FormRenderer.tsx';

const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { en: { ...formBuilderResources.en }, 'zh-CN': { ...formBuilderResources['zh-CN'] } },
  lng: 'en',
  ns: ['formBuilder'],
  defaultNS: 'formBuilder',
  interpolation: { escapeValue: false },
});
const wrap = (ui: ReactNode) => render(<I18nextProvider i18n={i18n}>{ui}</I18nextProvider>);

afterEach(() => {
  cleanup();
  document.body.innerHTML = '';
});

const doc = toSchema({
  sections: [
    {
      id: 'main',
      columns: 1,
      fields: [
        { ...newField('markdown', 'intro'), markdown: { en: 'Read **this** first.', 'zh-CN': '请先**阅读**。' } },
        newField('shortText', 'summary'),
      ],
    },
  ],
});

describe('read-only text in a rendered form', () => {
  it('shows its Markdown as formatted text', () => {
    const { container } = wrap(<FormRenderer schema={doc.schema} uiSchema={doc.uiSchema} />);
    const text = screen.getByTestId('form-markdown');
    expect(text.textContent).toContain('Read this first.');
    expect(text.querySelector('strong')?.textContent).toBe('this');
    expect(container.querySelector('[data-field="intro"]')?.textContent).toContain('Read this first.');
  });

  it('shows the text in the form’s language', () => {
    wrap(<FormRenderer schema={doc.schema} uiSchema={doc.uiSchema} lang="zh-CN" />);
    expect(screen.getByTestId('form-markdown').textContent).toContain('请先阅读。');
  });

  it('submits no data for it', async () => {
    const onSubmit = vi.fn();
    const { container } = wrap(<FormRenderer schema={doc.schema} uiSchema={doc.uiSchema} onSubmit={onSubmit} submitTestId="go" />);
    await act(async () => fireEvent.change(container.querySelector('#root_summary') as HTMLInputElement, { target: { value: 'x' } }));
    await act(async () => fireEvent.click(screen.getByTestId('go')));
    expect(onSubmit).toHaveBeenCalledWith({ summary: 'x' });
  });
});
