// The form builder: a palette of field types dragged (@dnd-kit) onto a canvas of sections, where
// fields are reordered and moved between sections; a properties pane; a live preview rendered by
// rjsf with the shared validator; the JSON Schema and uiSchema as editable text; undo/redo.
import {
  type CollisionDetection,
  closestCenter,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { type ReactNode, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FIELD_TYPES, type Field, type FieldType, type Section } from '../model.ts';
import { FormRenderer } from '../render/FormRenderer.tsx';
import type { RenderContext } from '../render/widgets.tsx';
import { type FormDocument, fromSchema, toSchema } from '../schema.ts';
import { FORM_LANGUAGES, type FormLanguage, formSchemaProblems, pick } from '../validation.ts';
import { PropertiesPanel } from './PropertiesPanel.tsx';
import { type BuilderAction, builderReducer, initialState } from './state.ts';

export interface FormBuilderProps {
  /** The form to start from (read once; the builder keeps its own state from then on). */
  initial: FormDocument;
  /** Called with the schema and uiSchema after every edit. */
  onChange?: (doc: FormDocument) => void;
  /** Buttons of the host (save, publish), shown in the builder's toolbar. */
  toolbar?: ReactNode;
  /** Pickers and uploads for the preview. */
  preview?: Omit<RenderContext, 'lang'>;
}

type DragData =
  | { from: 'palette'; type: FieldType }
  | { from: 'canvas'; fieldId: string; sectionId: string }
  | { from: 'section'; sectionId: string };

function PaletteItem({ type, onAdd }: { type: FieldType; onAdd: () => void }) {
  const { t } = useTranslation('formBuilder');
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: `palette:${type}`,
    data: { from: 'palette', type } satisfies DragData,
  });
  return (
    <li
      ref={setNodeRef}
      className={`slfb-palette-item${isDragging ? ' slfb-dragging' : ''}`}
      data-testid={`palette-${type}`}
      data-type={type}
      onDoubleClick={onAdd}
      {...attributes}
      {...listeners}
    >
      {t(`type.${type}`)}
    </li>
  );
}

function FieldCard({
  field,
  sectionId,
  selected,
  lang,
  onSelect,
}: {
  field: Field;
  sectionId: string;
  selected: boolean;
  lang: FormLanguage;
  onSelect: () => void;
}) {
  const { t } = useTranslation('formBuilder');
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: `field:${field.id}`,
    data: { from: 'canvas', fieldId: field.id, sectionId } satisfies DragData,
  });
  const badges = [
    field.required && t('canvas.required'),
    (field.visibleWhen || field.requiredWhen) && t('canvas.conditional'),
    field.hidden && t('canvas.hidden'),
  ].filter(Boolean);
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={`slfb-field${selected ? ' slfb-selected' : ''}${isDragging ? ' slfb-dragging' : ''}`}
      data-testid={`canvas-field-${field.id}`}
      data-field={field.id}
      onClick={onSelect}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onSelect();
      }}
      {...attributes}
      {...listeners}
    >
      <span className="slfb-field-label">{pick(field.label, lang, field.id)}</span>
      <span className="slfb-field-meta">
        <code>{field.id}</code> · {t(`type.${field.type}`)}
        {badges.map((b) => (
          <span key={String(b)} className="slfb-badge">
            {b}
          </span>
        ))}
      </span>
    </li>
  );
}

function SectionView(props: {
  section: Section;
  lang: FormLanguage;
  selected: string | undefined;
  sectionSelected: boolean;
  dispatch: (a: BuilderAction) => void;
}) {
  const { t } = useTranslation('formBuilder');
  const { section, dispatch } = props;
  const { setNodeRef, isOver } = useDroppable({
    id: `section:${section.id}`,
    data: { from: 'section', sectionId: section.id } satisfies DragData,
  });
  const title = pick(section.title, props.lang);
  return (
    <section
      ref={setNodeRef}
      className={`slfb-section${isOver ? ' slfb-over' : ''}${props.sectionSelected ? ' slfb-selected' : ''}`}
      data-testid={`canvas-section-${section.id}`}
      data-columns={section.columns}
    >
      <button
        type="button"
        className="slfb-section-head"
        onClick={() => dispatch({ type: 'select', selection: { kind: 'section', id: section.id } })}
      >
        {title ?? `${t('canvas.section')} ${section.id}`} · {t('canvas.columnCount', { count: section.columns })}
      </button>
      <SortableContext items={section.fields.map((f) => `field:${f.id}`)} strategy={verticalListSortingStrategy}>
        <ul className={`slfb-fields slfb-columns-${section.columns}`}>
          {section.fields.map((f) => (
            <FieldCard
              key={f.id}
              field={f}
              sectionId={section.id}
              lang={props.lang}
              selected={props.selected === f.id}
              onSelect={() => dispatch({ type: 'select', selection: { kind: 'field', id: f.id } })}
            />
          ))}
          {section.fields.length === 0 && <li className="slfb-empty">{t('canvas.empty')}</li>}
        </ul>
      </SortableContext>
    </section>
  );
}

/** Fields under the pointer win over the section around them; otherwise the closest thing. */
const collisions: CollisionDetection = (args) => {
  const within = pointerWithin(args);
  const field = within.find((c) => String(c.id).startsWith('field:'));
  if (field) return [field];
  if (within.length) return within;
  return closestCenter(args);
};

function JsonEditor({ doc, onApply }: { doc: FormDocument; onApply: (doc: FormDocument) => void }) {
  const { t } = useTranslation('formBuilder');
  const [schemaText, setSchemaText] = useState(() => JSON.stringify(doc.schema, null, 2));
  const [uiText, setUiText] = useState(() => JSON.stringify(doc.uiSchema, null, 2));
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string>();
  // Follow the builder while the text is not being edited.
  useEffect(() => {
    if (dirty) return;
    setSchemaText(JSON.stringify(doc.schema, null, 2));
    setUiText(JSON.stringify(doc.uiSchema, null, 2));
  }, [doc, dirty]);
  const apply = () => {
    let schema: unknown;
    let uiSchema: unknown;
    try {
      schema = JSON.parse(schemaText);
      uiSchema = JSON.parse(uiText);
    } catch (e) {
      return setError(t('json.invalidJson', { message: (e as Error).message }));
    }
    const problems = formSchemaProblems(schema);
    if (problems.length)
      return setError(t('json.invalidSchema', { message: problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ') }));
    setError(undefined);
    setDirty(false);
    onApply({ schema: schema as FormDocument['schema'], uiSchema: (uiSchema ?? {}) as FormDocument['uiSchema'] });
  };
  return (
    <div className="slfb-json">
      <h3>{t('json.title')}</h3>
      <div className="slfb-json-areas">
        <label>
          <span>{t('json.schema')}</span>
          <textarea
            data-testid="form-builder-schema"
            spellCheck={false}
            value={schemaText}
            onChange={(e) => {
              setSchemaText(e.target.value);
              setDirty(true);
            }}
          />
        </label>
        <label>
          <span>{t('json.uiSchema')}</span>
          <textarea
            data-testid="form-builder-uischema"
            spellCheck={false}
            value={uiText}
            onChange={(e) => {
              setUiText(e.target.value);
              setDirty(true);
            }}
          />
        </label>
      </div>
      <button type="button" data-testid="form-builder-json-apply" onClick={apply} disabled={!dirty}>
        {t('json.apply')}
      </button>
      {error && (
        <p className="sl-error" data-testid="form-builder-json-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function FormBuilder(props: FormBuilderProps) {
  const { t, i18n } = useTranslation('formBuilder');
  const [state, dispatch] = useReducer(builderReducer, props.initial, (doc) => initialState(fromSchema(doc)));
  const [previewLang, setPreviewLang] = useState<FormLanguage>(i18n.language === 'zh-CN' ? 'zh-CN' : 'en');
  const [dragging, setDragging] = useState<DragData>();
  const [checked, setChecked] = useState(false);
  const doc = useMemo(() => toSchema(state.model), [state.model]);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    onChange.current?.(doc);
  }, [doc]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const onDragStart = (e: DragStartEvent) => setDragging(e.active.data.current as DragData);
  const onDragEnd = (e: DragEndEvent) => {
    setDragging(undefined);
    const active = e.active.data.current as DragData | undefined;
    const over = e.over?.data.current as DragData | undefined;
    if (!active || !over || over.from === 'palette') return;
    const sectionId = over.sectionId;
    const section = state.model.sections.find((s) => s.id === sectionId);
    if (!section) return;
    let index: number | undefined;
    if (over.from === 'canvas') {
      index = section.fields.findIndex((f) => f.id === over.fieldId);
      // Moving down within a section: land after the field dropped on, as the sortable showed it.
      if (active.from === 'canvas' && active.sectionId === sectionId) {
        const from = section.fields.findIndex((f) => f.id === active.fieldId);
        if (from === index) return;
      }
    }
    if (active.from === 'palette') dispatch({ type: 'add', fieldType: active.type, sectionId, ...(index !== undefined ? { index } : {}) });
    if (active.from === 'canvas') dispatch({ type: 'move', fieldId: active.fieldId, sectionId, ...(index !== undefined ? { index } : {}) });
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (!(e.ctrlKey || e.metaKey)) return;
      if (e.key.toLowerCase() === 'z') {
        e.preventDefault();
        dispatch({ type: e.shiftKey ? 'redo' : 'undo' });
      } else if (e.key.toLowerCase() === 'y') {
        e.preventDefault();
        dispatch({ type: 'redo' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const lastSection = state.model.sections[state.model.sections.length - 1]?.id ?? 'main';
  const selectedField = state.selected?.kind === 'field' ? state.selected.id : undefined;

  return (
    <div className="slfb" data-testid="form-builder">
      <div className="slfb-toolbar">
        <button type="button" data-testid="form-builder-undo" disabled={!state.past.length} onClick={() => dispatch({ type: 'undo' })}>
          {t('toolbar.undo')}
        </button>
        <button type="button" data-testid="form-builder-redo" disabled={!state.future.length} onClick={() => dispatch({ type: 'redo' })}>
          {t('toolbar.redo')}
        </button>
        <button type="button" data-testid="form-builder-add-section" onClick={() => dispatch({ type: 'addSection' })}>
          {t('canvas.addSection')}
        </button>
        <label>
          {t('toolbar.previewLanguage')}{' '}
          <select
            data-testid="form-builder-preview-lang"
            value={previewLang}
            onChange={(e) => setPreviewLang(e.target.value as FormLanguage)}
          >
            {FORM_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <span className="slfb-spacer" />
        {props.toolbar}
      </div>
      <DndContext
        sensors={sensors}
        collisionDetection={collisions}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragging(undefined)}
      >
        <div className="slfb-main">
          <aside className="slfb-palette" data-testid="form-builder-palette">
            <h3>{t('palette.title')}</h3>
            <p className="slfb-muted">{t('palette.hint')}</p>
            <ul>
              {FIELD_TYPES.map((type) => (
                <PaletteItem key={type} type={type} onAdd={() => dispatch({ type: 'add', fieldType: type, sectionId: lastSection })} />
              ))}
            </ul>
          </aside>
          <div className="slfb-canvas" data-testid="form-builder-canvas">
            <h3>{t('canvas.title')}</h3>
            {state.model.sections.map((s) => (
              <SectionView
                key={s.id}
                section={s}
                lang={previewLang}
                selected={selectedField}
                sectionSelected={state.selected?.kind === 'section' && state.selected.id === s.id}
                dispatch={dispatch}
              />
            ))}
          </div>
          <PropertiesPanel model={state.model} selected={state.selected} dispatch={dispatch} />
        </div>
        <DragOverlay>
          {dragging?.from === 'palette' ? <div className="slfb-palette-item slfb-overlay">{t(`type.${dragging.type}`)}</div> : null}
        </DragOverlay>
      </DndContext>
      <div className="slfb-bottom">
        <div className="slfb-preview" data-testid="form-builder-preview">
          <h3>{t('preview.title')}</h3>
          <FormRenderer
            schema={doc.schema}
            uiSchema={doc.uiSchema}
            lang={previewLang}
            idPrefix="preview"
            submitLabel={t('preview.check')}
            submitTestId="form-builder-preview-check"
            onChange={() => setChecked(false)}
            onSubmit={() => setChecked(true)}
            {...(props.preview ?? {})}
          />
          {checked && <p className="sl-ok">{t('preview.valid')}</p>}
        </div>
        <JsonEditor doc={doc} onApply={(next) => dispatch({ type: 'replace', model: fromSchema(next) })} />
      </div>
    </div>
  );
}
