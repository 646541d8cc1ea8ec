// The builder's edits and undo/redo, on the model alone.
import { describe, expect, it } from 'vitest';
import { emptyModel } from '../model.ts';
import { toSchema } from '../schema.ts';
import { type BuilderAction, type BuilderState, builderReducer, initialState } from './state.ts';

const run = (...actions: BuilderAction[]): BuilderState => actions.reduce(builderReducer, initialState(emptyModel()));
const ids = (s: BuilderState) => s.model.sections.map((sec) => sec.fields.map((f) => f.id));

describe('the builder state', () => {
  it('adds fields where they are dropped, with fresh names, and selects them', () => {
    const s = run(
      { type: 'add', fieldType: 'shortText', sectionId: 'main' },
      { type: 'add', fieldType: 'shortText', sectionId: 'main' },
      { type: 'add', fieldType: 'email', sectionId: 'main', index: 0 },
    );
    expect(ids(s)).toEqual([['email', 'shortText', 'shortText_2']]);
    expect(s.selected).toEqual({ kind: 'field', id: 'email' });
  });

  it('a dropped field edited in one language drops the placeholder label of the other, which then falls back', () => {
    let s = run({ type: 'add', fieldType: 'shortText', sectionId: 'main' });
    expect(s.model.sections[0]?.fields[0]?.label).toEqual({ en: 'Short text', 'zh-CN': '单行文本' });
    s = builderReducer(s, { type: 'update', fieldId: 'shortText', patch: { label: { en: 'Asset tag', 'zh-CN': '单行文本' } } });
    expect(s.model.sections[0]?.fields[0]?.label).toEqual({ en: 'Asset tag' });
    expect(toSchema(s.model).schema.properties.shortText.title).toEqual('Asset tag');
    // A label someone wrote in the other language stays.
    s = builderReducer(s, { type: 'update', fieldId: 'shortText', patch: { label: { en: 'Asset tag', 'zh-CN': '资产编号' } } });
    s = builderReducer(s, { type: 'update', fieldId: 'shortText', patch: { label: { en: 'Asset', 'zh-CN': '资产编号' } } });
    expect(s.model.sections[0]?.fields[0]?.label).toEqual({ en: 'Asset', 'zh-CN': '资产编号' });
  });

  it('reorders and moves fields between sections; removing a section keeps its fields', () => {
    let s = run(
      { type: 'add', fieldType: 'number', sectionId: 'main' },
      { type: 'add', fieldType: 'date', sectionId: 'main' },
      { type: 'addSection' },
    );
    expect(s.model.sections.map((x) => x.id)).toEqual(['main', 'section2']);
    s = builderReducer(s, { type: 'move', fieldId: 'date', sectionId: 'main', index: 0 });
    expect(ids(s)).toEqual([['date', 'number'], []]);
    s = builderReducer(s, { type: 'move', fieldId: 'number', sectionId: 'section2' });
    expect(ids(s)).toEqual([['date'], ['number']]);
    s = builderReducer(s, { type: 'updateSection', sectionId: 'section2', patch: { columns: 2, title: { en: 'More' } } });
    expect(toSchema(s.model).uiSchema['ui:sl:sections'][1]).toEqual({
      id: 'section2',
      title: { en: 'More' },
      columns: 2,
      fields: ['number'],
    });
    s = builderReducer(s, { type: 'removeSection', sectionId: 'section2' });
    expect(ids(s)).toEqual([['date', 'number']]);
  });

  it('renames a field and the conditions that test it; removing it drops those conditions', () => {
    let s = run(
      { type: 'add', fieldType: 'select', sectionId: 'main' },
      { type: 'add', fieldType: 'shortText', sectionId: 'main' },
      { type: 'update', fieldId: 'shortText', patch: { visibleWhen: { field: 'select', equals: 'a' } } },
      { type: 'rename', fieldId: 'select', newId: 'category' },
    );
    expect(s.model.sections[0]!.fields[1]!.visibleWhen).toEqual({ field: 'category', equals: 'a' });
    expect(builderReducer(s, { type: 'rename', fieldId: 'category', newId: 'shortText' }).model).toBe(s.model);
    s = builderReducer(s, { type: 'remove', fieldId: 'category' });
    expect(s.model.sections[0]!.fields).toEqual([{ id: 'shortText', type: 'shortText', label: { en: 'Short text', 'zh-CN': '单行文本' } }]);
  });

  it('unsets properties set to undefined, so the schema round-trips', () => {
    const s = run(
      { type: 'add', fieldType: 'shortText', sectionId: 'main' },
      { type: 'update', fieldId: 'shortText', patch: { required: true } },
      { type: 'update', fieldId: 'shortText', patch: { required: undefined } },
    );
    expect(s.model.sections[0]!.fields[0]).not.toHaveProperty('required');
  });

  it('gives a field what its new type needs', () => {
    const s = run(
      { type: 'add', fieldType: 'shortText', sectionId: 'main' },
      { type: 'update', fieldId: 'shortText', patch: { type: 'radio' } },
    );
    expect(s.model.sections[0]!.fields[0]!.options).toHaveLength(2);
  });

  it('undoes and redoes, typing in one property being one step', () => {
    let s = run(
      { type: 'add', fieldType: 'shortText', sectionId: 'main' },
      { type: 'update', fieldId: 'shortText', patch: { label: { en: 'S' } } },
      { type: 'update', fieldId: 'shortText', patch: { label: { en: 'Su' } } },
      { type: 'update', fieldId: 'shortText', patch: { label: { en: 'Subject' } } },
      { type: 'update', fieldId: 'shortText', patch: { required: true } },
    );
    expect(s.past).toHaveLength(3);
    s = builderReducer(s, { type: 'undo' });
    expect(s.model.sections[0]!.fields[0]).toMatchObject({ label: { en: 'Subject' } });
    expect(s.model.sections[0]!.fields[0]).not.toHaveProperty('required');
    s = builderReducer(s, { type: 'undo' });
    expect(s.model.sections[0]!.fields[0]!.label).toEqual({ en: 'Short text', 'zh-CN': '单行文本' });
    s = builderReducer(s, { type: 'undo' });
    expect(ids(s)).toEqual([[]]);
    expect(builderReducer(s, { type: 'undo' })).toBe(s);
    s = builderReducer(builderReducer(s, { type: 'redo' }), { type: 'redo' });
    expect(s.model.sections[0]!.fields[0]!.label).toEqual({ en: 'Subject' });
    // A new edit forgets what could have been redone.
    s = builderReducer(s, { type: 'add', fieldType: 'date', sectionId: 'main' });
    expect(s.future).toEqual([]);
  });
});
