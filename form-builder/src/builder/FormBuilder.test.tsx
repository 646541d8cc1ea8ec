// @vitest-environment happy-dom
// The builder and the renderer as components: adding fields from the palette, editing them in the
// properties pane, undo/redo, the JSON text, and rendered forms validating with the shared
// configuration (messages, conditions, server errors). Dragging itself is covered in Chromium (web/e2e).
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import i18next from 'i18next';
import type { ReactNode } from 'react';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formBuilderResources } from '../i18n/index.ts';
import { type Field, newField } from '../model.ts';
import { FormRenderer } from '../render/FormRenderer.tsx';
import { type FormDocument, toSchema } from '../schema.ts';
import { FormBuilder } from './FormBuilder.tsx';

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

const empty = (): FormDocument => toSchema({ sections: [{ id: 'main', columns: 1, fields: [] }] });
const form = (...fields: Field[]) => toSchema({ sections: [{ id: 'main', columns: 1, fields }] });

describe('the builder', () => {
  it('adds palette fields, edits them in the properties pane, and undoes and redoes', async () => {
    const changes: FormDocument[] = [];
    wrap(<FormBuilder initial={empty()} onChange={(d) => changes.push(d)} />);
    const palette = screen.getByTestId('form-builder-palette');
    expect(palette.querySelectorAll('[data-type]')).toHaveLength(20);

    fireEvent.doubleClick(screen.getByTestId('palette-shortText'));
    fireEvent.doubleClick(screen.getByTestId('palette-email'));
    const canvas = screen.getByTestId('form-builder-canvas');
    expect(within(canvas).getByTestId('canvas-field-shortText')).toBeTruthy();
    expect(within(canvas).getByTestId('canvas-field-email')).toBeTruthy();

    fireEvent.click(screen.getByTestId('canvas-field-shortText'));
    fireEvent.change(screen.getByTestId('prop-label-en'), { target: { value: 'Subject' } });
    fireEvent.change(screen.getByTestId('prop-label-zh-CN'), { target: { value: '主题' } });
    fireEvent.click(screen.getByTestId('prop-required'));
    const last = changes[changes.length - 1] as FormDocument;
    expect(last.schema.required).toEqual(['shortText']);
    expect(last.schema.properties.shortText).toMatchObject({ title: 'Subject', 'x-sl-title': { en: 'Subject', 'zh-CN': '主题' } });
    // The live preview follows.
    expect(within(screen.getByTestId('form-builder-preview')).getByText(/Subject/)).toBeTruthy();

    fireEvent.click(screen.getByTestId('form-builder-undo'));
    expect((changes[changes.length - 1] as FormDocument).schema.required).toBeUndefined();
    fireEvent.click(screen.getByTestId('form-builder-redo'));
    expect((changes[changes.length - 1] as FormDocument).schema.required).toEqual(['shortText']);
  });

  it('makes a field conditional on another', () => {
    const changes: FormDocument[] = [];
    wrap(<FormBuilder initial={form(newField('select', 'category'), newField('shortText', 'asset'))} onChange={(d) => changes.push(d)} />);
    fireEvent.click(screen.getByTestId('canvas-field-asset'));
    fireEvent.change(screen.getByTestId('prop-visible-field'), { target: { value: 'category' } });
    fireEvent.change(screen.getByTestId('prop-visible-equals'), { target: { value: 'b' } });
    const doc = changes[changes.length - 1] as FormDocument;
    expect(doc.schema.allOf).toEqual([
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then
      { if: { properties: { category: { const: 'b' } }, required: ['category'] }, then: { properties: { asset: expect.any(Object) } } },
    ]);
  });

  it('shows the schema as text and takes it back, refusing what is not a form schema', () => {
    wrap(<FormBuilder initial={empty()} />);
    const text = screen.getByTestId('form-builder-schema') as HTMLTextAreaElement;
    expect(JSON.parse(text.value)).toMatchObject({ type: 'object', properties: {} });
    fireEvent.change(text, { target: { value: '{ "type": "object", "properties": { "n": { "type": "nope" } } }' } });
    fireEvent.click(screen.getByTestId('form-builder-json-apply'));
    expect(screen.getByTestId('form-builder-json-error').textContent).toMatch(/Not a valid form schema/);
    fireEvent.change(text, { target: { value: '{ "type": "object", "properties": { "n": { "type": "integer", "title": "N" } } }' } });
    fireEvent.click(screen.getByTestId('form-builder-json-apply'));
    expect(screen.getByTestId('canvas-field-n')).toBeTruthy();
    expect(screen.queryByTestId('form-builder-json-error')).toBeNull();
  });
});

describe('the renderer', () => {
  const triage = form(
    { ...newField('select', 'category'), required: true },
    { ...newField('shortText', 'asset'), required: true, visibleWhen: { field: 'category', equals: 'b' } },
    {
      ...newField('shortText', 'code'),
      pattern: '^INC[0-9]+$',
      patternMessage: { en: 'an incident number', 'zh-CN': '事件编号' },
    },
  );

  it('validates with the shared messages and only submits valid data', async () => {
    const onSubmit = vi.fn();
    const { container } = wrap(<FormRenderer schema={triage.schema} uiSchema={triage.uiSchema} onSubmit={onSubmit} submitTestId="go" />);
    await act(async () => fireEvent.click(screen.getByTestId('go')));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(container.textContent).toContain('is required');

    await act(async () => fireEvent.change(container.querySelector('#root_code') as HTMLInputElement, { target: { value: 'nope' } }));
    await act(async () => fireEvent.click(screen.getByTestId('go')));
    expect(container.textContent).toContain('an incident number');

    // The conditional field appears when its condition holds.
    expect(container.querySelector('#root_asset')).toBeNull();
    await act(async () => fireEvent.change(container.querySelector('#root_category') as HTMLSelectElement, { target: { value: '1' } }));
    expect(container.querySelector('#root_asset')).not.toBeNull();
    await act(async () => fireEvent.change(container.querySelector('#root_asset') as HTMLInputElement, { target: { value: 'PC-1' } }));
    await act(async () => fireEvent.change(container.querySelector('#root_code') as HTMLInputElement, { target: { value: 'INC7' } }));
    await act(async () => fireEvent.click(screen.getByTestId('go')));
    expect(onSubmit).toHaveBeenCalledWith({ category: 'b', asset: 'PC-1', code: 'INC7' });
  });

  it('speaks Chinese and shows the server’s field errors', async () => {
    const { container } = wrap(
      <FormRenderer
        schema={triage.schema}
        uiSchema={triage.uiSchema}
        lang="zh-CN"
        formData={{ category: 'a', code: 'x' }}
        serverErrors={[{ pointer: '/category', message: 'server says no' }]}
      />,
    );
    expect(container.textContent).toContain('下拉选择');
    expect(container.textContent).toContain('server says no');
    await act(async () => fireEvent.click(container.querySelector('button[type=submit]') as HTMLButtonElement));
    expect(container.textContent).toContain('事件编号');
  });
});
