import { EngineError } from '@serviceloom/engine';
// Errors a caller can act on, raised by services in the domain's terms: what kind of refusal it
// is, a machine-readable code and a sentence. Services know nothing of HTTP; the errors plugin
// (platform/plugins/errors.ts) is the one place that turns a kind into a status.
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media'
  | 'unprocessable'
  | 'rate_limited'
  | 'upstream';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown[]) => new DomainError('invalid', code, message, details);
export const unauthorized = (message = 'sign in first: send Authorization: Bearer <token>') =>
  new DomainError('unauthenticated', 'UNAUTHORIZED', message);
export const forbidden = (message: string) => new DomainError('forbidden', 'FORBIDDEN', message);
export const notFound = (what: string, id: string) => new DomainError('not_found', 'NOT_FOUND', `${what} "${id}" does not exist`);
export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
export const tooLarge = (message: string) => new DomainError('too_large', 'PAYLOAD_TOO_LARGE', message);

/** Engine refusals are the caller's doing: give them a caller's kind of error. */
export function engineErrorToDomain(e: unknown): unknown {
  if (!(e instanceof EngineError)) return e;
  switch (e.code) {
    case 'NOT_FOUND':
      return new DomainError('not_found', 'NOT_FOUND', e.message);
    case 'INSTANCE_NOT_ACTIVE':
      return new DomainError('conflict', 'INSTANCE_NOT_ACTIVE', e.message);
    case 'STEP_LIMIT':
      return new DomainError('unprocessable', 'STEP_LIMIT', e.message);
    default:
      return new DomainError('invalid', 'BAD_COMMAND', e.message);
  }
}
