// The definitions API as the designer pages use it: deployed versions, drafts, and the instances
// and history the designer replays.
import type { ReplayEntry } from '@serviceloom/designer';
import { api } from '../../api.ts';

export const designerApi = {
  latest: () => api.call('definitions.list'),
  versions: (key: string) => api.call('definitions.versions', { params: { key } }),
  definition: (id: string) => api.call('definitions.get', { params: { id } }),
  deploy: (bpmnXml: string) => api.call('definitions.deploy', { body: { bpmnXml } }),
  importCheck: (bpmnXml: string) => api.call('definitions.importCheck', { body: { bpmnXml } }),
  drafts: () => api.call('drafts.list'),
  draft: (key: string) => api.call('drafts.get', { params: { key } }),
  saveDraft: (key: string, bpmnXml: string) => api.call('drafts.save', { params: { key }, body: { bpmnXml } }),
  groups: () => api.call('groups.list'),
  instances: (definitionKey: string) => api.call('instances.list', { query: { definitionKey } }),
  history: (instanceId: string): Promise<ReplayEntry[]> => api.call('instances.history', { params: { id: instanceId } }),
};
