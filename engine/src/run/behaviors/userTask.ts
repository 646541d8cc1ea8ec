import { addDuration, checkTimerLiteral, firstSchedule } from '../../timer.ts';
import type { Behavior } from './index.ts';

function groups(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return list.map((g) => String(g).trim()).filter((g) => g !== '');
}

/** A due date given as a duration counts from now; as a date (UTC unless it has an offset), it is taken as it is. */
function dueAt(value: unknown, now: number): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (checkTimerLiteral('duration', text) === undefined) return addDuration(now, text);
  if (checkTimerLiteral('date', text) === undefined) return firstSchedule('date', text, now).dueAt;
  return undefined;
}

/** Creates a task for people; it completes when someone completes the task. */
export const userTask: Behavior = {
  enter(step, ei, node) {
    const def = node.userTask ?? {};
    const assignee = def.assignee ? step.valueOf(def.assignee, ei.id) : undefined;
    const candidateGroups = def.candidateGroups ? groups(step.valueOf(def.candidateGroups, ei.id)) : [];
    const due = def.dueDate ? dueAt(step.valueOf(def.dueDate, ei.id), step.now) : undefined;
    const w = step.openWait({ kind: 'task', owner: ei.id, trigger: node.id });
    step.emit({
      type: 'taskCreated',
      taskId: w.id,
      elementId: node.id,
      candidateGroups,
      ...(node.name ? { name: node.name } : {}),
      ...(assignee !== undefined && assignee !== null && assignee !== '' ? { assignee: String(assignee) } : {}),
      ...(def.formKey ? { formKey: def.formKey } : {}),
      ...(due ? { dueAt: due } : {}),
    });
  },
};
