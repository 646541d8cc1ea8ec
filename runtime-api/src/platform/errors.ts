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
