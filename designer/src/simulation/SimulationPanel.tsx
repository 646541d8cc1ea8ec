// Simulation and replay on the diagram: the real engine runs the model being edited (start it,
// complete tasks and jobs, deliver messages and signals, jump the clock); a replay steps through a
// real instance's history. Both show tokens on the canvas through the same markers.
import type { Definition, Variables, Wait } from '@serviceloom/engine';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlMarkers } from '../modeler/markers.ts';
import { describeEngineError, Simulation, tokensFromHistory } from './simulator.ts';

export interface ReplayEntry {
  elementId: string;
  elementType?: string;
  event: 'started' | 'completed' | 'cancelled' | 'taken';
  at: string;
}

export interface InstanceOption {
  id: string;
  status: string;
  version?: number;
  startedAt?: string;
}

/** How the host renders a user task's form in the simulation; `fallback` is the JSON box, for when it has none. */
export type TaskFormRenderer = (props: {
  formKey: string;
  elementId: string;
  submit: (variables: Variables) => void;
  fallback: ReactNode;
}) => ReactNode;

interface Props {
  /** Compiles the diagram as it is now; rejects with the problems when it cannot run. */
  compile?: () => Promise<Definition>;
  markers: SlMarkers;
  nameOf: (elementId: string) => string | undefined;
  /** A user task's form key (sl:formKey), for rendering its form. */
  formKeyOf?: (elementId: string) => string | undefined;
  renderTaskForm?: TaskFormRenderer;
  loadHistory?: (instanceId: string) => Promise<ReplayEntry[]>;
  /** Recent instances of this process, offered for a replay. */
  listInstances?: () => Promise<InstanceOption[]>;
}

function parseVars(text: string): Variables {
  if (!text.trim()) return {};
  const v = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('variables must be a JSON object');
  return v as Variables;
}

export function SimulationPanel({ compile, markers, nameOf, formKeyOf, renderTaskForm, loadHistory, listInstances }: Props) {
  const { t } = useTranslation('designer');
  const [sim, setSim] = useState<Simulation>();
  const [, setTick] = useState(0);
  const [startVars, setStartVars] = useState('{}');
  const [error, setError] = useState<string>();
  const [replay, setReplay] = useState<{ id: string; entries: ReplayEntry[]; step: number }>();
  const [replayId, setReplayId] = useState('');
  const [instances, setInstances] = useState<InstanceOption[]>([]);

  useEffect(() => {
    listInstances?.().then(setInstances, () => setInstances([]));
  }, [listInstances]);

  const refresh = useCallback(
    (s: Simulation | undefined) => {
      if (s) markers.showTokens(s.tokens());
      setTick((n) => n + 1);
    },
    [markers],
  );

  useEffect(() => () => markers.clearTokens(), [markers]);

  useEffect(() => {
    if (replay) markers.showTokens(tokensFromHistory(replay.entries.slice(0, replay.step)));
  }, [replay, markers]);

  const run = (fn: () => void) => {
    setError(undefined);
    try {
      fn();
    } catch (e) {
      setError(describeEngineError(e));
    }
    refresh(sim);
  };

  const start = async () => {
    setError(undefined);
    setReplay(undefined);
    if (!compile) return;
    try {
      const vars = parseVars(startVars);
      const s = new Simulation(await compile());
      s.start(vars);
      setSim(s);
      refresh(s);
    } catch (e) {
      setError(describeEngineError(e));
    }
  };

  const loadReplay = async () => {
    if (!loadHistory || !replayId.trim()) return;
    setError(undefined);
    try {
      const entries = await loadHistory(replayId.trim());
      setSim(undefined);
      setReplay({ id: replayId.trim(), entries, step: entries.length });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const waits = sim?.waits() ?? [];
  const label = (id: string) => (nameOf(id) ? `${nameOf(id)} (${id})` : id);

  return (
    <section className="sl-simulation" data-testid="simulation-panel" aria-label={t('sim.title')}>
      {compile && (
        <div className="sl-sim-start">
          <label htmlFor="sl-sim-vars">{t('sim.startVariables')}</label>
          <textarea
            id="sl-sim-vars"
            data-testid="sim-start-variables"
            rows={3}
            value={startVars}
            onChange={(e) => setStartVars(e.target.value)}
          />
          <button type="button" className="sl-primary" data-testid="sim-start" onClick={start}>
            {sim ? t('sim.restart') : t('sim.start')}
          </button>
        </div>
      )}
      {error && (
        <div className="sl-sim-error" role="alert" data-testid="sim-error">
          {error}
        </div>
      )}
      {sim && (
        <>
          <div className="sl-sim-status">
            <span data-testid="sim-status" data-status={sim.status}>
              {t(`sim.status.${sim.status}`)}
            </span>
            <span className="sl-sim-clock" data-testid="sim-clock">
              {t('sim.clock', { time: new Date(sim.now).toISOString().replace('T', ' ').slice(0, 19) })}
            </span>
            {waits.some((w) => w.kind === 'timer') && (
              <button type="button" data-testid="sim-advance" onClick={() => run(() => sim.advanceToNextTimer())}>
                {t('sim.advance')}
              </button>
            )}
          </div>
          <ul className="sl-sim-waits" data-testid="sim-waits">
            {waits.length === 0 && sim.status === 'active' && <li>{t('sim.noWaits')}</li>}
            {waits.map((w) => (
              <WaitItem
                key={w.id}
                wait={w}
                label={label(w.trigger)}
                sim={sim}
                run={run}
                formKey={formKeyOf?.(w.trigger)}
                renderTaskForm={renderTaskForm}
              />
            ))}
          </ul>
          {sim.faults().length > 0 && (
            <ul className="sl-sim-faults">
              {sim.faults().map((f) => (
                <li key={f.id} data-testid={`sim-fault-${f.elementId}`}>
                  {label(f.elementId)}: {f.message}{' '}
                  <button type="button" onClick={() => run(() => sim.apply({ type: 'retryFault', faultId: f.id }))}>
                    {t('sim.retry')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {sim.status === 'active' && <SetVariables run={run} sim={sim} />}
          <h4>{t('sim.variables')}</h4>
          <pre data-testid="sim-variables">{JSON.stringify(sim.variables, null, 2)}</pre>
          <h4>{t('sim.path')}</h4>
          <ol className="sl-sim-path" data-testid="sim-path">
            {sim.history.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: history is append-only
              <li key={i} data-element={h.elementId} data-event={h.event}>
                {t(`sim.event.${h.event}`)} {label(h.elementId)}
              </li>
            ))}
          </ol>
        </>
      )}
      {loadHistory && (
        <div className="sl-replay">
          <h4>{t('replay.title')}</h4>
          {instances.length > 0 && (
            <select
              data-testid="replay-instances"
              aria-label={t('replay.pick')}
              value=""
              onChange={(e) => e.target.value && setReplayId(e.target.value)}
            >
              <option value="">{t('replay.pick')}</option>
              {instances.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.startedAt ? `${i.startedAt.replace('T', ' ').slice(0, 16)} · ` : ''}
                  {i.version ? `v${i.version} · ` : ''}
                  {t(`sim.status.${i.status}`, { defaultValue: i.status })} · {i.id.slice(0, 8)}
                </option>
              ))}
            </select>
          )}
          <input
            data-testid="replay-instance-id"
            placeholder={t('replay.instanceId')}
            aria-label={t('replay.instanceId')}
            value={replayId}
            onChange={(e) => setReplayId(e.target.value)}
          />
          <button type="button" data-testid="replay-load" onClick={loadReplay}>
            {t('replay.load')}
          </button>
          {replay && (
            <div data-testid="replay-view">
              <input
                type="range"
                min={0}
                max={replay.entries.length}
                value={replay.step}
                aria-label={t('replay.step')}
                onChange={(e) => setReplay({ ...replay, step: Number(e.target.value) })}
              />
              <span>{t('replay.stepOf', { step: replay.step, total: replay.entries.length })}</span>
              <ol className="sl-sim-path">
                {replay.entries.slice(0, replay.step).map((h, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: history is append-only
                  <li key={i}>
                    {new Date(h.at).toISOString().slice(11, 19)} {t(`sim.event.${h.event}`)} {label(h.elementId)}
                  </li>
                ))}
              </ol>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function WaitItem({
  wait,
  label,
  sim,
  run,
  formKey,
  renderTaskForm,
}: {
  wait: Wait;
  label: string;
  sim: Simulation;
  run: (fn: () => void) => void;
  formKey?: string | undefined;
  renderTaskForm?: TaskFormRenderer | undefined;
}) {
  const { t } = useTranslation('designer');
  const [vars, setVars] = useState('{}');
  const [code, setCode] = useState('');
  const el = wait.trigger;
  const varsBox = (
    <textarea
      rows={2}
      value={vars}
      aria-label={t('sim.variablesJson')}
      data-testid={`sim-vars-${el}`}
      onChange={(e) => setVars(e.target.value)}
    />
  );
  return (
    <li className={`sl-wait sl-wait-${wait.kind}`} data-testid={`sim-wait-${el}`} data-kind={wait.kind}>
      <div>
        <strong>{t(`sim.wait.${wait.kind}`)}</strong> {label}
        {wait.name ? ` · ${wait.name}` : ''}
        {wait.correlationKey ? ` · ${t('sim.key')} ${wait.correlationKey}` : ''}
        {wait.jobType ? ` · ${wait.jobType}` : ''}
        {wait.dueAt ? ` · ${t('sim.due', { time: wait.dueAt.replace('T', ' ').slice(0, 19) })}` : ''}
      </div>
      {wait.kind === 'task' &&
        (() => {
          const complete = (variables: Variables) => run(() => sim.apply({ type: 'completeTask', taskId: wait.id, variables }));
          const json = (
            <>
              {varsBox}
              <button type="button" data-testid={`sim-complete-${el}`} onClick={() => complete(parseVars(vars))}>
                {t('sim.complete')}
              </button>
            </>
          );
          // A task with a form shows the form, as the person working it would see it.
          return formKey && renderTaskForm ? renderTaskForm({ formKey, elementId: el, submit: complete, fallback: json }) : json;
        })()}
      {wait.kind === 'job' && (
        <>
          {varsBox}
          <button
            type="button"
            data-testid={`sim-complete-${el}`}
            onClick={() => run(() => sim.apply({ type: 'completeJob', jobId: wait.id, variables: parseVars(vars) }))}
          >
            {t('sim.completeJob')}
          </button>
          <button
            type="button"
            onClick={() => run(() => sim.apply({ type: 'failJob', jobId: wait.id, retries: 0, message: 'failed in simulation' }))}
          >
            {t('sim.failJob')}
          </button>
          <input value={code} placeholder={t('sim.errorCode')} aria-label={t('sim.errorCode')} onChange={(e) => setCode(e.target.value)} />
          <button
            type="button"
            disabled={!code}
            onClick={() => run(() => sim.apply({ type: 'throwError', jobId: wait.id, errorCode: code }))}
          >
            {t('sim.throwError')}
          </button>
        </>
      )}
      {wait.kind === 'timer' && (
        <button
          type="button"
          data-testid={`sim-fire-${el}`}
          onClick={() =>
            run(() => {
              sim.now = Math.max(sim.now, Date.parse(wait.dueAt ?? '') || sim.now);
              sim.apply({ type: 'timerFired', timerId: wait.id });
            })
          }
        >
          {t('sim.fire')}
        </button>
      )}
      {wait.kind === 'message' && (
        <>
          {varsBox}
          <button
            type="button"
            data-testid={`sim-deliver-${el}`}
            onClick={() => run(() => sim.apply({ type: 'deliverMessage', subscriptionId: wait.id, variables: parseVars(vars) }))}
          >
            {t('sim.deliver')}
          </button>
        </>
      )}
      {wait.kind === 'signal' && (
        <>
          {varsBox}
          <button
            type="button"
            data-testid={`sim-signal-${el}`}
            onClick={() => run(() => sim.apply({ type: 'signal', name: wait.name ?? '', variables: parseVars(vars) }))}
          >
            {t('sim.signal')}
          </button>
        </>
      )}
      {wait.kind === 'call' && (
        <>
          {varsBox}
          <button
            type="button"
            data-testid={`sim-complete-${el}`}
            onClick={() => run(() => sim.apply({ type: 'childCompleted', callId: wait.id, variables: parseVars(vars) }))}
          >
            {t('sim.completeCall')}
          </button>
        </>
      )}
    </li>
  );
}

function SetVariables({ sim, run }: { sim: Simulation; run: (fn: () => void) => void }) {
  const { t } = useTranslation('designer');
  const [vars, setVars] = useState('{}');
  return (
    <details className="sl-sim-setvars">
      <summary>{t('sim.setVariables')}</summary>
      <textarea rows={2} value={vars} aria-label={t('sim.variablesJson')} onChange={(e) => setVars(e.target.value)} />
      <button type="button" onClick={() => run(() => sim.apply({ type: 'setVariables', variables: parseVars(vars) }))}>
        {t('sim.apply')}
      </button>
    </details>
  );
}
