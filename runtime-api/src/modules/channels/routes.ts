// The channels' and deliveries' routes: tenant admins only (a channel holds the tenant's secrets,
// and a delivery names who was told what).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Channel,
  ChannelList,
  ChannelTestBody,
  ChannelTestReply,
  CreateChannelBody,
  DeliveryList,
  DeliveryQuery,
  IdParams,
  NoContent,
  UpdateChannelBody,
} from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';
import type { DeliveryService } from './deliveries.ts';
import type { ChannelService } from './service.ts';

export interface ChannelRoutesOptions {
  channels: ChannelService;
  deliveries: DeliveryService;
}

const routes: FastifyPluginAsyncTypebox<ChannelRoutesOptions> = async (app, { channels, deliveries }) => {
  const admin = { roles: ACCESS.tenantAdmin };
  const tags = ['notifications'];

  app.get(
    '/api/v1/itsm/channels',
    {
      config: admin,
      schema: {
        summary: 'The notification channels (secrets left out, URL tokens masked)',
        tags,
        response: { 200: ChannelList, ...errors(401, 403) },
      },
    },
    async (request) => ({ items: await channels.list(request.principal) }),
  );

  app.post(
    '/api/v1/itsm/channels',
    {
      config: admin,
      schema: {
        summary: 'Add a notification channel; every address passes the egress guard (a refused one answers 400 naming the field)',
        tags,
        body: CreateChannelBody,
        response: { 201: Channel, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await channels.create(request.principal, request.body)),
  );

  app.get(
    '/api/v1/itsm/channels/:id',
    {
      config: admin,
      schema: {
        summary: 'One notification channel, without its secrets',
        tags,
        params: IdParams,
        response: { 200: Channel, ...errors(401, 403, 404) },
      },
    },
    async (request) => channels.get(request.principal, request.params.id),
  );

  app.put(
    '/api/v1/itsm/channels/:id',
    {
      config: admin,
      schema: {
        summary: 'Replace a channel’s kind and config; an absent secret, or the masked URL sent back, keeps the stored one',
        tags,
        params: IdParams,
        body: UpdateChannelBody,
        response: { 200: Channel, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => channels.update(request.principal, request.params.id, request.body),
  );

  app.delete(
    '/api/v1/itsm/channels/:id',
    {
      config: admin,
      schema: { summary: 'Remove a channel', tags, params: IdParams, response: { 204: NoContent, ...errors(401, 403, 404) } },
    },
    async (request, reply) => {
      await channels.remove(request.principal, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/itsm/channels/:id/test',
    {
      config: admin,
      schema: {
        summary: 'Send a test message through the channel now (email: to `to`, default your own address) and tell how it went',
        tags,
        params: IdParams,
        body: ChannelTestBody,
        response: { 200: ChannelTestReply, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => channels.test(request.principal, request.params.id, request.body?.to),
  );

  app.get(
    '/api/v1/itsm/deliveries',
    {
      config: admin,
      schema: {
        summary:
          'Notification deliveries, latest first: sent, failed, retrying (with the next attempt’s time) or blocked by the egress guard',
        tags,
        querystring: DeliveryQuery,
        response: { 200: DeliveryList, ...errors(400, 401, 403) },
      },
    },
    async (request) => ({ items: await deliveries.list(request.principal, request.query) }),
  );
};

export default routes;
