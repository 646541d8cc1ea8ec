import { EngineError } from '@serviceloom/engine';
// Errors a caller can act on. Every one becomes `{ code, message, details? }` with its status.
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown[]) => new ApiError(400, code, message, details);
export const unauthorized = (message = 'sign in first: send Authorization: Bearer <token>') => new ApiError(401, 'UNAUTHORIZED', message);
export const forbidden = (message: string) => new ApiError(403, 'FORBIDDEN', message);
export const notFound = (what: string, id: string) => new ApiError(404, 'NOT_FOUND', `${what} "${id}" does not exist`);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
export const tooLarge = (message: string) => new ApiError(413, 'PAYLOAD_TOO_LARGE', message);

/** Engine refusals are the caller's doing: give them a 4xx. */
export function engineErrorToApi(e: unknown): unknown {
  if (!(e instanceof EngineError)) return e;
  switch (e.code) {
    case 'NOT_FOUND':
      return new ApiError(404, 'NOT_FOUND', e.message);
    case 'INSTANCE_NOT_ACTIVE':
      return new ApiError(409, 'INSTANCE_NOT_ACTIVE', e.message);
    case 'STEP_LIMIT':
      return new ApiError(422, 'STEP_LIMIT', e.message);
    default:
      return new ApiError(400, 'BAD_COMMAND', e.message);
  }
}
