// The schemas of every core route, by the route's name in paths.ts: path parameters, query string,
// body, and the successful replies by status. The error replies are all ErrorReply (common.ts).
import type { TSchema } from 'typebox';
import { Attachment, AttachmentFile, UploadQuery } from './attachments.ts';
import { AuditLog, AuditQuery } from './audit.ts';
import {
  ChangePasswordBody,
  LoginBody,
  Me,
  OidcCallbackQuery,
  OidcExchangeBody,
  OidcFlowParams,
  OidcLoginQuery,
  RefreshBody,
  SessionReply,
} from './auth.ts';
import { Calendar, CalendarIdParams, CalendarList, CreateCalendarBody, UpdateCalendarBody } from './calendars.ts';
import {
  Approval,
  ApprovalList,
  ApprovalQuery,
  CatalogItem,
  CatalogKeyParams,
  CatalogList,
  CreateCatalogItemBody,
  DecisionBody,
  UpdateCatalogItemBody,
} from './catalog.ts';
import {
  Channel,
  ChannelList,
  ChannelTestBody,
  ChannelTestReply,
  CreateChannelBody,
  DeliveryList,
  DeliveryQuery,
  UpdateChannelBody,
} from './channels.ts';
import { IdParams, NoContent, Ok } from './common.ts';
import {
  BpmnBody,
  DefinitionKeyParams,
  DefinitionList,
  DefinitionSummary,
  DefinitionWithXml,
  DeployedDefinition,
  ImportReport,
} from './definitions.ts';
import { DefinitionDraft, DefinitionDraftList, DefinitionDraftWithXml } from './drafts.ts';
import { MessageBody, MessageReply, SignalBody, SignalReply } from './events.ts';
import {
  CreateFormBody,
  Form,
  FormKeyParams,
  FormList,
  FormVersion,
  FormVersionList,
  FormVersionParams,
  PublishedForm,
  SaveFormDraftBody,
  TaskForm,
} from './forms.ts';
import { CreateGroupBody, Group, GroupList, MemberParams, UpdateGroupBody } from './groups.ts';
import { Health } from './health.ts';
import { CreateIdentityProviderBody, IdentityProvider, IdentityProviderList, UpdateIdentityProviderBody } from './identity-providers.ts';
import {
  CancelBatch,
  CancelMatchingBody,
  FaultParams,
  InstanceHistory,
  InstanceQuery,
  ProcessInstance,
  ProcessInstanceList,
  RetryFaultBody,
  StartInstanceBody,
} from './instances.ts';
import { TemplateDiff, TemplateKeyParams, TemplateList, TemplateReset } from './itsm-templates.ts';
import { ActivatedJobList, ActivateJobsBody, CompleteJobBody, FailJobBody, JobState, ThrowErrorBody } from './jobs.ts';
import {
  CreateNotificationRuleBody,
  Notification,
  NotificationEventParams,
  NotificationEventStream,
  NotificationList,
  NotificationQuery,
  NotificationRule,
  NotificationRuleList,
  NotificationStreamQuery,
  NotificationTemplate,
  NotificationTemplateList,
  PreviewTemplateBody,
  PreviewTemplateReply,
  PutNotificationTemplateBody,
  ReadAllReply,
  UpdateNotificationRuleBody,
} from './notifications.ts';
import type { RouteName } from './paths.ts';
import { CreateSlaPolicyBody, SlaPolicy, SlaPolicyList, SlaPolicyParams, SlaPreview, SlaPreviewBody, UpdateSlaPolicyBody } from './sla.ts';
import { CompleteTaskBody, Task, TaskList, TaskQuery } from './tasks.ts';
import {
  CreateTenantBody,
  OwnTenant,
  RenameTenantBody,
  Tenant,
  TenantList,
  TenantParams,
  TenantUsage,
  UpdateOwnTenantBody,
} from './tenants.ts';
import {
  ActionBody,
  ActionParams,
  CommentBody,
  CreateTicketBody,
  ImportReply,
  ItsmSettings,
  PriorityMatrix,
  RelationBody,
  RelationParams,
  Ticket,
  TicketAttachmentBody,
  TicketAttachmentParams,
  TicketAttachments,
  TicketEventStream,
  TicketList,
  TicketNumberParams,
  TicketQuery,
  TicketStreamQuery,
  Timeline,
  UpdateTicketBody,
  WatcherParams,
  Watchers,
} from './tickets.ts';
import { CreateUserBody, UpdateUserBody, User, UserList } from './users.ts';

export interface RouteSchemas {
  params?: TSchema;
  query?: TSchema;
  body?: TSchema;
  /** The successful replies, by status. */
  reply: Partial<Record<200 | 201 | 202 | 204 | 302, TSchema>>;
}

export const CONTRACT = {
  health: { reply: { 200: Health } },

  'auth.login': { body: LoginBody, reply: { 200: SessionReply } },
  'auth.refresh': { body: RefreshBody, reply: { 200: SessionReply } },
  'auth.logout': { reply: { 200: Ok } },
  'auth.password': { body: ChangePasswordBody, reply: { 200: Ok } },
  'auth.me': { reply: { 200: Me } },
  'auth.oidcLogin': { params: OidcFlowParams, query: OidcLoginQuery, reply: { 302: NoContent } },
  'auth.oidcCallback': { params: OidcFlowParams, query: OidcCallbackQuery, reply: { 200: SessionReply, 302: NoContent } },
  'auth.oidcExchange': { body: OidcExchangeBody, reply: { 200: SessionReply } },

  'identityProviders.create': { body: CreateIdentityProviderBody, reply: { 201: IdentityProvider } },
  'identityProviders.list': { reply: { 200: IdentityProviderList } },
  'identityProviders.get': { params: IdParams, reply: { 200: IdentityProvider } },
  'identityProviders.update': { params: IdParams, body: UpdateIdentityProviderBody, reply: { 200: IdentityProvider } },
  'identityProviders.delete': { params: IdParams, reply: { 204: NoContent } },

  'tenants.create': { body: CreateTenantBody, reply: { 201: Tenant } },
  'tenants.list': { reply: { 200: TenantList } },
  'tenants.get': { params: TenantParams, reply: { 200: Tenant } },
  'tenants.rename': { params: TenantParams, body: RenameTenantBody, reply: { 200: Tenant } },
  'tenants.suspend': { params: TenantParams, reply: { 200: Tenant } },
  'tenants.resume': { params: TenantParams, reply: { 200: Tenant } },
  'tenants.delete': { params: TenantParams, reply: { 204: NoContent } },
  'tenant.get': { reply: { 200: OwnTenant } },
  'tenant.update': { body: UpdateOwnTenantBody, reply: { 200: OwnTenant } },
  'tenant.usage': { reply: { 200: TenantUsage } },

  'users.create': { body: CreateUserBody, reply: { 201: User } },
  'users.list': { reply: { 200: UserList } },
  'users.get': { params: IdParams, reply: { 200: User } },
  'users.update': { params: IdParams, body: UpdateUserBody, reply: { 200: User } },
  'users.delete': { params: IdParams, reply: { 204: NoContent } },

  'groups.create': { body: CreateGroupBody, reply: { 201: Group } },
  'groups.list': { reply: { 200: GroupList } },
  'groups.get': { params: IdParams, reply: { 200: Group } },
  'groups.update': { params: IdParams, body: UpdateGroupBody, reply: { 200: Group } },
  'groups.delete': { params: IdParams, reply: { 204: NoContent } },
  'groups.addMember': { params: MemberParams, reply: { 200: Group } },
  'groups.removeMember': { params: MemberParams, reply: { 200: Group } },

  'audit.list': { query: AuditQuery, reply: { 200: AuditLog } },

  'definitions.deploy': { body: BpmnBody, reply: { 201: DeployedDefinition } },
  'definitions.importCheck': { body: BpmnBody, reply: { 200: ImportReport } },
  'definitions.list': { reply: { 200: DefinitionList } },
  'definitions.versions': { params: DefinitionKeyParams, reply: { 200: DefinitionList } },
  'definitions.get': { params: IdParams, reply: { 200: DefinitionWithXml } },
  'definitions.suspend': { params: IdParams, reply: { 200: DefinitionSummary } },
  'definitions.activate': { params: IdParams, reply: { 200: DefinitionSummary } },
  'definitions.suspendAll': { params: DefinitionKeyParams, reply: { 200: DefinitionList } },
  'definitions.activateAll': { params: DefinitionKeyParams, reply: { 200: DefinitionList } },

  'drafts.list': { reply: { 200: DefinitionDraftList } },
  'drafts.get': { params: DefinitionKeyParams, reply: { 200: DefinitionDraftWithXml } },
  'drafts.save': { params: DefinitionKeyParams, body: BpmnBody, reply: { 200: DefinitionDraft } },
  'drafts.delete': { params: DefinitionKeyParams, reply: { 204: NoContent } },

  'instances.start': { body: StartInstanceBody, reply: { 201: ProcessInstance } },
  'instances.list': { query: InstanceQuery, reply: { 200: ProcessInstanceList } },
  'instances.get': { params: IdParams, reply: { 200: ProcessInstance } },
  'instances.history': { params: IdParams, reply: { 200: InstanceHistory } },
  'instances.cancel': { params: IdParams, reply: { 200: ProcessInstance } },
  'instances.retryFault': { params: FaultParams, body: RetryFaultBody, reply: { 200: ProcessInstance } },
  // 202: the batch is asked for; the outbox cancels its instances in the background.
  'instances.cancelMatching': { body: CancelMatchingBody, reply: { 202: CancelBatch } },
  'instances.cancelBatch': { params: IdParams, reply: { 200: CancelBatch } },

  'tasks.list': { query: TaskQuery, reply: { 200: TaskList } },
  'tasks.get': { params: IdParams, reply: { 200: Task } },
  'tasks.claim': { params: IdParams, reply: { 200: Task } },
  'tasks.unclaim': { params: IdParams, reply: { 200: Task } },
  'tasks.complete': { params: IdParams, body: CompleteTaskBody, reply: { 200: Task } },
  'tasks.form': { params: IdParams, reply: { 200: TaskForm } },

  'forms.create': { body: CreateFormBody, reply: { 201: Form } },
  'forms.list': { reply: { 200: FormList } },
  'forms.get': { params: FormKeyParams, reply: { 200: Form } },
  'forms.saveDraft': { params: FormKeyParams, body: SaveFormDraftBody, reply: { 200: Form } },
  'forms.deleteDraft': { params: FormKeyParams, reply: { 204: NoContent } },
  'forms.publish': { params: FormKeyParams, reply: { 200: PublishedForm } },
  'forms.versions': { params: FormKeyParams, reply: { 200: FormVersionList } },
  'forms.version': { params: FormVersionParams, reply: { 200: FormVersion } },

  // A multipart body (one part named `file`): the client's upload() sends it.
  'attachments.upload': { query: UploadQuery, reply: { 201: Attachment } },
  'attachments.download': { params: IdParams, reply: { 200: AttachmentFile } },
  'attachments.info': { params: IdParams, reply: { 200: Attachment } },

  'jobs.activate': { body: ActivateJobsBody, reply: { 200: ActivatedJobList } },
  'jobs.complete': { params: IdParams, body: CompleteJobBody, reply: { 200: JobState } },
  'jobs.fail': { params: IdParams, body: FailJobBody, reply: { 200: JobState } },
  'jobs.throwError': { params: IdParams, body: ThrowErrorBody, reply: { 200: JobState } },

  'events.message': { body: MessageBody, reply: { 200: MessageReply } },
  'events.signal': { body: SignalBody, reply: { 200: SignalReply } },

  'tickets.create': { body: CreateTicketBody, reply: { 201: Ticket } },
  'tickets.list': { query: TicketQuery, reply: { 200: TicketList } },
  'tickets.get': { params: TicketNumberParams, reply: { 200: Ticket } },
  'tickets.update': { params: TicketNumberParams, body: UpdateTicketBody, reply: { 200: Ticket } },
  'tickets.comment': { params: TicketNumberParams, body: CommentBody, reply: { 201: Ticket } },
  'tickets.timeline': { params: TicketNumberParams, reply: { 200: Timeline } },
  'tickets.act': { params: ActionParams, body: ActionBody, reply: { 200: Ticket } },
  'tickets.relate': { params: TicketNumberParams, body: RelationBody, reply: { 201: Ticket } },
  'tickets.unrelate': { params: RelationParams, reply: { 204: NoContent } },
  'tickets.watchers': { params: TicketNumberParams, reply: { 200: Watchers } },
  'tickets.watch': { params: WatcherParams, reply: { 204: NoContent } },
  'tickets.unwatch': { params: WatcherParams, reply: { 204: NoContent } },
  'tickets.attachments': { params: TicketNumberParams, reply: { 200: TicketAttachments } },
  'tickets.attach': { params: TicketNumberParams, body: TicketAttachmentBody, reply: { 201: Attachment } },
  'tickets.attachment': { params: TicketAttachmentParams, reply: { 200: AttachmentFile } },
  // A text/csv body: the export itself.
  'tickets.import': { reply: { 200: ImportReply } },
  'tickets.stream': { query: TicketStreamQuery, reply: { 200: TicketEventStream } },
  'itsm.settings': { reply: { 200: ItsmSettings } },
  'itsm.updateSettings': { body: ItsmSettings, reply: { 200: ItsmSettings } },
  'itsm.priorityMatrix': { reply: { 200: PriorityMatrix } },
  'itsm.setPriorityMatrix': { body: PriorityMatrix, reply: { 200: PriorityMatrix } },
  'itsmTemplates.list': { reply: { 200: TemplateList } },
  'itsmTemplates.reset': { params: TemplateKeyParams, reply: { 200: TemplateReset } },
  'itsmTemplates.diff': { params: TemplateKeyParams, reply: { 200: TemplateDiff } },

  'catalog.list': { reply: { 200: CatalogList } },
  'catalog.create': { body: CreateCatalogItemBody, reply: { 201: CatalogItem } },
  'catalog.update': { params: CatalogKeyParams, body: UpdateCatalogItemBody, reply: { 200: CatalogItem } },
  'catalog.delete': { params: CatalogKeyParams, reply: { 204: NoContent } },
  'approvals.list': { query: ApprovalQuery, reply: { 200: ApprovalList } },
  'approvals.approve': { params: IdParams, body: DecisionBody, reply: { 200: Approval } },
  'approvals.reject': { params: IdParams, body: DecisionBody, reply: { 200: Approval } },

  'calendars.list': { reply: { 200: CalendarList } },
  'calendars.create': { body: CreateCalendarBody, reply: { 201: Calendar } },
  'calendars.get': { params: CalendarIdParams, reply: { 200: Calendar } },
  'calendars.update': { params: CalendarIdParams, body: UpdateCalendarBody, reply: { 200: Calendar } },
  'calendars.delete': { params: CalendarIdParams, reply: { 204: NoContent } },
  'slaPolicies.list': { reply: { 200: SlaPolicyList } },
  'slaPolicies.create': { body: CreateSlaPolicyBody, reply: { 201: SlaPolicy } },
  'slaPolicies.get': { params: SlaPolicyParams, reply: { 200: SlaPolicy } },
  'slaPolicies.update': { params: SlaPolicyParams, body: UpdateSlaPolicyBody, reply: { 200: SlaPolicy } },
  'slaPolicies.delete': { params: SlaPolicyParams, reply: { 204: NoContent } },
  'slaPolicies.preview': { body: SlaPreviewBody, reply: { 200: SlaPreview } },
  'notifications.list': { query: NotificationQuery, reply: { 200: NotificationList } },
  'notifications.read': { params: IdParams, reply: { 200: Notification } },
  'notifications.readAll': { reply: { 200: ReadAllReply } },
  'notifications.stream': { query: NotificationStreamQuery, reply: { 200: NotificationEventStream } },
  'notificationRules.list': { reply: { 200: NotificationRuleList } },
  'notificationRules.create': { body: CreateNotificationRuleBody, reply: { 201: NotificationRule } },
  'notificationRules.get': { params: IdParams, reply: { 200: NotificationRule } },
  'notificationRules.update': { params: IdParams, body: UpdateNotificationRuleBody, reply: { 200: NotificationRule } },
  'notificationRules.delete': { params: IdParams, reply: { 204: NoContent } },
  'notificationTemplates.list': { reply: { 200: NotificationTemplateList } },
  'notificationTemplates.put': { params: NotificationEventParams, body: PutNotificationTemplateBody, reply: { 200: NotificationTemplate } },
  'notificationTemplates.reset': { params: NotificationEventParams, reply: { 200: NotificationTemplate } },
  'notificationTemplates.preview': { body: PreviewTemplateBody, reply: { 200: PreviewTemplateReply } },
  'channels.list': { reply: { 200: ChannelList } },
  'channels.create': { body: CreateChannelBody, reply: { 201: Channel } },
  'channels.get': { params: IdParams, reply: { 200: Channel } },
  'channels.update': { params: IdParams, body: UpdateChannelBody, reply: { 200: Channel } },
  'channels.delete': { params: IdParams, reply: { 204: NoContent } },
  'channels.test': { params: IdParams, body: ChannelTestBody, reply: { 200: ChannelTestReply } },
  'deliveries.list': { query: DeliveryQuery, reply: { 200: DeliveryList } },
} as const satisfies Record<RouteName, RouteSchemas>;

export type Contract = typeof CONTRACT;
