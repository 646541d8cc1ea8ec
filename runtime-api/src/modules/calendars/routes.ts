// The calendars' routes: tenant admins write; admins and agents read (agents see due times).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Calendar, CalendarIdParams, CalendarList, CreateCalendarBody, NoContent, UpdateCalendarBody } from '@serviceloom/contracts';
import { ACCESS, type Role } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';
import type { CalendarService } from './service.ts';

export interface CalendarRoutesOptions {
  calendars: CalendarService;
}

const routes: FastifyPluginAsyncTypebox<CalendarRoutesOptions> = async (app, { calendars }) => {
  const readers = { roles: ['tenant-admin', 'agent'] as Role[] };
  const admin = { roles: ACCESS.tenantAdmin };

  app.get(
    '/api/v1/itsm/calendars',
    {
      config: readers,
      schema: {
        summary: 'Business calendars; `default` is always first (the built-in one until the tenant stores its own)',
        tags: ['itsm'],
        response: { 200: CalendarList, ...errors(401, 403) },
      },
    },
    async (request) => calendars.list(request.principal),
  );

  app.post(
    '/api/v1/itsm/calendars',
    {
      config: admin,
      schema: {
        summary: 'Add a business calendar (tenant admins): spans per weekday in its zone, holidays, make-up days',
        tags: ['itsm'],
        body: CreateCalendarBody,
        response: { 201: Calendar, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await calendars.create(request.principal, request.body)),
  );

  app.get(
    '/api/v1/itsm/calendars/:id',
    {
      config: readers,
      schema: {
        summary: 'A business calendar',
        tags: ['itsm'],
        params: CalendarIdParams,
        response: { 200: Calendar, ...errors(401, 403, 404) },
      },
    },
    async (request) => calendars.get(request.principal, request.params.id),
  );

  app.put(
    '/api/v1/itsm/calendars/:id',
    {
      config: admin,
      schema: {
        summary: 'Replace a business calendar (tenant admins); `default` may be replaced without creating it first',
        tags: ['itsm'],
        params: CalendarIdParams,
        body: UpdateCalendarBody,
        response: { 200: Calendar, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => calendars.update(request.principal, request.params.id, request.body),
  );

  app.delete(
    '/api/v1/itsm/calendars/:id',
    {
      config: admin,
      schema: {
        summary: 'Remove a business calendar (tenant admins); removing `default` brings back the built-in one',
        tags: ['itsm'],
        params: CalendarIdParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await calendars.remove(request.principal, request.params.id);
      return reply.status(204).send(null);
    },
  );
};

export default routes;
