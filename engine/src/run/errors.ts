export type EngineErrorCode = 'NOT_FOUND' | 'INSTANCE_NOT_ACTIVE' | 'BAD_COMMAND' | 'STEP_LIMIT';

/** A command the engine refuses; the state passed in is left as it was. */
export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** A FEEL expression threw while an element ran: it becomes a fault on that element. */
export class ExpressionFailure extends Error {}
