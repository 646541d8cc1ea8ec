// Starts through the API (instances, messages, signals) spend the tenant's start budget
// (SERVICELOOM_TENANT_START_BUDGET a minute, platform/outbox/budget.ts), one per request. Beyond
// it the request is answered 429 TENANT_BUDGET_EXCEEDED with Retry-After, before anything is
// written: one tenant's flood of starts cannot take the server from the others.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../platform/errors.ts';

/** A preHandler (it runs after sign-in and validation) that spends one unit of the start budget. */
export function spendStartBudget(app: FastifyInstance) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const budget = app.startBudget;
    const tenantId = request.principal.tenantId;
    if (await budget.take(tenantId)) return;
    const seconds = Math.max(1, Math.ceil(budget.retryAfterMs(tenantId) / 1000));
    reply.header('retry-after', String(seconds));
    throw new DomainError(
      'rate_limited',
      'TENANT_BUDGET_EXCEEDED',
      `your tenant's budget of ${budget.perMinute} starts a minute through the API (process instances, messages, signals) is spent; try again in ${seconds} s`,
    );
  };
}
