// Component-test harness: a real bpmn-js Modeler (in happy-dom, with SVG polyfills) and the
// properties panel re-rendered on every command, as the Designer does.
import { act, render } from '@testing-library/react';
import i18next from 'i18next';
import { useEffect, useState } from 'react';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { designerResources } from '../i18n/index.ts';
import { layoutIfNeeded } from '../io/layout.ts';
import { type AnyModeler, createModeler } from '../modeler/create-modeler.ts';
import { PropertyEditor } from '../properties/edit.ts';
import { variablesInModel } from '../properties/model.ts';
import { type FormOption, type GroupOption, type ProcessOption, PropertiesPanel } from '../properties/PropertiesPanel.tsx';
import { installSvgPolyfills } from './dom-polyfills.ts';

installSvgPolyfills();

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { en: { ...designerResources.en } },
  lng: 'en',
  ns: ['designer'],
  defaultNS: 'designer',
  interpolation: { escapeValue: false },
});

function Panel({ modeler, editor, elementId, groups, processes, forms }: Props & { editor: PropertyEditor }) {
  const [, setRevision] = useState(0);
  useEffect(() => {
    const bus = modeler.get('eventBus');
    const changed = () => setRevision((n) => n + 1);
    bus.on('commandStack.changed', changed);
    return () => bus.off('commandStack.changed', changed);
  }, [modeler]);
  const element = elementId ? modeler.get('elementRegistry').get(elementId) : modeler.get('canvas').getRootElement();
  return (
    <PropertiesPanel
      key={element.id}
      editor={editor}
      element={element}
      groups={groups}
      processes={processes}
      forms={forms}
      variables={variablesInModel(modeler.getDefinitions())}
    />
  );
}

interface Props {
  modeler: AnyModeler;
  elementId?: string;
  groups?: GroupOption[];
  processes?: ProcessOption[];
  forms?: FormOption[];
}

export async function openModel(xml: string): Promise<AnyModeler> {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const modeler = createModeler({ container });
  await modeler.importXML((await layoutIfNeeded(xml)).xml);
  return modeler;
}

export function showPanel(props: Props) {
  const editor = new PropertyEditor(props.modeler);
  return render(
    <I18nextProvider i18n={i18n}>
      <Panel {...props} editor={editor} />
    </I18nextProvider>,
  );
}

export async function xmlOf(modeler: AnyModeler): Promise<string> {
  return (await modeler.saveXML({ format: false })).xml;
}

export function undo(modeler: AnyModeler): void {
  act(() => modeler.get('commandStack').undo());
}
