// Palette: the bpmn-js defaults the engine runs, plus the task and gateway kinds process owners
// use most, so they need not create a task and change its type.
import { isSupportedEntry, UNSUPPORTED_PALETTE } from './supported.ts';

type Entry = { group: string; className: string; title: string; action: Record<string, (event: Event) => void> };
type Entries = Record<string, Entry>;

interface Deps {
  create: { start(event: Event, shape: unknown): void };
  elementFactory: { createShape(attrs: Record<string, unknown>): unknown };
  translate: (text: string) => string;
}

const EXTRA: Array<[string, string, string, string]> = [
  ['create.user-task', 'bpmn:UserTask', 'activity', 'Create user task'],
  ['create.service-task', 'bpmn:ServiceTask', 'activity', 'Create service task'],
  ['create.script-task', 'bpmn:ScriptTask', 'activity', 'Create script task'],
  ['create.call-activity', 'bpmn:CallActivity', 'activity', 'Create call activity'],
  ['create.parallel-gateway', 'bpmn:ParallelGateway', 'gateway', 'Create parallel gateway'],
];

const ICONS: Record<string, string> = {
  'bpmn:UserTask': 'bpmn-icon-user-task',
  'bpmn:ServiceTask': 'bpmn-icon-service-task',
  'bpmn:ScriptTask': 'bpmn-icon-script-task',
  'bpmn:CallActivity': 'bpmn-icon-call-activity',
  'bpmn:ParallelGateway': 'bpmn-icon-gateway-parallel',
};

export class SlPaletteProvider {
  static $inject = ['palette', 'create', 'elementFactory', 'translate'];

  constructor(
    palette: { registerProvider(priority: number, provider: unknown): void },
    private readonly create: Deps['create'],
    private readonly elementFactory: Deps['elementFactory'],
    private readonly translate: Deps['translate'],
  ) {
    palette.registerProvider(500, this);
  }

  getPaletteEntries(): (entries: Entries) => Entries {
    return (entries) => {
      const kept: Entries = {};
      for (const [id, entry] of Object.entries(entries)) {
        if (UNSUPPORTED_PALETTE.includes(id) || !isSupportedEntry(id)) continue;
        kept[id] = entry;
        // Put the extra task kinds right after the plain task, the gateway after the exclusive one.
        for (const [extraId, type, group, title] of EXTRA) {
          const after = group === 'activity' ? 'create.task' : 'create.exclusive-gateway';
          if (id === after) kept[extraId] = this.entry(type, group, title);
        }
      }
      return kept;
    };
  }

  private entry(type: string, group: string, title: string): Entry {
    const start = (event: Event) => this.create.start(event, this.elementFactory.createShape({ type }));
    return { group, className: ICONS[type] ?? '', title: this.translate(title), action: { dragstart: start, click: start } };
  }
}

export default { __init__: ['slPaletteProvider'], slPaletteProvider: ['type', SlPaletteProvider] };
