// Page objects for the form pages: the builder (palette, canvas, properties pane by data-testid)
// and a task's form.
import type { Locator, Page } from 'playwright-core';

/** Longer than dnd-kit's 50 ms during which clicks after a drop are swallowed. */
const DROP_CLICK_GUARD_MS = 120;

export class FormBuilderPage {
  constructor(private readonly page: Page) {}

  field(id: string): Locator {
    return this.page.getByTestId(`canvas-field-${id}`);
  }

  async fieldIds(): Promise<string[]> {
    return this.page
      .getByTestId('form-builder-canvas')
      .locator('[data-field]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-field') as string));
  }

  /** Drags a field type from the palette to the bottom of a section; returns the new field's id. */
  async dragFromPalette(type: string, section = 'main'): Promise<string> {
    const before = new Set(await this.fieldIds());
    const from = await this.page.getByTestId(`palette-${type}`).boundingBox();
    if (!from) throw new Error(`palette entry ${type} is not on the page`);
    await this.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await this.page.mouse.down();
    // dnd-kit starts a drag after 4 px of movement.
    await this.page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 4 });
    // Measured once the drag is on (the canvas may have shifted), then into the middle of the
    // section's 8 px bottom padding: below its last field, so the new field is appended. Closer to
    // the field, a busy machine's rounding dropped it onto the field (inserted before it).
    const to = await this.page.getByTestId(`canvas-section-${section}`).boundingBox();
    if (!to) throw new Error(`section ${section} is not on the page`);
    await this.page.mouse.move(to.x + to.width / 2, to.y + to.height - 5, { steps: 12 });
    // One more move, so the drop target is computed against the settled layout.
    await this.page.mouse.move(to.x + to.width / 2 + 1, to.y + to.height - 5);
    await this.page.mouse.up();
    // dnd-kit swallows clicks for 50 ms after a drop (a capture-phase listener on the document,
    // removed on a timer): a click on a field sooner, as the next step may make, would never
    // reach it. One CI run failed that way: the field clicked was never selected.
    await this.page.waitForTimeout(DROP_CLICK_GUARD_MS);
    const added = (await this.fieldIds()).filter((id) => !before.has(id));
    if (added.length !== 1) throw new Error(`expected one new field, got ${added.join(', ') || 'none'}`);
    return added[0] as string;
  }

  async select(id: string): Promise<void> {
    await this.field(id).click();
    await this.page.locator(`[data-testid="prop-field"][data-field="${id}"]`).waitFor();
  }

  /** Renames the selected field (its data key). */
  async rename(to: string): Promise<void> {
    const input = this.page.getByTestId('prop-id');
    await input.fill(to);
    await input.press('Enter');
    await this.page.locator(`[data-testid="prop-field"][data-field="${to}"]`).waitFor();
  }

  async label(lang: 'en' | 'zh-CN', text: string): Promise<void> {
    await this.page.getByTestId(`prop-label-${lang}`).fill(text);
  }

  async setRequired(): Promise<void> {
    await this.page.getByTestId('prop-required').check();
  }

  async showOnlyWhen(field: string, equals: string): Promise<void> {
    await this.page.getByTestId('prop-visible-field').selectOption(field);
    await this.page.getByTestId('prop-visible-equals').selectOption(equals);
  }

  async schema(): Promise<any> {
    return JSON.parse(await this.page.getByTestId('form-builder-schema').inputValue());
  }

  async publish(): Promise<void> {
    await this.page.getByTestId('form-builder-publish').click();
  }

  status(): Locator {
    return this.page.getByTestId('form-builder-status');
  }
}

export class TaskFormPage {
  constructor(private readonly page: Page) {}

  input(field: string): Locator {
    return this.page.locator(`.task-form #root_${field}`);
  }

  /** Picks an option of a select field (task forms render with Ant Design: a Select, not a native select). */
  async choose(field: string, label: string): Promise<void> {
    await this.page.locator(`.task-form #root_${field}`).click();
    await this.page.locator(`.ant-select-dropdown .ant-select-item-option[title="${label}"]`).click();
  }

  /** The error messages shown at a field (rjsf's `<id>__error` element). */
  errorsOf(field: string): Locator {
    return this.page.locator(`.task-form #root_${field}__error`);
  }

  async complete(): Promise<void> {
    await this.page.getByTestId('task-complete').click();
  }
}
