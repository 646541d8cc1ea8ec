// The tasks API as the task pages use it.
import type { TaskQuery } from '@serviceloom/contracts';
import { api } from '../../api.ts';

export const tasksApi = {
  list: (query?: TaskQuery) => api.call('tasks.list', { query }),
  get: (id: string) => api.call('tasks.get', { params: { id } }),
  complete: (id: string, variables?: Record<string, unknown>) =>
    api.call('tasks.complete', { params: { id }, body: variables ? { variables } : {} }),
};
