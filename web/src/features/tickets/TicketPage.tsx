// One ticket (/tickets/:number): number, state, priority, its fields and form, the actions the
// caller may perform now as buttons with their dialogs, the activity (comments, work notes, every
// change), relations and children, and the process diagram with where the ticket stands. Live:
// a change by anyone else reloads it.
import { ArrowLeftOutlined, LockOutlined, SendOutlined } from '@ant-design/icons';
import type { Ticket } from '@serviceloom/contracts';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Result,
  Row,
  Skeleton,
  Space,
  Switch,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api.ts';
import { hasRole, useSession } from '../../session.tsx';
import { useToast } from '../../shell/toast.ts';
import { ActionDialog } from './ActionDialog.tsx';
import { processOf, type TimelineEntry, ticketsApi } from './api.ts';
import { errorText, fullDate, PriorityTag, personName, StateTag, useItsm, When } from './components.tsx';
import { SlaPanel, type SlaRecord, useSlaEntryText } from './sla.tsx';
import { TicketAttachments } from './TicketAttachments.tsx';
import { useTicketStream } from './useTicketStream.ts';

const ProcessDiagram = lazy(() => import('./ProcessDiagram.tsx'));
const TicketFieldsForm = lazy(() => import('./TicketFieldsForm.tsx'));

/** The order the action buttons come in; the primary one is the first the ticket offers. */
const ACTION_ORDER = ['start', 'resume', 'resolve', 'close', 'hold', 'assign', 'reopen', 'urge', 'rate', 'declare-major', 'cancel'];
const DANGER = new Set(['cancel', 'declare-major']);

export default function TicketPage() {
  const { number = '' } = useParams();
  const { t, i18n } = useItsm();
  const session = useSession();
  const agent = hasRole(session, 'agent', 'tenant-admin');
  const navigate = useNavigate();
  const [ticket, setTicket] = useState<Ticket>();
  const [timeline, setTimeline] = useState<TimelineEntry[]>([]);
  const [error, setError] = useState<{ status?: number; text: string }>();
  const [action, setAction] = useState<string>();
  const toast = useToast();

  const load = useCallback(async () => {
    try {
      const [tk, tl] = await Promise.all([ticketsApi.get(number), ticketsApi.timeline(number)]);
      setTicket(tk);
      setTimeline(tl);
      setError(undefined);
    } catch (e) {
      setError({ status: (e as { status?: number }).status, text: errorText(e) });
    }
  }, [number]);

  useEffect(() => {
    setTicket(undefined);
    void load();
  }, [load]);

  useTicketStream((event) => {
    if (!event || event.number === number) void load();
  });

  if (error?.status === 404) return <Result status="404" title={t('ticket.notFound', { number })} />;
  if (error && !ticket) return <Alert type="error" showIcon title={t('common.error', { message: error.text })} />;
  if (!ticket) return <Skeleton active />;

  const actions = [...ticket.actions].sort((a, b) => order(a) - order(b));
  const lng = i18n.language;

  return (
    <section data-testid="ticket" aria-labelledby="ticket-heading">
      <Space align="center" wrap style={{ marginBottom: 12 }}>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('ticket.back')} />
        <Typography.Title level={3} style={{ margin: 0 }} id="ticket-heading">
          <span data-testid="ticket-number">{ticket.number}</span> · {ticket.title}
        </Typography.Title>
        <StateTag state={ticket.state} />
        <PriorityTag priority={ticket.priority} />
        <Tag>{t(`type.${ticket.type}`)}</Tag>
        {ticket.major && <Tag color="red">{t('ticket.major')}</Tag>}
        {ticket.urgeCount > 0 && <Tag color="orange">{t('ticket.urged', { count: ticket.urgeCount })}</Tag>}
      </Space>

      <Card size="small" style={{ marginBottom: 12 }} data-testid="ticket-actions">
        {actions.length === 0 ? (
          <Typography.Text type="secondary">{t('ticket.noActions')}</Typography.Text>
        ) : (
          <Space wrap>
            {actions.map((a, i) => (
              <Button
                key={a}
                type={i === 0 ? 'primary' : 'default'}
                danger={DANGER.has(a)}
                onClick={() => setAction(a)}
                data-testid={`ticket-action-${a}`}
              >
                {t(`action.${a}`, { defaultValue: a })}
              </Button>
            ))}
          </Space>
        )}
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('ticket.details')}>
            <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
              <Descriptions.Item label={t('ticket.requester')}>{personName(ticket.requester)}</Descriptions.Item>
              <Descriptions.Item label={t('ticket.assignee')}>
                <span data-testid="ticket-assignee">{personName(ticket.assignee)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('ticket.group')}>{ticket.assignmentGroup?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('ticket.category')}>
                {ticket.category ? t(`portal.categories.${ticket.category}`, { defaultValue: ticket.category }) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('ticket.impact')}>{ticket.impact}</Descriptions.Item>
              <Descriptions.Item label={t('ticket.urgency')}>{ticket.urgency}</Descriptions.Item>
              <Descriptions.Item label={t('ticket.opened')}>{fullDate(ticket.openedAt, lng)}</Descriptions.Item>
              <Descriptions.Item label={t('ticket.updated')}>{fullDate(ticket.updatedAt, lng)}</Descriptions.Item>
              {ticket.holdReason && ticket.state === 'on_hold' && (
                <Descriptions.Item label={t('ticket.holdReason')}>
                  {t(`holdReason.${ticket.holdReason}`, { defaultValue: ticket.holdReason })}
                </Descriptions.Item>
              )}
              {ticket.resolvedAt && <Descriptions.Item label={t('ticket.resolved')}>{fullDate(ticket.resolvedAt, lng)}</Descriptions.Item>}
              {ticket.closeCode && (
                <Descriptions.Item label={t('ticket.closeCode')}>
                  {t(`closeCode.${ticket.closeCode}`, { defaultValue: ticket.closeCode })}
                </Descriptions.Item>
              )}
              {ticket.resolutionNotes && (
                <Descriptions.Item label={t('ticket.resolutionNotes')} span={2}>
                  {ticket.resolutionNotes}
                </Descriptions.Item>
              )}
              {ticket.csat && <Descriptions.Item label={t('ticket.csat')}>{'★'.repeat(ticket.csat.score)}</Descriptions.Item>}
            </Descriptions>
            {ticket.description && (
              <>
                <Typography.Title level={5} style={{ marginTop: 16 }}>
                  {t('ticket.description')}
                </Typography.Title>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{ticket.description}</Typography.Paragraph>
              </>
            )}
            <TicketFields ticket={ticket} />
          </Card>

          <Card size="small" title={t('ticket.timeline')} style={{ marginTop: 16 }}>
            <CommentBox
              number={ticket.number}
              agent={agent}
              onSent={(updated) => {
                setTicket(updated);
                void load();
              }}
            />
            <ActivityList entries={timeline} />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title={t('ticket.diagram')}>
            <Diagram ticket={ticket} />
          </Card>
          <SlaPanel sla={ticket.sla as unknown as SlaRecord[]} />
          <TicketAttachments number={ticket.number} revision={ticket.updatedAt} />
          {(ticket.parent || ticket.children.length > 0 || ticket.relations.length > 0) && (
            <Card size="small" title={t('ticket.relations')} style={{ marginTop: 16 }} data-testid="ticket-relations">
              <Space direction="vertical">
                {ticket.parent && (
                  <span>
                    {t('ticket.parent')}: <Link to={`/tickets/${ticket.parent}`}>{ticket.parent}</Link>
                  </span>
                )}
                {ticket.children.length > 0 && (
                  <span>
                    {t('ticket.children')}:{' '}
                    {ticket.children.map((c) => (
                      <Link key={c} to={`/tickets/${c}`} style={{ marginRight: 8 }}>
                        {c}
                      </Link>
                    ))}
                  </span>
                )}
                {ticket.relations.map((r) => (
                  <span key={`${r.kind}-${r.number}`}>
                    <Tag>{r.kind}</Tag>
                    {/^[A-Z]{3}\d+$/.test(r.number) ? <Link to={`/tickets/${r.number}`}>{r.number}</Link> : r.number}
                  </span>
                ))}
              </Space>
            </Card>
          )}
        </Col>
      </Row>

      <ActionDialog
        ticket={ticket}
        action={action}
        onClose={() => setAction(undefined)}
        onDone={(updated) => {
          toast.success(t('action.done', { action: t(`action.${action}`, { defaultValue: action }) }));
          setAction(undefined);
          setTicket(updated);
          void load();
        }}
      />
    </section>
  );
}

const order = (a: string) => {
  const i = ACTION_ORDER.indexOf(a);
  return i < 0 ? ACTION_ORDER.length : i;
};

/** The tenant's own fields, through the type's published form when there is one. */
function TicketFields({ ticket }: { ticket: Ticket }) {
  const { t } = useItsm();
  const [form, setForm] = useState<{ schema: object; uiSchema: object } | null>();
  const formKey = ticket.type === 'request' ? ticket.catalogItem : ticket.type;
  useEffect(() => {
    if (!formKey) return setForm(null);
    api
      .call('forms.version', { params: { key: formKey, version: 'latest' } })
      .then((v) => setForm({ schema: v.schema as object, uiSchema: (v.uiSchema ?? {}) as object }))
      .catch(() => setForm(null));
  }, [formKey]);
  const entries = Object.entries(ticket.fields);
  if (!entries.length && !form) return null;
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('ticket.fields')}
      </Typography.Title>
      {form ? (
        <Suspense fallback={null}>
          <TicketFieldsForm schema={form.schema} uiSchema={form.uiSchema ?? {}} formData={withStandardFields(ticket)} />
        </Suspense>
      ) : (
        <Descriptions size="small" column={1} bordered>
          {entries.map(([k, v]) => (
            <Descriptions.Item key={k} label={k}>
              {typeof v === 'object' ? JSON.stringify(v) : String(v)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </>
  );
}

function Diagram({ ticket }: { ticket: Ticket }) {
  const { t } = useItsm();
  const [process, setProcess] = useState<{ xml: string; active: string[] | undefined } | null>();
  // The diagram follows the state: reload the position when it changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the state and version decide the position
  useEffect(() => {
    processOf(ticket)
      .then((p) => setProcess(p ?? null))
      .catch(() => setProcess(null));
  }, [ticket.number, ticket.state, ticket.definitionVersion, ticket.processInstanceId]);
  if (process === undefined) return <Skeleton.Image active style={{ width: '100%', height: 200 }} />;
  if (process === null) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ticket.diagramUnavailable')} />;
  return (
    <Suspense fallback={<Skeleton.Image active />}>
      <ProcessDiagram xml={process.xml} active={process.active} state={ticket.state} />
    </Suspense>
  );
}

function CommentBox({ number, agent, onSent }: { number: string; agent: boolean; onSent(t: Ticket): void }) {
  const { t } = useItsm();
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const send = async () => {
    if (!body.trim()) return;
    setBusy(true);
    try {
      const updated = await ticketsApi.comment(number, body.trim(), agent && internal);
      setBody('');
      setError(undefined);
      onSent(updated);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ marginBottom: 16 }}>
      <Input.TextArea
        value={body}
        onChange={(e) => setBody(e.target.value)}
        placeholder={t('ticket.commentPlaceholder')}
        autoSize={{ minRows: 2, maxRows: 8 }}
        aria-label={t('ticket.comment')}
        data-testid="ticket-comment"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send();
        }}
        style={internal ? { background: '#fffbe6' } : undefined}
      />
      <Space style={{ marginTop: 8, width: '100%', justifyContent: 'space-between' }}>
        {agent ? (
          <Space size={6}>
            <Switch
              size="small"
              id="ticket-comment-internal"
              checked={internal}
              onChange={setInternal}
              data-testid="ticket-comment-internal"
            />
            <label htmlFor="ticket-comment-internal">
              <LockOutlined /> {t('ticket.internal')}
            </label>
          </Space>
        ) : (
          <span />
        )}
        <Button
          type="primary"
          icon={<SendOutlined />}
          loading={busy}
          onClick={send}
          disabled={!body.trim()}
          data-testid="ticket-comment-submit"
        >
          {t('ticket.send')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
    </div>
  );
}

/** The activity, newest first: comments and work notes in full, the rest as one line each. */
function ActivityList({ entries }: { entries: TimelineEntry[] }) {
  const { t } = useItsm();
  const slaText = useSlaEntryText();
  const describe = (e: TimelineEntry): string => {
    const d = e.data as Record<string, string>;
    switch (e.kind) {
      case 'state':
        return t('timeline.state', {
          from: t(`state.${d.from}`, { defaultValue: d.from }),
          to: t(`state.${d.to}`, { defaultValue: d.to }),
        });
      case 'field':
        return t('timeline.field', { field: d.field, before: String(d.before ?? '—'), after: String(d.after ?? '—') });
      case 'action':
        return t('timeline.action', { action: t(`action.${d.action}`, { defaultValue: d.action ?? '' }) });
      case 'sla':
        return slaText(e.data);
      case 'created':
      case 'assignment':
      case 'comment':
      case 'work_note':
      case 'relation':
      case 'urge':
        return t(`timeline.${e.kind}`);
      case 'attachment':
        return t('timeline.attachment', { filename: d.filename });
      case 'approval':
        return t(`timeline.approval.${d.event}`, {
          approver: d.approver,
          to: d.to,
          event: d.event,
          defaultValue: t('timeline.approval.other', { event: d.event }),
        });
      default:
        return t('timeline.other', { kind: e.kind });
    }
  };
  const items = [...entries].reverse().map((e, i) => {
    // An approver's decision shows with its comment.
    const note = ['comment', 'work_note', 'urge', 'action', 'approval'].includes(e.kind);
    const text = (e.data.body ?? e.data.comment ?? e.data.note ?? e.data.resolutionNotes) as string | undefined;
    return {
      key: `${e.at}-${i}`,
      color: e.kind === 'work_note' ? 'orange' : e.kind === 'state' ? 'blue' : 'gray',
      children: (
        <div data-testid={`timeline-${e.kind}`}>
          <Typography.Text strong>{e.actor ? personName(e.actor) : t('timeline.system')}</Typography.Text>{' '}
          <Typography.Text type="secondary">{describe(e)}</Typography.Text>{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            · <When at={e.at} />
          </Typography.Text>
          {e.kind === 'work_note' && <LockOutlined style={{ marginLeft: 6, color: '#d48806' }} />}
          {note && text && (
            <div
              style={{
                marginTop: 4,
                padding: '6px 10px',
                borderRadius: 6,
                background: e.kind === 'work_note' ? '#fffbe6' : '#f5f5f5',
                whiteSpace: 'pre-wrap',
              }}
            >
              {text}
            </div>
          )}
        </div>
      ),
    };
  });
  return (
    <div data-testid="ticket-timeline">
      <Timeline items={items} />
    </div>
  );
}

/**
 * What the type's form shows: the ticket's standard fields (a form may declare title, impact, ...,
 * as the templates' do) with its own fields, as the server checks them.
 */
function withStandardFields(ticket: Ticket): Record<string, unknown> {
  const standard: Record<string, unknown> = {
    title: ticket.title,
    description: ticket.description,
    impact: ticket.impact,
    urgency: ticket.urgency,
    category: ticket.category,
    subcategory: ticket.subcategory,
    symptom: ticket.symptom,
  };
  return { ...Object.fromEntries(Object.entries(standard).filter(([, v]) => v !== null && v !== undefined)), ...ticket.fields };
}
