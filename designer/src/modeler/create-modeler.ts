// The ServiceLoom Modeler: bpmn-js with the engine's `sl` moddle descriptor and ServiceLoom's
// modules (palette, replace-menu filter, markers, batch edits, translation). Nothing is forked:
// each capability is a small module added to bpmn-js's own list.
import { moddleExtensions } from '@serviceloom/engine';
import Modeler from 'bpmn-js/lib/Modeler.js';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer.js';
import batchModule from './batch.ts';
import markersModule from './markers.ts';
import paletteModule from './palette.ts';
import replaceFilterModule from './replace-filter.ts';
import { translateModule } from './translate.ts';

export interface ModelerOptions {
  container: HTMLElement;
  /** The current UI language, read whenever bpmn-js translates a string. */
  language?: () => string;
}
export type AnyModeler = any;
type DiagramClass = new (options: object) => AnyModeler;

// bpmn-js ships ES modules in a package without "type": "module": TypeScript (NodeNext) takes the
// default import for the CommonJS namespace, bundlers for the class. Accept both.
const interop = (m: unknown): DiagramClass => ((m as { default?: unknown }).default ?? m) as DiagramClass;
const ModelerClass = interop(Modeler);
const ViewerClass = interop(NavigatedViewer);

export function createModeler({ container, language = () => 'en' }: ModelerOptions): AnyModeler {
  return new ModelerClass({
    container,
    moddleExtensions: moddleExtensions as unknown as Record<string, object>,
    additionalModules: [paletteModule, replaceFilterModule, markersModule, batchModule, translateModule(language)],
  });
}

/** A read-only diagram (deployed versions, replays): zoom and scroll, markers, no editing. */
export function createViewer({ container, language = () => 'en' }: ModelerOptions): AnyModeler {
  return new ViewerClass({
    container,
    moddleExtensions: moddleExtensions as unknown as Record<string, object>,
    additionalModules: [markersModule, translateModule(language)],
  });
}
