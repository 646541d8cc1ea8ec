// The agent inbox, for now a list of open tasks (another issue adds claiming and forms).

import type { Task } from '@serviceloom/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api.ts';
import { tasksApi } from './tasksApi.ts';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

export function TasksPage() {
  const { t } = useTranslation('app');
  const [tasks, setTasks] = useState<Task[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    tasksApi
      .list()
      .then(setTasks)
      .catch((e) => setError(e instanceof ApiError && e.status === 403 ? t('tasks.forbidden') : t('error.load', { message: e.message })));
  }, [t]);
  return (
    <section>
      <h1>{t('tasks.title')}</h1>
      {error && <p className="error">{error}</p>}
      {tasks && (
        <table className="table" data-testid="task-list">
          <thead>
            <tr>
              <th>{t('tasks.name')}</th>
              <th>{t('tasks.groups')}</th>
              <th>{t('tasks.assignee')}</th>
              <th>{t('tasks.due')}</th>
              <th>{t('tasks.created')}</th>
              <th>{t('tasks.instance')}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.length === 0 && (
              <tr>
                <td colSpan={6}>{t('tasks.empty')}</td>
              </tr>
            )}
            {tasks.map((task) => (
              <tr key={task.id} data-testid="task-row" data-task-id={task.id} data-element={task.elementId}>
                <td>
                  <Link to={`/tasks/${encodeURIComponent(task.id)}`} data-testid="task-open">
                    {task.name ?? task.elementId}
                  </Link>
                </td>
                <td data-testid="task-groups">{task.candidateGroups.join(', ')}</td>
                <td>{task.assignee ?? '—'}</td>
                <td>{when(task.dueAt)}</td>
                <td>{when(task.createdAt)}</td>
                <td>
                  <code>{task.processInstanceId}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
