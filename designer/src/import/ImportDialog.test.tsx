// @vitest-environment happy-dom
// The import dialog shows the importer's report (what runs, what was mapped, ignored, refused) before
// a file is opened, and the report's findings join the problems list as the import's.
import { checkImport } from '@serviceloom/engine';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { i18n } from '../test/harness.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { importProblems, mergeProblems } from './report.ts';

afterEach(() => {
  cleanup();
  document.body.innerHTML = '';
});

const CAMUNDA = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="x">
  <process id="leave" isExecutable="true">
    <startEvent id="s"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <userTask id="t" camunda:assignee="demo">
      <extensionElements><camunda:taskListener event="create" class="org.acme.Notify"/></extensionElements>
    </userTask>
    <sequenceFlow id="f2" sourceRef="t" targetRef="j"/>
    <serviceTask id="j" camunda:class="org.acme.Book"/>
    <sequenceFlow id="f3" sourceRef="j" targetRef="e"/>
    <endEvent id="e"/>
  </process>
</definitions>`;

describe('the import dialog', () => {
  test('shows the refusals, the ignored listener and the mapped assignee, then opens on request', async () => {
    const report = await checkImport(CAMUNDA);
    const onOpen = vi.fn();
    const view = render(
      <I18nextProvider i18n={i18n}>
        <ImportDialog fileName="leave.bpmn" report={report} onOpen={onOpen} onCancel={() => {}} />
      </I18nextProvider>,
    );
    expect(view.getByTestId('import-runs').dataset.runs).toBe('false');
    expect(view.getByTestId('import-refused').textContent).toContain('Java delegate camunda:class="org.acme.Book"');
    expect(view.getByTestId('import-ignored').textContent).toContain('camunda:taskListener');
    expect(view.getByTestId('import-mapped').textContent).toContain('camunda:assignee="demo"');
    fireEvent.click(view.getByTestId('designer-import-open'));
    expect(onOpen).toHaveBeenCalled();
  });

  test('a file that cannot be read shows why, and cannot be opened', () => {
    const view = render(
      <I18nextProvider i18n={i18n}>
        <ImportDialog fileName="x.bpmn" error="unparsable content </a> detected" onOpen={() => {}} onCancel={() => {}} />
      </I18nextProvider>,
    );
    expect(view.getByTestId('import-error').textContent).toContain('unparsable content </a>');
    expect((view.getByTestId('designer-import-open') as HTMLButtonElement).disabled).toBe(true);
  });

  test("the report's refusals and warnings become problems of the import, after the live ones, without repeats", async () => {
    const notes = importProblems(await checkImport(CAMUNDA));
    expect(notes).toContainEqual(expect.objectContaining({ elementId: 'j', severity: 'error', source: 'import' }));
    expect(notes).toContainEqual(expect.objectContaining({ elementId: 't', severity: 'warning', source: 'import' }));
    const live = [{ ...(notes[1] as (typeof notes)[number]), source: undefined }];
    expect(mergeProblems(live, notes)).toHaveLength(notes.length);
  });
});
