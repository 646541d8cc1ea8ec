// The error replies of a route, for OpenAPI: each is the contract's ErrorReply.
import { ErrorReply } from '@serviceloom/contracts';

/** The error replies a route can give, for OpenAPI. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, ErrorReply]));
}
