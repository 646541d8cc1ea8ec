// What the engine executes, as bpmn-js palette and popup-menu entry ids. Everything the engine
// refuses at compile time (engine/README.md "Refused at compile time") is kept out of the menus.

/** Popup-menu entry ids (replace menu and its header toggles) for elements the engine refuses. */
const UNSUPPORTED_ENTRY = [
  /complex-gateway/,
  /transaction/,
  /ad-hoc/,
  /compensation/,
  /cancel-/,
  /multiple/,
  /data-(store|object)/,
  /-pool$/,
  /^toggle-loop$/,
  /^toggle-adhoc$/,
  /^toggle-is-collection$/,
  /^toggle-participant-multiplicity$/,
];

export function isSupportedEntry(id: string): boolean {
  return !UNSUPPORTED_ENTRY.some((re) => re.test(id));
}

/** bpmn-js default palette entries with no behaviour in the engine. */
export const UNSUPPORTED_PALETTE = ['create.data-object', 'create.data-store', 'create.participant-expanded', 'create.group'];
