// Page object for the designer: the bpmn-js canvas addressed by `data-element-id`, the palette and
// context pad by `data-action`, the rest of the page by `data-testid`.
import type { Locator, Page } from 'playwright-core';

type Box = { x: number; y: number; width: number; height: number };

export class DesignerPage {
  constructor(private readonly page: Page) {}

  element(id: string): Locator {
    return this.page.locator(`.djs-container .djs-element[data-element-id="${id}"]`);
  }

  async box(id: string): Promise<Box> {
    const box = await this.element(id).boundingBox();
    if (!box) throw new Error(`element ${id} is not on the canvas`);
    return box;
  }

  async center(id: string): Promise<{ x: number; y: number }> {
    const b = await this.box(id);
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  }

  async waitForCanvas(id: string): Promise<void> {
    await this.element(id).waitFor();
  }

  private async ids(kind: 'shape' | 'connection'): Promise<string[]> {
    return this.page
      .locator(`.djs-container .djs-${kind}[data-element-id]`)
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-element-id') as string));
  }

  /** Drags a palette entry onto the canvas at page coordinates; returns the new element's id. */
  async dragFromPalette(action: string, to: { x: number; y: number }): Promise<string> {
    const before = new Set(await this.ids('shape'));
    const entry = this.page.locator(`.djs-palette [data-action="${action}"]`);
    const from = await entry.boundingBox();
    if (!from) throw new Error(`palette entry ${action} is missing`);
    await this.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(to.x - 40, to.y - 20, { steps: 8 });
    await this.page.mouse.move(to.x, to.y, { steps: 8 });
    await this.page.mouse.up();
    await this.afterDrag();
    const created = (await this.ids('shape')).filter((id) => !before.has(id) && !id.endsWith('_label'));
    if (created.length !== 1) throw new Error(`expected one new shape, got ${created.join(', ') || 'none'}`);
    return created[0] as string;
  }

  /** diagram-js swallows clicks for 400 ms after a drag (its ghost-click trap); a person pauses as long. */
  private afterDrag(): Promise<void> {
    return this.page.waitForTimeout(450);
  }

  async select(id: string): Promise<void> {
    // A click on the selected element would take the selection away again.
    if (!(await this.hasMarker(id, 'selected'))) {
      await this.clearSelection();
      const c = await this.center(id);
      await this.page.mouse.click(c.x, c.y);
    }
    await this.page.locator(`[data-testid="designer-properties"][data-element="${id}"]`).waitFor();
  }

  /** Clicks blank canvas: closes the context pad and any popup menu that could cover an element. */
  async clearSelection(): Promise<void> {
    await this.page.keyboard.press('Escape');
    const canvas = await this.page.locator('.djs-container').boundingBox();
    if (!canvas) throw new Error('no canvas');
    await this.page.mouse.click(canvas.x + canvas.width - 30, canvas.y + 30);
  }

  /** Connects two elements with the context pad's connect tool; returns the new flow's id. */
  async connect(fromId: string, toId: string): Promise<string> {
    const before = new Set(await this.ids('connection'));
    await this.select(fromId);
    const tool = this.page.locator('.djs-context-pad [data-action="connect"]');
    const start = await tool.boundingBox();
    if (!start) throw new Error('the context pad has no connect entry');
    const target = await this.center(toId);
    await this.page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(target.x - 10, target.y, { steps: 10 });
    await this.page.mouse.move(target.x, target.y, { steps: 4 });
    await this.page.mouse.up();
    await this.afterDrag();
    const created = (await this.ids('connection')).filter((id) => !before.has(id));
    if (created.length !== 1) throw new Error(`expected one new connection, got ${created.join(', ') || 'none'}`);
    return created[0] as string;
  }

  async remove(id: string): Promise<void> {
    await this.select(id);
    await this.page.locator('.djs-context-pad [data-action="delete"]').click();
    await this.element(id).waitFor({ state: 'detached' });
  }

  /** Types into a properties-panel field and leaves it (which commits the edit). */
  async setField(field: string, value: string): Promise<void> {
    const input = this.page.getByTestId(`prop-${field}`);
    await input.fill(value);
    await input.press('Tab');
  }

  field(field: string): Locator {
    return this.page.getByTestId(`prop-${field}`);
  }

  problems(): Locator {
    return this.page.locator('[data-testid="designer-problems"] li.sl-problem');
  }

  problemFor(elementId: string): Locator {
    return this.page.locator(`[data-testid="designer-problems"] li[data-problem-element="${elementId}"]`);
  }

  button(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  status(): Locator {
    return this.page.getByTestId('designer-status');
  }

  hasMarker(id: string, marker: string): Promise<boolean> {
    return this.element(id).evaluate((el, m) => el.classList.contains(m), marker);
  }
}
