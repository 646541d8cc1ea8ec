// The builder's state and every edit as a pure reducer, with undo/redo: each edit that changes the
// model pushes the previous model on the undo stack (consecutive keystrokes in one property count
// as one edit).
import { type Field, type FieldType, isChoice, newField, newFieldId, relabel, type Section } from '../model.ts';
import type { ParsedForm } from '../schema.ts';

export type Selection = { kind: 'field'; id: string } | { kind: 'section'; id: string } | undefined;

export interface BuilderState {
  model: ParsedForm;
  selected: Selection;
  past: ParsedForm[];
  future: ParsedForm[];
  /** The last coalescable edit, so that typing into one property is one undo step. */
  lastEdit?: string;
}

export type BuilderAction =
  | { type: 'add'; fieldType: FieldType; sectionId: string; index?: number }
  | { type: 'move'; fieldId: string; sectionId: string; index?: number }
  | { type: 'update'; fieldId: string; patch: Partial<Field> }
  | { type: 'rename'; fieldId: string; newId: string }
  | { type: 'remove'; fieldId: string }
  | { type: 'addSection' }
  | { type: 'updateSection'; sectionId: string; patch: Partial<Omit<Section, 'fields' | 'id'>> }
  | { type: 'removeSection'; sectionId: string }
  | { type: 'select'; selection: Selection }
  | { type: 'replace'; model: ParsedForm }
  | { type: 'undo' }
  | { type: 'redo' };

const HISTORY = 100;

export const initialState = (model: ParsedForm): BuilderState => ({ model, selected: undefined, past: [], future: [] });

const mapFields = (model: ParsedForm, fn: (f: Field) => Field): ParsedForm => ({
  ...model,
  sections: model.sections.map((s) => ({ ...s, fields: s.fields.map(fn) })),
});

const findField = (model: ParsedForm, id: string) => model.sections.flatMap((s) => s.fields).find((f) => f.id === id);

/** Removes a field from wherever it is; returns the model without it and the field. */
function take(model: ParsedForm, id: string): [ParsedForm, Field | undefined] {
  let found: Field | undefined;
  const sections = model.sections.map((s) => {
    const f = s.fields.find((x) => x.id === id);
    if (!f) return s;
    found = f;
    return { ...s, fields: s.fields.filter((x) => x.id !== id) };
  });
  return [{ ...model, sections }, found];
}

function put(model: ParsedForm, field: Field, sectionId: string, index?: number): ParsedForm {
  const target = model.sections.some((s) => s.id === sectionId) ? sectionId : (model.sections[model.sections.length - 1]?.id as string);
  return {
    ...model,
    sections: model.sections.map((s) => {
      if (s.id !== target) return s;
      const fields = [...s.fields];
      fields.splice(index === undefined || index < 0 || index > fields.length ? fields.length : index, 0, field);
      return { ...s, fields };
    }),
  };
}

/** Conditions on a field that is gone, or whose value type changed, would never hold: drop them. */
function dropConditionsOn(model: ParsedForm, fieldId: string): ParsedForm {
  return mapFields(model, (f) => {
    if (f.visibleWhen?.field !== fieldId && f.requiredWhen?.field !== fieldId) return f;
    const { visibleWhen, requiredWhen, ...rest } = f;
    return {
      ...rest,
      ...(visibleWhen && visibleWhen.field !== fieldId ? { visibleWhen } : {}),
      ...(requiredWhen && requiredWhen.field !== fieldId ? { requiredWhen } : {}),
    };
  });
}

function newSectionId(model: ParsedForm): string {
  const taken = new Set(model.sections.map((s) => s.id));
  for (let n = model.sections.length + 1; ; n++) if (!taken.has(`section${n}`)) return `section${n}`;
}

/** The model after an edit (or the same model when the edit changes nothing). */
function edit(model: ParsedForm, action: BuilderAction): { model: ParsedForm; selected?: Selection } {
  switch (action.type) {
    case 'add': {
      const field = newField(action.fieldType, newFieldId(model, action.fieldType));
      return { model: put(model, field, action.sectionId, action.index), selected: { kind: 'field', id: field.id } };
    }
    case 'move': {
      const [without, field] = take(model, action.fieldId);
      if (!field) return { model };
      return { model: put(without, field, action.sectionId, action.index) };
    }
    case 'update': {
      let next = mapFields(model, (f) => {
        if (f.id !== action.fieldId) return f;
        const merged: Field = { ...f, ...action.patch };
        if (action.patch.label) merged.label = relabel(f.type, f.label, action.patch.label);
        // Undefined means "unset": keep the model free of undefined keys (schemas round-trip exactly).
        for (const k of Object.keys(merged) as Array<keyof Field>) if (merged[k] === undefined) delete merged[k];
        if (action.patch.type && action.patch.type !== f.type) {
          // What the new type needs and the field lacks (options, columns, text) comes from a fresh field.
          const fresh = newField(action.patch.type, f.id);
          if (isChoice(action.patch.type) && !merged.options?.length) merged.options = fresh.options as Field['options'];
          if (fresh.columns && !merged.columns?.length) merged.columns = fresh.columns;
          if (fresh.markdown && !merged.markdown) merged.markdown = fresh.markdown;
        }
        return merged;
      });
      if (action.patch.type || action.patch.options) next = dropConditionsOn(next, action.fieldId);
      return { model: next };
    }
    case 'rename': {
      if (action.newId === action.fieldId || findField(model, action.newId)) return { model };
      const renamed = mapFields(model, (f) => {
        const g = f.id === action.fieldId ? { ...f, id: action.newId } : { ...f };
        if (g.visibleWhen?.field === action.fieldId) g.visibleWhen = { ...g.visibleWhen, field: action.newId };
        if (g.requiredWhen?.field === action.fieldId) g.requiredWhen = { ...g.requiredWhen, field: action.newId };
        return g;
      });
      return { model: renamed, selected: { kind: 'field', id: action.newId } };
    }
    case 'remove': {
      const [without] = take(model, action.fieldId);
      return { model: dropConditionsOn(without, action.fieldId), selected: undefined };
    }
    case 'addSection': {
      const id = newSectionId(model);
      return { model: { ...model, sections: [...model.sections, { id, columns: 1, fields: [] }] }, selected: { kind: 'section', id } };
    }
    case 'updateSection':
      return {
        model: {
          ...model,
          sections: model.sections.map((s) => {
            if (s.id !== action.sectionId) return s;
            const merged: Section = { ...s, ...action.patch } as Section;
            if (merged.title === undefined) delete merged.title;
            return merged;
          }),
        },
      };
    case 'removeSection': {
      if (model.sections.length <= 1) return { model };
      const i = model.sections.findIndex((s) => s.id === action.sectionId);
      if (i < 0) return { model };
      const gone = model.sections[i] as Section;
      const sections = model.sections.filter((s) => s.id !== action.sectionId);
      // Its fields move to the section before it (or after, for the first).
      const heir = sections[Math.max(0, i - 1)] as Section;
      const merged = sections.map((s) =>
        s === heir ? { ...s, fields: i === 0 ? [...gone.fields, ...s.fields] : [...s.fields, ...gone.fields] } : s,
      );
      return { model: { ...model, sections: merged }, selected: undefined };
    }
    case 'replace':
      return { model: action.model, selected: undefined };
    default:
      return { model };
  }
}

export function builderReducer(state: BuilderState, action: BuilderAction): BuilderState {
  switch (action.type) {
    case 'select':
      return { ...state, selected: action.selection, lastEdit: undefined };
    case 'undo': {
      const previous = state.past[state.past.length - 1];
      if (!previous) return state;
      return {
        ...state,
        model: previous,
        past: state.past.slice(0, -1),
        future: [state.model, ...state.future],
        lastEdit: undefined,
        selected: keep(state.selected, previous),
      };
    }
    case 'redo': {
      const next = state.future[0];
      if (!next) return state;
      return {
        ...state,
        model: next,
        past: [...state.past, state.model],
        future: state.future.slice(1),
        lastEdit: undefined,
        selected: keep(state.selected, next),
      };
    }
    default: {
      const result = edit(state.model, action);
      const selected = result.selected === undefined && !('selected' in result) ? state.selected : result.selected;
      if (result.model === state.model) return { ...state, selected };
      const key = coalesceKey(action);
      const coalesce = key !== undefined && key === state.lastEdit;
      return {
        model: result.model,
        selected,
        past: coalesce ? state.past : [...state.past, state.model].slice(-HISTORY),
        future: [],
        ...(key !== undefined ? { lastEdit: key } : {}),
      };
    }
  }
}

/** Text edits of one property of one field (or section) coalesce into one undo step. */
function coalesceKey(action: BuilderAction): string | undefined {
  if (action.type === 'update') {
    const keys = Object.keys(action.patch).sort().join(',');
    if (
      [
        'label',
        'help',
        'placeholder',
        'markdown',
        'pattern',
        'patternMessage',
        'default',
        'minimum',
        'maximum',
        'minLength',
        'maxLength',
        'options',
        'columns',
      ].includes(keys)
    ) {
      return `field:${action.fieldId}:${keys}`;
    }
  }
  if (action.type === 'updateSection' && Object.keys(action.patch).join(',') === 'title') return `section:${action.sectionId}:title`;
  return undefined;
}

function keep(selected: Selection, model: ParsedForm): Selection {
  if (!selected) return undefined;
  if (selected.kind === 'field') return findField(model, selected.id) ? selected : undefined;
  return model.sections.some((s) => s.id === selected.id) ? selected : undefined;
}
