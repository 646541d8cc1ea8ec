// Jobs: service tasks worked by external workers.
import { type Static, Type } from 'typebox';
import { Variables } from './common.ts';

export const ActivatedJob = Type.Object({
  id: Type.String(),
  type: Type.String(),
  processInstanceId: Type.String(),
  elementId: Type.String(),
  variables: Variables,
  retries: Type.Integer(),
});
export type ActivatedJob = Static<typeof ActivatedJob>;

export const ActivatedJobList = Type.Array(ActivatedJob);
export type ActivatedJobList = Static<typeof ActivatedJobList>;

export const JobState = Type.Object({
  id: Type.String(),
  type: Type.String(),
  status: Type.String(),
  retries: Type.Integer(),
  processInstanceId: Type.String(),
  elementId: Type.String(),
});
export type JobState = Static<typeof JobState>;

export const ActivateJobsBody = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 200 }),
    maxJobs: Type.Integer({ minimum: 1, maximum: 100 }),
    lockDuration: Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 2, maxLength: 50 })], {
      description: 'How long the jobs stay locked to you: milliseconds, or an ISO 8601 duration (PT5M)',
    }),
  },
  { additionalProperties: false },
);
export type ActivateJobsBody = Static<typeof ActivateJobsBody>;

export const CompleteJobBody = Type.Object({ variables: Type.Optional(Variables) }, { additionalProperties: false });
export type CompleteJobBody = Static<typeof CompleteJobBody>;

export const FailJobBody = Type.Object(
  {
    message: Type.String({ maxLength: 4000 }),
    retries: Type.Integer({ minimum: 0, maximum: 100 }),
    retryBackoff: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 2, maxLength: 50 })], {
        description: 'Wait this long before offering the job again: milliseconds, or an ISO 8601 duration (PT30S)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type FailJobBody = Static<typeof FailJobBody>;

export const ThrowErrorBody = Type.Object(
  { errorCode: Type.String({ minLength: 1, maxLength: 200 }), message: Type.Optional(Type.String({ maxLength: 4000 })) },
  { additionalProperties: false },
);
export type ThrowErrorBody = Static<typeof ThrowErrorBody>;
