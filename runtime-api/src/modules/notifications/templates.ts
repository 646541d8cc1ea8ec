// Messages: each event's default wording in both languages, and a tiny placeholder substitution
// (`{{ticket.number}}`, `{{actor}}`, `{{data.threshold}}`): a path looked up in a plain object,
// never evaluated. A placeholder whose value is missing renders empty.
import type { LocalizedTemplate, MessageTemplate } from '@serviceloom/contracts';
import { badRequest } from '../../platform/errors.ts';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: Locale[] = ['en', 'zh-CN'];

/** What a template may name: the ticket, who acted, the event and its data. */
export interface TemplateContext {
  ticket: Record<string, unknown>;
  actor: string;
  event: string;
  data: Record<string, unknown>;
}

const ROOTS = ['ticket', 'actor', 'event', 'data'];
const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*\}\}/g;

export function render(text: string, ctx: TemplateContext): string {
  return text.replace(PLACEHOLDER, (_m, path: string) => {
    let value: unknown = ctx;
    for (const part of path.split('.')) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return '';
      value = (value as Record<string, unknown>)[part];
    }
    if (value === null || value === undefined) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** A template names only what a context holds (400 naming the field otherwise). */
export function checkTemplate(template: LocalizedTemplate, field: string): void {
  for (const locale of LOCALES) {
    const t = template[locale];
    if (!t) continue;
    for (const part of ['subject', 'body'] as const) {
      for (const m of t[part].matchAll(PLACEHOLDER)) {
        const root = (m[1] as string).split('.')[0] as string;
        if (!ROOTS.includes(root)) {
          throw badRequest(
            'TEMPLATE_INVALID',
            `"${field}.${locale}.${part}": unknown placeholder "{{${m[1]}}}"; use ticket.*, actor, event or data.*`,
          );
        }
      }
    }
  }
}

type Defaults = Record<Locale, MessageTemplate>;

/** Each event's default wording (built-in notifications and rules without a template). */
export const DEFAULT_TEMPLATES: Record<string, Defaults> = {
  'ticket.created': {
    en: {
      subject: 'New ticket: {{ticket.title}}',
      body: '{{actor}} opened {{ticket.number}} "{{ticket.title}}" (priority {{ticket.priority}}).',
    },
    'zh-CN': {
      subject: '新工单：{{ticket.title}}',
      body: '{{actor}} 创建了工单 {{ticket.number}}「{{ticket.title}}」（优先级 {{ticket.priority}}）。',
    },
  },
  'ticket.assigned': {
    en: { subject: 'Assigned: {{ticket.title}}', body: '{{actor}} assigned {{ticket.number}} "{{ticket.title}}" to {{ticket.assignee}}.' },
    'zh-CN': {
      subject: '工单已分派：{{ticket.title}}',
      body: '{{actor}} 将工单 {{ticket.number}}「{{ticket.title}}」分派给 {{ticket.assignee}}。',
    },
  },
  'ticket.state_changed': {
    en: { subject: '{{ticket.number}} is now {{data.to}}', body: '"{{ticket.title}}" moved to {{data.to}}.' },
    'zh-CN': { subject: '工单 {{ticket.number}} 状态变为 {{data.to}}', body: '「{{ticket.title}}」的状态变为 {{data.to}}。' },
  },
  'ticket.commented': {
    en: { subject: 'New comment on {{ticket.number}}', body: '{{actor}} commented on "{{ticket.title}}": {{data.body}}' },
    'zh-CN': { subject: '工单 {{ticket.number}} 有新评论', body: '{{actor}} 评论了「{{ticket.title}}」：{{data.body}}' },
  },
  'ticket.urged': {
    en: {
      subject: 'Urged: {{ticket.title}}',
      body: '{{actor}} urged {{ticket.number}} "{{ticket.title}}" (urge {{data.urgeCount}}): {{data.comment}}',
    },
    'zh-CN': {
      subject: '催单：{{ticket.title}}',
      body: '{{actor}} 催办工单 {{ticket.number}}「{{ticket.title}}」（第 {{data.urgeCount}} 次）：{{data.comment}}',
    },
  },
  'approval.requested': {
    en: {
      subject: 'Approval requested: {{ticket.title}}',
      body: 'Please approve or reject {{ticket.number}} "{{ticket.title}}" (step {{data.step}}).',
    },
    'zh-CN': { subject: '待审批：{{ticket.title}}', body: '请审批工单 {{ticket.number}}「{{ticket.title}}」（第 {{data.step}} 步）。' },
  },
  'approval.reminder': {
    en: {
      subject: 'Reminder: {{ticket.number}} awaits your approval',
      body: '{{ticket.number}} "{{ticket.title}}" has awaited your approval since {{data.requestedAt}}.',
    },
    'zh-CN': {
      subject: '提醒：工单 {{ticket.number}} 等待您的审批',
      body: '工单 {{ticket.number}}「{{ticket.title}}」自 {{data.requestedAt}} 起等待您的审批。',
    },
  },
  'sla.warning': {
    en: {
      subject: 'SLA warning: {{ticket.number}} at {{data.threshold}}%',
      body: 'The {{data.kind}} target of {{ticket.number}} "{{ticket.title}}" (policy {{data.policy}}) is {{data.threshold}}% spent; due {{data.dueAt}}.',
    },
    'zh-CN': {
      subject: 'SLA 预警：工单 {{ticket.number}} 已用 {{data.threshold}}%',
      body: '工单 {{ticket.number}}「{{ticket.title}}」的 {{data.kind}} 目标（策略 {{data.policy}}）已用 {{data.threshold}}%，到期 {{data.dueAt}}。',
    },
  },
  'sla.breached': {
    en: {
      subject: 'SLA breached: {{ticket.number}}',
      body: 'The {{data.kind}} target of {{ticket.number}} "{{ticket.title}}" (policy {{data.policy}}) was due {{data.dueAt}}.',
    },
    'zh-CN': {
      subject: 'SLA 已违约：工单 {{ticket.number}}',
      body: '工单 {{ticket.number}}「{{ticket.title}}」的 {{data.kind}} 目标（策略 {{data.policy}}）已于 {{data.dueAt}} 到期。',
    },
  },
  'major.declared': {
    en: {
      subject: 'Major incident: {{ticket.title}}',
      body: '{{actor}} declared {{ticket.number}} "{{ticket.title}}" a major incident: {{data.reason}}',
    },
    'zh-CN': {
      subject: '重大事件：{{ticket.title}}',
      body: '{{actor}} 宣布工单 {{ticket.number}}「{{ticket.title}}」为重大事件：{{data.reason}}',
    },
  },
};

/** The wording for one locale: the rule's, else the tenant's for the event, else the default. */
export function pick(
  locale: Locale,
  event: string,
  rule: LocalizedTemplate | null | undefined,
  tenant: LocalizedTemplate | null | undefined,
): MessageTemplate {
  const own = rule ? (rule[locale] ?? rule.en ?? rule['zh-CN']) : undefined;
  if (own) return own;
  const defaults = DEFAULT_TEMPLATES[event] ?? DEFAULT_TEMPLATES['ticket.state_changed'];
  return tenant?.[locale] ?? (defaults as Defaults)[locale];
}

export type Messages = Record<Locale, { subject: string; body: string }>;

export function messagesFor(
  event: string,
  ctx: TemplateContext,
  rule: LocalizedTemplate | null | undefined,
  tenant: LocalizedTemplate | null | undefined,
): Messages {
  const out = {} as Messages;
  for (const locale of LOCALES) {
    const t = pick(locale, event, rule, tenant);
    out[locale] = { subject: render(t.subject, ctx), body: render(t.body, ctx) };
  }
  return out;
}

/** A user's `locale` as one of ours (anything Chinese reads zh-CN; else English). */
export const localeOf = (value: unknown): Locale => (typeof value === 'string' && value.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');
