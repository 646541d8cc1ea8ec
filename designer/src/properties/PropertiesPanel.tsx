// The properties panel: everything the engine reads from a BPMN element, edited through
// PropertyEditor (bpmn-js modeling commands, so undo and redo work).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PropertyEditor } from './edit.ts';
import { CheckboxField, FeelField, Section, SelectField, TextField } from './fields.tsx';
import { MappingsEditor } from './MappingsEditor.tsx';
import { type Bo, documentation, eventDefinition, eventKind, expressionBody, is, mappings, type Shape } from './model.ts';
import { describeDuration, describeTimer, type TimerKind } from './timer-preview.ts';

export interface GroupOption {
  id: string;
  name?: string;
}
export interface ProcessOption {
  key: string;
  name?: string | null;
  version?: number;
}

export interface FormOption {
  key: string;
  name?: string | null;
  version?: number | null;
}

export interface PropertiesPanelProps {
  editor: PropertyEditor;
  element: Shape;
  groups?: readonly GroupOption[];
  processes?: readonly ProcessOption[];
  /** Published forms: the form key becomes a picker of them. */
  forms?: readonly FormOption[];
  variables?: readonly string[];
  readOnly?: boolean;
}

const CONNECTORS = ['http', 'email', 'chat'] as const;
const CONNECTOR_INPUTS: Record<(typeof CONNECTORS)[number], string[]> = {
  http: ['url', 'method', 'headers', 'body'],
  email: ['to', 'subject', 'body'],
  chat: ['url', 'text'],
};

export function PropertiesPanel(props: PropertiesPanelProps) {
  const { t } = useTranslation('designer');
  const { element } = props;
  const bo = element.businessObject;
  const isRoot = !element.parent && (is(bo, 'bpmn:Process') || is(bo, 'bpmn:Collaboration'));
  return (
    <div className="sl-properties" data-testid="designer-properties" data-element={bo.id}>
      <h3>
        {t(`type.${String(bo.$type).replace('bpmn:', '')}`, { defaultValue: String(bo.$type).replace('bpmn:', '') })}
        <small> {bo.id}</small>
      </h3>
      <General {...props} isRoot={isRoot} />
      {is(bo, 'bpmn:UserTask') && <UserTask {...props} />}
      {is(bo, 'bpmn:StartEvent') && eventKind(bo) === 'none' && !isRoot && (
        <Section title={t('section.form')}>
          <FormKeyField
            forms={props.forms}
            value={bo.get('sl:formKey') ?? ''}
            onCommit={(v) => props.editor.set(element, { 'sl:formKey': v })}
            disabled={props.readOnly}
          />
        </Section>
      )}
      {(is(bo, 'bpmn:ServiceTask') || is(bo, 'bpmn:BusinessRuleTask') || is(bo, 'bpmn:SendTask')) && <JobSection {...props} />}
      {is(bo, 'bpmn:ScriptTask') && <ScriptSection {...props} />}
      {is(bo, 'bpmn:SequenceFlow') && <FlowSection {...props} />}
      {is(bo, 'bpmn:Event') && <EventSection {...props} />}
      {is(bo, 'bpmn:ReceiveTask') && <MessageFields {...props} owner="task" />}
      {is(bo, 'bpmn:SendTask') && <MessageFields {...props} owner="send" />}
      {is(bo, 'bpmn:CallActivity') && <CallSection {...props} />}
      {is(bo, 'bpmn:Activity') && <LoopSection {...props} />}
      {(is(bo, 'bpmn:Activity') || is(bo, 'bpmn:Event')) && !isRoot && (
        <Section title={t('section.mappings')}>
          <MappingsEditor
            value={mappings(bo)}
            variables={props.variables ?? []}
            readOnly={props.readOnly}
            onCommit={(inputs, outputs) => props.editor.setMappings(element, inputs, outputs)}
          />
        </Section>
      )}
    </div>
  );
}

function General({ editor, element, readOnly, isRoot }: PropertiesPanelProps & { isRoot: boolean }) {
  const { t } = useTranslation('designer');
  const bo = element.businessObject;
  return (
    <Section title={t('section.general')}>
      {isRoot && (
        <TextField
          label={t('field.processId')}
          field="processId"
          value={bo.id ?? ''}
          onCommit={(v) => v.trim() && editor.set(element, { id: v.trim() })}
          disabled={readOnly}
        />
      )}
      <TextField
        label={t('field.name')}
        field="name"
        value={bo.name ?? ''}
        onCommit={(v) => editor.set(element, { name: v })}
        disabled={readOnly}
      />
      <TextField
        label={t('field.documentation')}
        field="documentation"
        multiline
        value={documentation(bo)}
        onCommit={(v) => editor.setDocumentation(element, v)}
        disabled={readOnly}
      />
    </Section>
  );
}

function UserTask({ editor, element, groups = [], forms, readOnly }: PropertiesPanelProps) {
  const { t } = useTranslation('designer');
  const bo = element.businessObject;
  const current: string = bo.get('sl:candidateGroups') ?? '';
  const selected = current
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const toggle = (id: string) => {
    const next = selected.includes(id) ? selected.filter((g) => g !== id) : [...selected, id];
    editor.set(element, { 'sl:candidateGroups': next.join(',') });
  };
  const due: string = bo.get('sl:dueDate') ?? '';
  const duePreview = due && !due.trim().startsWith('=') ? describeDuration(due, t) : undefined;
  return (
    <Section title={t('section.assignment')}>
      <TextField
        label={t('field.assignee')}
        field="assignee"
        value={bo.get('sl:assignee') ?? ''}
        placeholder={t('placeholder.assignee')}
        onCommit={(v) => editor.set(element, { 'sl:assignee': v })}
        disabled={readOnly}
      />
      <TextField
        label={t('field.candidateGroups')}
        field="candidateGroups"
        value={current}
        placeholder={t('placeholder.candidateGroups')}
        onCommit={(v) => editor.set(element, { 'sl:candidateGroups': v })}
        disabled={readOnly}
        hint={
          groups.length > 0 && (
            <div className="sl-group-picker" data-testid="group-picker">
              {groups.map((g) => (
                <label key={g.id} className="sl-chip">
                  <input
                    type="checkbox"
                    checked={selected.includes(g.id)}
                    disabled={readOnly}
                    data-testid={`group-${g.id}`}
                    onChange={() => toggle(g.id)}
                  />
                  {g.name ?? g.id}
                </label>
              ))}
            </div>
          )
        }
      />
      <FormKeyField
        forms={forms}
        value={bo.get('sl:formKey') ?? ''}
        onCommit={(v) => editor.set(element, { 'sl:formKey': v })}
        disabled={readOnly}
      />
      <TextField
        label={t('field.dueDate')}
        field="dueDate"
        value={due}
        placeholder="PT4H"
        hint={duePreview ? t('timer.after', { duration: duePreview }) : t('hint.dueDate')}
        onCommit={(v) => editor.set(element, { 'sl:dueDate': v })}
        disabled={readOnly}
      />
    </Section>
  );
}

function JobSection({ editor, element, readOnly }: PropertiesPanelProps) {
  const { t } = useTranslation('designer');
  const bo = element.businessObject;
  const type: string = bo.get('sl:type') ?? '';
  const connector = (CONNECTORS as readonly string[]).includes(type) ? (type as (typeof CONNECTORS)[number]) : undefined;
  const kind = connector ?? (type ? 'job' : is(bo, 'bpmn:SendTask') ? 'none' : 'job');
  const io = mappings(bo);
  const input = (name: string) => io.inputs.find((m) => m.target === name)?.source ?? '';
  const setInput = (name: string, source: string) => {
    const rest = io.inputs.filter((m) => m.target !== name);
    editor.setMappings(element, source.trim() ? [...rest, { source, target: name }] : rest, io.outputs);
  };
  const options = [
    ...(is(bo, 'bpmn:SendTask') ? [{ value: 'none', label: t('job.message') }] : []),
    { value: 'job', label: t('job.worker') },
    ...CONNECTORS.map((c) => ({ value: c, label: t(`job.${c}`) })),
  ];
  return (
    <Section title={t('section.implementation')}>
      <SelectField
        label={t('field.implementation')}
        field="implementation"
        value={kind}
        options={options}
        disabled={readOnly}
        onChange={(v) => editor.set(element, { 'sl:type': v === 'job' ? (connector ? '' : type) : v === 'none' ? '' : v })}
      />
      {kind === 'job' && (
        <TextField
          label={t('field.jobType')}
          field="type"
          value={type}
          placeholder="send-invoice"
          onCommit={(v) => editor.set(element, { 'sl:type': v })}
          disabled={readOnly}
        />
      )}
      {connector &&
        CONNECTOR_INPUTS[connector].map((name) => (
          <TextField
            key={name}
            label={t(`connector.${name}`)}
            field={`input-${name}`}
            value={input(name)}
            placeholder={name === 'method' ? '"POST"' : name === 'url' ? '"https://example.com/hook"' : '= ...'}
            hint={t('hint.connectorInput')}
            onCommit={(v) => setInput(name, v)}
            disabled={readOnly}
          />
        ))}
      {kind !== 'none' && (
        <TextField
          label={t('field.retries')}
          field="retries"
          value={bo.get('sl:retries') ?? ''}
          placeholder="3"
          onCommit={(v) => editor.set(element, { 'sl:retries': v })}
          disabled={readOnly}
        />
      )}
    </Section>
  );
}

function ScriptSection({ editor, element, variables = [], readOnly }: PropertiesPanelProps) {
  const { t } = useTranslation('designer');
  const bo = element.businessObject;
  return (
    <Section title={t('section.script')}>
      <FeelField
        label={t('field.script')}
        field="script"
        value={bo.script ?? ''}
        variables={variables}
        optional={false}
        onCommit={(v) => editor.setScript(element, v)}
        disabled={readOnly}
      />
      <TextField
        label={t('field.resultVariable')}
        field="resultVariable"
        value={bo.get('sl:resultVariable') ?? ''}
        onCommit={(v) => editor.set(element, { 'sl:resultVariable': v })}
        disabled={readOnly}
      />
    </Section>
  );
}

function FlowSection({ editor, element, variables = [], readOnly }: PropertiesPanelProps) {
  const { t } = useTranslation('designer');
  const bo = element.businessObject;
  const source: Bo = bo.sourceRef;
  if (!source || is(source, 'bpmn:ParallelGateway') || is(source, 'bpmn:EventBasedGateway')) return null;
  const isDefault = source.default === bo;
  const sourceShape = element.source;
  return (
    <Section title={t('section.condition')}>
      {!isDefault && (
        <FeelField
          label={t('field.condition')}
          field="condition"
          value={expressionBody(bo.conditionExpression)}
          placeholder="= amount > 100"
          variables={variables}
          onCommit={(v) => editor.setCondition(element, v)}
          disabled={readOnly}
        />
      )}
      {(is(source, 'bpmn:ExclusiveGateway') || is(source, 'bpmn:InclusiveGateway') || is(source, 'bpmn:Activity')) && (
        <CheckboxField
          label={t('field.defaultFlow')}
          field="defaultFlow"
          checked={isDefault}
          disabled={readOnly}
          onChange={(v) => editor.set(sourceShape, { default: v ? bo : undefined } as never)}
        />
      )}
    </Section>
  );
}

function EventSection(props: PropertiesPanelProps) {
  const { t } = useTranslation('designer');
  const { editor, element, variables = [], readOnly } = props;
  const bo = element.businessObject;
  const kind = eventKind(bo);
  const def = eventDefinition(bo);
  const catching = is(bo, 'bpmn:CatchEvent');
  return (
    <>
      {is(bo, 'bpmn:BoundaryEvent') && kind !== 'error' && (
        <Section title={t('section.boundary')}>
          <CheckboxField
            label={t('field.interrupting')}
            field="interrupting"
            checked={bo.cancelActivity !== false}
            disabled={readOnly}
            onChange={(v) => editor.set(element, { cancelActivity: v })}
          />
        </Section>
      )}
      {kind === 'timer' && <TimerFields {...props} />}
      {kind === 'message' && <MessageFields {...props} owner={catching ? 'catch' : 'throw'} />}
      {kind === 'signal' && <RefField {...props} kind="signal" />}
      {kind === 'error' && <RefField {...props} kind="error" />}
      {kind === 'escalation' && <RefField {...props} kind="escalation" />}
      {kind === 'conditional' && (
        <Section title={t('section.condition')}>
          <FeelField
            label={t('field.condition')}
            field="condition"
            value={expressionBody(def?.condition)}
            variables={variables}
            optional={false}
            onCommit={(v) => editor.setConditionalEvent(element, v)}
            disabled={readOnly}
          />
        </Section>
      )}
      {kind === 'link' && (
        <Section title={t('section.link')}>
          <TextField
            label={t('field.linkName')}
            field="link"
            value={def?.name ?? ''}
            onCommit={(v) => editor.setOn(element, def, { name: v })}
            disabled={readOnly}
          />
        </Section>
      )}
      {(is(bo, 'bpmn:IntermediateThrowEvent') || is(bo, 'bpmn:EndEvent')) && kind === 'message' && <JobSection {...props} />}
    </>
  );
}

function TimerFields({ editor, element, readOnly }: PropertiesPanelProps) {
  const { t } = useTranslation('designer');
  const def = eventDefinition(element.businessObject);
  // With no value yet the model cannot hold the kind: remember the choice until a value is written.
  const [chosen, setChosen] = useState<TimerKind>('duration');
  const written: TimerKind | undefined = def?.timeDate ? 'date' : def?.timeCycle ? 'cycle' : def?.timeDuration ? 'duration' : undefined;
  const kind = written ?? chosen;
  const value = expressionBody(def?.timeDate ?? def?.timeCycle ?? def?.timeDuration);
  const preview = describeTimer(kind, value, t);
  return (
    <Section title={t('section.timer')}>
      <SelectField
        label={t('field.timerKind')}
        field="timerKind"
        value={kind}
        disabled={readOnly}
        options={(['duration', 'date', 'cycle'] as const).map((k) => ({ value: k, label: t(`timer.kind.${k}`) }))}
        onChange={(v) => {
          setChosen(v as TimerKind);
          if (value) editor.setTimer(element, v as TimerKind, value);
        }}
      />
      <TextField
        label={t('field.timerValue')}
        field="timerValue"
        value={value}
        placeholder={kind === 'cycle' ? 'R3/PT1H' : kind === 'date' ? '2026-01-01T09:00:00Z' : 'PT4H'}
        error={value ? preview.error : undefined}
        hint={<span data-testid="timer-preview">{preview.text ?? ''}</span>}
        onCommit={(v) => editor.setTimer(element, kind, v)}
        disabled={readOnly}
      />
    </Section>
  );
}

function MessageFields({
  editor,
  element,
  variables = [],
  readOnly,
  owner,
}: PropertiesPanelProps & { owner: 'catch' | 'throw' | 'task' | 'send' }) {
  const { t } = useTranslation('designer');
  const bo = element.businessObject;
  const message = owner === 'task' || owner === 'send' ? bo.messageRef : eventDefinition(bo)?.messageRef;
  const correlates = owner === 'task' || (owner === 'catch' && !(is(bo, 'bpmn:StartEvent') && !bo.$parent?.triggeredByEvent));
  return (
    <Section title={t('section.message')}>
      <TextField
        label={t('field.messageName')}
        field="message"
        value={message?.name ?? ''}
        options={editor.refNames('message')}
        onCommit={(v) => editor.setRef(element, 'message', v)}
        disabled={readOnly}
      />
      {correlates && (
        <FeelField
          label={t('field.correlationKey')}
          field="correlationKey"
          value={bo.get('sl:correlationKey') ?? ''}
          placeholder="= orderId"
          variables={variables}
          onCommit={(v) => editor.set(element, { 'sl:correlationKey': v })}
          disabled={readOnly}
        />
      )}
    </Section>
  );
}

function RefField({ editor, element, readOnly, kind }: PropertiesPanelProps & { kind: 'signal' | 'error' | 'escalation' }) {
  const { t } = useTranslation('designer');
  const def = eventDefinition(element.businessObject);
  const ref = def?.[`${kind}Ref`];
  const value = kind === 'signal' ? ref?.name : (ref?.[`${kind}Code`] ?? ref?.name);
  return (
    <Section title={t(`section.${kind}`)}>
      <TextField
        label={t(`field.${kind}`)}
        field={kind}
        value={value ?? ''}
        options={editor.refNames(kind)}
        hint={kind !== 'signal' && is(element.businessObject, 'bpmn:CatchEvent') ? t('hint.catchAll') : undefined}
        onCommit={(v) => editor.setRef(element, kind, v)}
        disabled={readOnly}
      />
    </Section>
  );
}

function CallSection({ editor, element, processes = [], readOnly }: PropertiesPanelProps) {
  const { t } = useTranslation('designer');
  const bo = element.businessObject;
  return (
    <Section title={t('section.call')}>
      <TextField
        label={t('field.calledElement')}
        field="calledElement"
        value={bo.calledElement ?? ''}
        options={processes.map((p) => p.key)}
        hint={
          processes.length > 0 && (
            <select
              data-testid="process-picker"
              value=""
              disabled={readOnly}
              onChange={(e) => e.target.value && editor.set(element, { calledElement: e.target.value })}
            >
              <option value="">{t('call.pick')}</option>
              {processes.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name ? `${p.name} (${p.key})` : p.key}
                  {p.version ? ` v${p.version}` : ''}
                </option>
              ))}
            </select>
          )
        }
        onCommit={(v) => editor.set(element, { calledElement: v })}
        disabled={readOnly}
      />
      <TextField
        label={t('field.calledVersion')}
        field="calledVersion"
        value={bo.get('sl:calledVersion') ?? ''}
        placeholder={t('placeholder.latest')}
        onCommit={(v) => editor.set(element, { 'sl:calledVersion': v })}
        disabled={readOnly}
      />
      <CheckboxField
        label={t('field.propagate')}
        field="propagate"
        checked={bo.get('sl:propagateAllChildVariables') !== false}
        disabled={readOnly}
        onChange={(v) => editor.set(element, { 'sl:propagateAllChildVariables': v ? undefined : false })}
      />
    </Section>
  );
}

function LoopSection({ editor, element, variables = [], readOnly }: PropertiesPanelProps) {
  const { t } = useTranslation('designer');
  const loop = element.businessObject.loopCharacteristics;
  const mode = loop?.$type === 'bpmn:MultiInstanceLoopCharacteristics' ? (loop.isSequential ? 'sequential' : 'parallel') : 'none';
  const attr = (name: string) => (loop?.get?.(name) as string | undefined) ?? '';
  return (
    <Section title={t('section.multiInstance')}>
      <SelectField
        label={t('field.multiInstance')}
        field="multiInstance"
        value={mode}
        disabled={readOnly}
        options={(['none', 'parallel', 'sequential'] as const).map((m) => ({ value: m, label: t(`mi.${m}`) }))}
        onChange={(v) => editor.setLoop(element, v as 'none' | 'parallel' | 'sequential')}
      />
      {mode !== 'none' && (
        <>
          <FeelField
            label={t('field.collection')}
            field="collection"
            value={attr('sl:collection')}
            placeholder="= approvers"
            variables={variables}
            onCommit={(v) => editor.setLoopAttr(element, 'sl:collection', v)}
            disabled={readOnly}
          />
          <TextField
            label={t('field.elementVariable')}
            field="elementVariable"
            value={attr('sl:elementVariable')}
            onCommit={(v) => editor.setLoopAttr(element, 'sl:elementVariable', v)}
            disabled={readOnly}
          />
          <TextField
            label={t('field.outputCollection')}
            field="outputCollection"
            value={attr('sl:outputCollection')}
            onCommit={(v) => editor.setLoopAttr(element, 'sl:outputCollection', v)}
            disabled={readOnly}
          />
          <FeelField
            label={t('field.outputElement')}
            field="outputElement"
            value={attr('sl:outputElement')}
            variables={variables}
            onCommit={(v) => editor.setLoopAttr(element, 'sl:outputElement', v)}
            disabled={readOnly}
          />
          <FeelField
            label={t('field.completionCondition')}
            field="completionCondition"
            value={expressionBody(loop.completionCondition)}
            placeholder="= numberOfCompletedInstances >= 2"
            variables={[...variables, 'numberOfInstances', 'numberOfCompletedInstances', 'numberOfActiveInstances']}
            onCommit={(v) => editor.setLoopAttr(element, 'completionCondition', v)}
            disabled={readOnly}
          />
        </>
      )}
    </Section>
  );
}

/** The form a task or start event shows: a picker of the published forms when the host gives them
 * (a key no published form has stays selectable, so an imported model keeps it), free text otherwise. */
function FormKeyField({
  forms,
  value,
  onCommit,
  disabled,
}: {
  forms?: readonly FormOption[] | undefined;
  value: string;
  onCommit: (v: string) => void;
  disabled?: boolean | undefined;
}) {
  const { t } = useTranslation('designer');
  if (!forms) {
    return (
      <TextField
        label={t('field.formKey')}
        field="formKey"
        value={value}
        placeholder={t('placeholder.formKey')}
        onCommit={onCommit}
        disabled={disabled}
      />
    );
  }
  const options = [
    { value: '', label: t('field.noForm') },
    ...forms.map((f) => ({ value: f.key, label: f.name && f.name !== f.key ? `${f.name} (${f.key})` : f.key })),
    ...(value && !forms.some((f) => f.key === value) ? [{ value, label: t('field.unpublishedForm', { key: value }) }] : []),
  ];
  return <SelectField label={t('field.formKey')} field="formKey" value={value} options={options} onChange={onCommit} disabled={disabled} />;
}
