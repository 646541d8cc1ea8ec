// Markers and badges on the canvas: problems from the engine's compile (errors and warnings) and
// the simulation's tokens (active elements, taken flows, completed elements). Works on a Modeler
// and on a read-only viewer alike.

export interface MarkerProblem {
  elementId: string;
  severity: 'error' | 'warning';
  message: string;
}

interface Canvas {
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
  getRootElement(): { id: string };
}
interface Overlays {
  add(id: string, type: string, overlay: { position: Record<string, number>; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}
interface Registry {
  get(id: string): unknown;
}

const PROBLEM_MARKERS = ['sl-problem-error', 'sl-problem-warning'];
const SIM_MARKERS = ['sl-sim-active', 'sl-sim-taken', 'sl-sim-done'];

export class SlMarkers {
  static $inject = ['canvas', 'overlays', 'elementRegistry'];
  private problemIds: string[] = [];
  private simulated: Array<[string, string]> = [];

  constructor(
    private readonly canvas: Canvas,
    private readonly overlays: Overlays,
    private readonly registry: Registry,
  ) {}

  showProblems(problems: readonly MarkerProblem[]): void {
    for (const id of this.problemIds) for (const m of PROBLEM_MARKERS) this.safe(() => this.canvas.removeMarker(id, m));
    this.overlays.remove({ type: 'sl-problem' });
    this.problemIds = [];
    const rootId = this.canvas.getRootElement().id;
    const byElement = new Map<string, MarkerProblem[]>();
    for (const p of problems) {
      if (!p.elementId || !this.registry.get(p.elementId)) continue;
      byElement.set(p.elementId, [...(byElement.get(p.elementId) ?? []), p]);
    }
    for (const [id, list] of byElement) {
      const severity = list.some((p) => p.severity === 'error') ? 'error' : 'warning';
      this.canvas.addMarker(id, `sl-problem-${severity}`);
      this.problemIds.push(id);
      if (id === rootId) continue;
      const badge = document.createElement('div');
      badge.className = `sl-problem-badge sl-problem-badge-${severity}`;
      badge.textContent = String(list.length);
      badge.title = list.map((p) => p.message).join('\n');
      badge.dataset.problemFor = id;
      this.safe(() => this.overlays.add(id, 'sl-problem', { position: { top: -10, left: -10 }, html: badge }));
    }
  }

  /** Highlights a simulation or replay: where tokens stand, which flows were taken, what completed. */
  showTokens(view: { active: readonly string[]; taken: readonly string[]; done: readonly string[] }): void {
    this.clearTokens();
    const mark = (ids: readonly string[], marker: string) => {
      for (const id of ids) {
        if (!this.registry.get(id)) continue;
        this.canvas.addMarker(id, marker);
        this.simulated.push([id, marker]);
      }
    };
    mark(view.done, 'sl-sim-done');
    mark(view.taken, 'sl-sim-taken');
    mark(view.active, 'sl-sim-active');
  }

  clearTokens(): void {
    for (const [id, m] of this.simulated) this.safe(() => this.canvas.removeMarker(id, m));
    this.simulated = [];
  }

  private safe(fn: () => void): void {
    try {
      fn();
    } catch {
      // the element went away meanwhile
    }
  }
}

export const SIMULATION_MARKERS = SIM_MARKERS;
export default { __init__: ['slMarkers'], slMarkers: ['type', SlMarkers] };
