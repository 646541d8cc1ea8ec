// The agent inbox, for now a list of open tasks (another issue adds claiming, queues and filters).

import type { Task } from '@serviceloom/contracts';
import { Alert, Flex, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api.ts';
import { errorSentence } from '../../shell/errors.ts';
import { useFormat } from '../../shell/format.ts';
import { tasksApi } from './tasksApi.ts';

export function TasksPage() {
  const { t } = useTranslation('app');
  const format = useFormat();
  const [tasks, setTasks] = useState<Task[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    tasksApi
      .list()
      .then(setTasks)
      .catch((e) =>
        setError(e instanceof ApiError && e.status === 403 ? t('tasks.forbidden') : t('error.load', { message: errorSentence(t, e) })),
      );
  }, [t]);
  return (
    <section>
      <Flex className="page-header" justify="space-between" align="center">
        <Typography.Title level={3}>{t('tasks.title')}</Typography.Title>
      </Flex>
      {error && <Alert type="error" showIcon title={error} />}
      {!error && (
        <div data-testid="task-list">
          <Table<Task>
            rowKey="id"
            size="middle"
            loading={!tasks}
            dataSource={tasks ?? []}
            locale={{ emptyText: t('tasks.empty') }}
            pagination={(tasks?.length ?? 0) > 20 ? { pageSize: 20 } : false}
            onRow={(task) =>
              ({ 'data-testid': 'task-row', 'data-task-id': task.id, 'data-element': task.elementId }) as React.HTMLAttributes<HTMLElement>
            }
            columns={[
              {
                title: t('tasks.name'),
                render: (_, task) => (
                  <Link to={`/tasks/${encodeURIComponent(task.id)}`} data-testid="task-open">
                    {task.name ?? task.elementId}
                  </Link>
                ),
              },
              {
                title: t('tasks.groups'),
                render: (_, task) => <span data-testid="task-groups">{task.candidateGroups.join(', ')}</span>,
              },
              { title: t('tasks.assignee'), render: (_, task) => task.assignee ?? <Tag>{t('tasks.unassigned')}</Tag> },
              { title: t('tasks.due'), render: (_, task) => format.dateTime(task.dueAt) },
              { title: t('tasks.created'), render: (_, task) => format.dateTime(task.createdAt) },
              {
                title: t('tasks.instance'),
                render: (_, task) => <Typography.Text code>{task.processInstanceId.slice(0, 8)}</Typography.Text>,
              },
            ]}
          />
        </div>
      )}
    </section>
  );
}

export default TasksPage;
