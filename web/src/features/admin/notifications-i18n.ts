// The notification rules' and templates' tabs' strings, added to the admin namespace.
import i18n from 'i18next';
import { ADMIN_NS } from './i18n.ts';

const en = {
  tabs: { notificationRules: 'Notification rules', notificationTemplates: 'Templates' },
  rules: {
    id: 'Id',
    event: 'Event',
    condition: 'Condition (FEEL over the ticket)',
    conditionHint: 'e.g. priority <= 2 and type = "incident"; empty: always',
    channel: 'Channel',
    channelHint: 'A channel id, or in-app',
    recipients: 'Recipients',
    recipientsHint: 'Roles in the ticket, group:<id> or user:<username>',
    template: 'Template (empty: the event’s default)',
    subject: 'Subject',
    body: 'Body',
    placeholders: 'Placeholders: {{ticket.number}}, {{ticket.title}}, {{ticket.priority}}, {{ticket.state}}, {{actor}}, {{data.<name>}}',
    createTitle: 'New notification rule',
    editTitle: 'Edit rule {{id}}',
    always: 'always',
  },
  templates: {
    event: 'Event',
    own: 'Own wording',
    default: 'Default',
    save: 'Save wording',
    reset: 'Back to the default',
    preview: 'Preview',
    ticket: 'Ticket number (empty: a sample)',
    result: 'Preview',
  },
};

const zhCN: typeof en = {
  tabs: { notificationRules: '通知规则', notificationTemplates: '通知模板' },
  rules: {
    id: '标识',
    event: '事件',
    condition: '条件（基于工单的 FEEL）',
    conditionHint: '例如 priority <= 2 and type = "incident"；留空：总是',
    channel: '渠道',
    channelHint: '渠道标识，或 in-app（站内）',
    recipients: '接收人',
    recipientsHint: '工单中的角色、group:<组标识> 或 user:<用户名>',
    template: '模板（留空：使用事件默认模板）',
    subject: '主题',
    body: '正文',
    placeholders: '占位符：{{ticket.number}}、{{ticket.title}}、{{ticket.priority}}、{{ticket.state}}、{{actor}}、{{data.<名称>}}',
    createTitle: '新建通知规则',
    editTitle: '编辑规则 {{id}}',
    always: '总是',
  },
  templates: {
    event: '事件',
    own: '自定义措辞',
    default: '默认',
    save: '保存措辞',
    reset: '恢复默认',
    preview: '预览',
    ticket: '工单编号（留空：示例工单）',
    result: '预览结果',
  },
};

i18n.addResourceBundle('en', ADMIN_NS, en, true, false);
i18n.addResourceBundle('zh-CN', ADMIN_NS, zhCN, true, false);
