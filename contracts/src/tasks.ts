// User tasks: the inbox, claiming and completing.
import { type Static, Type } from 'typebox';
import { Nullable, Variables } from './common.ts';

export const TaskStatus = Type.Union([Type.Literal('open'), Type.Literal('completed'), Type.Literal('cancelled')]);
export type TaskStatus = Static<typeof TaskStatus>;

export const Task = Type.Object({
  id: Type.String(),
  elementId: Type.String(),
  name: Nullable(Type.String()),
  processInstanceId: Type.String(),
  assignee: Nullable(Type.String()),
  candidateGroups: Type.Array(Type.String()),
  formKey: Nullable(Type.String()),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  status: TaskStatus,
});
export type Task = Static<typeof Task>;

export const TaskList = Type.Array(Task);
export type TaskList = Static<typeof TaskList>;

export const TaskQuery = Type.Object(
  {
    processInstanceId: Type.Optional(Type.String()),
    assignee: Type.Optional(Type.String()),
    candidateGroup: Type.Optional(Type.String()),
    status: Type.Optional(TaskStatus),
  },
  { additionalProperties: false },
);
export type TaskQuery = Static<typeof TaskQuery>;

export const CompleteTaskBody = Type.Object({ variables: Type.Optional(Variables) }, { additionalProperties: false });
export type CompleteTaskBody = Static<typeof CompleteTaskBody>;
