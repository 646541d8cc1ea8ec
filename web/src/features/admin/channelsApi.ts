// The channels and deliveries API as the Channels and Deliveries tabs use it.
import type { ChannelTestBody, CreateChannelBody, DeliveryQuery, UpdateChannelBody } from '@serviceloom/contracts';
import { api } from '../../api.ts';

export const channelsApi = {
  list: () => api.call('channels.list'),
  create: (body: CreateChannelBody) => api.call('channels.create', { body }),
  update: (id: string, body: UpdateChannelBody) => api.call('channels.update', { params: { id }, body }),
  remove: (id: string) => api.call('channels.delete', { params: { id } }),
  test: (id: string, body: ChannelTestBody) => api.call('channels.test', { params: { id }, body }),
  deliveries: (query: DeliveryQuery) => api.call('deliveries.list', { query }),
};
