// The templates' forms: JSON Schema plus uiSchema in the shape the form builder writes (a
// fallback `title`, the labels per language in `x-sl-title`), so a tenant edits them in the
// form builder like any other form.
import { type Localized, t } from './localized.ts';

export interface FormTemplate {
  key: string;
  version: number;
  name: Localized;
  schema: JsonSchema;
  uiSchema: Record<string, unknown>;
}

type JsonSchema = Record<string, unknown>;

function field(label: Localized, schema: JsonSchema): JsonSchema {
  return { ...schema, title: label.en, 'x-sl-title': label };
}

const text = (label: Localized, extra: JsonSchema = {}) => field(label, { type: 'string', ...extra });
const choice = (label: Localized, values: string[], extra: JsonSchema = {}) => field(label, { type: 'string', enum: values, ...extra });
const flag = (label: Localized, extra: JsonSchema = {}) => field(label, { type: 'boolean', ...extra });
const level = (label: Localized) => field(label, { type: 'integer', minimum: 1, maximum: 3, default: 3 });
const dateTime = (label: Localized) => field(label, { type: 'string', format: 'date-time' });

function form(
  key: string,
  name: Localized,
  properties: Record<string, JsonSchema>,
  required: string[],
  uiSchema: Record<string, unknown> = {},
): FormTemplate {
  return {
    key,
    version: 1,
    name,
    schema: { type: 'object', properties, required, additionalProperties: false },
    uiSchema: { 'ui:order': Object.keys(properties), ...uiSchema },
  };
}

const SYMPTOMS = ['system_down', 'cannot_access', 'slow', 'other'];

export const FORMS: readonly FormTemplate[] = [
  form(
    'incident',
    t('Incident', '事件'),
    {
      title: text(t('Short description', '简述'), { minLength: 1, maxLength: 200 }),
      description: text(t('Description', '详细描述'), { maxLength: 20000 }),
      symptom: choice(t('Symptom', '症状'), SYMPTOMS, { default: 'other' }),
      impact: level(t('Impact', '影响度')),
      urgency: level(t('Urgency', '紧急度')),
      category: text(t('Category', '分类')),
      subcategory: text(t('Subcategory', '子分类')),
    },
    ['title'],
    { description: { 'ui:widget': 'textarea' } },
  ),
  form(
    'problem',
    t('Problem', '问题'),
    {
      title: text(t('Problem statement', '问题描述'), { minLength: 1, maxLength: 200 }),
      description: text(t('Description', '详细描述'), { maxLength: 20000 }),
      impact: level(t('Impact', '影响度')),
      urgency: level(t('Urgency', '紧急度')),
      category: text(t('Category', '分类')),
    },
    ['title'],
    { description: { 'ui:widget': 'textarea' } },
  ),
  form(
    'change',
    t('Change', '变更'),
    {
      title: text(t('Short description', '简述'), { minLength: 1, maxLength: 200 }),
      description: text(t('Description', '详细描述'), { maxLength: 20000 }),
      changeType: choice(t('Change type', '变更类型'), ['standard', 'normal', 'emergency'], { default: 'normal' }),
      justification: text(t('Justification', '变更理由')),
      implementationPlan: text(t('Implementation plan', '实施计划')),
      backoutPlan: text(t('Backout plan', '回退计划')),
      testPlan: text(t('Test plan', '测试计划')),
      risk: choice(t('Risk', '风险'), ['low', 'moderate', 'high'], { default: 'moderate' }),
      plannedStart: dateTime(t('Planned start', '计划开始')),
      plannedEnd: dateTime(t('Planned end', '计划结束')),
    },
    ['title', 'changeType'],
    {
      description: { 'ui:widget': 'textarea' },
      implementationPlan: { 'ui:widget': 'textarea' },
      backoutPlan: { 'ui:widget': 'textarea' },
      testPlan: { 'ui:widget': 'textarea' },
    },
  ),
  form(
    'release',
    t('Release', '发布'),
    {
      title: text(t('Release name', '发布名称'), { minLength: 1, maxLength: 200 }),
      description: text(t('Description', '说明'), { maxLength: 20000 }),
      version: text(t('Version', '版本号')),
      plannedStart: dateTime(t('Planned start', '计划开始')),
      plannedEnd: dateTime(t('Planned end', '计划结束')),
    },
    ['title'],
    { description: { 'ui:widget': 'textarea' } },
  ),
  // Catalog item forms (the request's form is its item's).
  form(
    'password-reset',
    t('Password reset', '密码重置'),
    {
      account: text(t('Account (username)', '账号（用户名）'), { minLength: 1 }),
      system: choice(t('System', '系统'), ['directory', 'email', 'vpn', 'erp'], { default: 'directory' }),
    },
    ['account', 'system'],
  ),
  form(
    'software-install',
    t('Software installation', '软件安装'),
    {
      software: text(t('Software', '软件名称'), { minLength: 1 }),
      version: text(t('Version', '版本')),
      computer: text(t('Computer name', '计算机名')),
      reason: text(t('Business reason', '业务理由')),
    },
    ['software', 'reason'],
    { reason: { 'ui:widget': 'textarea' } },
  ),
  form(
    'access-request',
    t('Access request', '权限申请'),
    {
      system: text(t('System or resource', '系统或资源'), { minLength: 1 }),
      accessLevel: choice(t('Access level', '权限级别'), ['read', 'write', 'admin'], { default: 'read' }),
      ownerGroup: text(t('Owning group (approves)', '资源负责组（审批）'), { minLength: 1 }),
      privileged: flag(t('Privileged access', '特权访问'), { default: false }),
      reason: text(t('Business reason', '业务理由')),
      until: field(t('Needed until', '有效期至'), { type: 'string', format: 'date' }),
    },
    ['system', 'accessLevel', 'ownerGroup', 'reason'],
    { reason: { 'ui:widget': 'textarea' } },
  ),
  form(
    'new-laptop',
    t('New laptop', '新笔记本电脑'),
    {
      model: choice(t('Model', '型号'), ['standard', 'developer', 'executive'], { default: 'standard' }),
      cost: field(t('Estimated cost (CNY)', '预估费用（元）'), { type: 'number', minimum: 0 }),
      deliverTo: text(t('Deliver to', '交付地点')),
      reason: text(t('Business reason', '业务理由')),
    },
    ['model', 'cost', 'reason'],
    { reason: { 'ui:widget': 'textarea' } },
  ),
  // Task forms of the flows.
  form(
    'major-comms',
    t('Major incident: communications update', '重大事件：沟通更新'),
    {
      summary: text(t('Status update for stakeholders', '给相关方的状态更新'), { minLength: 1 }),
      nextUpdateAt: dateTime(t('Next update expected', '下次更新时间')),
    },
    ['summary'],
    { summary: { 'ui:widget': 'textarea' } },
  ),
  form(
    'major-pir',
    t('Major incident: post-incident review', '重大事件：事后复盘'),
    {
      timeline: text(t('Timeline', '时间线')),
      rootCause: text(t('Root cause', '根本原因')),
      whatWentWell: text(t('What went well', '做得好的')),
      improvements: text(t('Improvements (actions, owners)', '改进项（行动与负责人）')),
    },
    ['rootCause', 'improvements'],
    {
      timeline: { 'ui:widget': 'textarea' },
      rootCause: { 'ui:widget': 'textarea' },
      whatWentWell: { 'ui:widget': 'textarea' },
      improvements: { 'ui:widget': 'textarea' },
    },
  ),
  {
    key: 'inspection',
    version: 1,
    name: t('Daily inspection checklist', '每日巡检清单'),
    schema: {
      type: 'object',
      required: ['items'],
      additionalProperties: false,
      properties: {
        items: field(t('Checks', '检查项'), {
          type: 'array',
          items: {
            type: 'object',
            required: ['check', 'result'],
            properties: {
              check: text(t('Check', '检查项')),
              ci: text(t('Configuration item', '配置项')),
              result: choice(t('Result', '结果'), ['ok', 'failed']),
              note: text(t('Note', '备注')),
            },
          },
          default: [
            { check: 'Backups completed', result: 'ok' },
            { check: 'Disk usage under 80%', result: 'ok' },
            { check: 'Certificates valid for 30 days', result: 'ok' },
            { check: 'Monitoring alerts reviewed', result: 'ok' },
          ],
        }),
      },
    },
    uiSchema: { 'ui:order': ['items'] },
  },
];
