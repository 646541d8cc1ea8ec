// Replace menu: drop the entries (and header toggles) for elements the engine refuses.
import { isSupportedEntry } from './supported.ts';

type Entries = Record<string, unknown>;

export class SlReplaceMenuFilter {
  static $inject = ['popupMenu'];

  constructor(popupMenu: { registerProvider(id: string, priority: number, provider: unknown): void }) {
    popupMenu.registerProvider('bpmn-replace', 500, this);
  }

  getPopupMenuEntries(): (entries: Entries) => Entries {
    return filter;
  }

  getPopupMenuHeaderEntries(): (entries: Entries) => Entries {
    return filter;
  }
}

function filter(entries: Entries): Entries {
  return Object.fromEntries(Object.entries(entries).filter(([id]) => isSupportedEntry(id)));
}

export default { __init__: ['slReplaceMenuFilter'], slReplaceMenuFilter: ['type', SlReplaceMenuFilter] };
