// The default service catalog (docs/itsm-api.md, "Catalog and approvals") and the groups the flows use.
import { type Localized, t } from './localized.ts';

/** One approval step; steps run in order. `when` is FEEL over the request's fields. */
export interface ApprovalStep {
  kind: 'manager' | 'group';
  /** The group asked (every member at the moment the step opens). */
  group?: string;
  /** The form field holding the group's id, when the requester chooses it. */
  groupField?: string;
  when?: string;
}

export interface CatalogItemTemplate {
  key: string;
  name: Localized;
  category: string;
  description: Localized;
  formKey: string;
  approval: ApprovalStep[];
  /** `auto`: the `itsm.fulfil` job of itsm-request fulfils it; `group`: the fulfilment group works it. */
  fulfilment: 'auto' | 'group';
  fulfilmentGroup: string;
}

export const CATALOG_ITEMS: readonly CatalogItemTemplate[] = [
  {
    key: 'password-reset',
    name: t('Password reset', '密码重置'),
    category: 'accounts',
    description: t('Reset the password of one of your accounts.', '重置您某个账号的密码。'),
    formKey: 'password-reset',
    approval: [],
    fulfilment: 'auto',
    fulfilmentGroup: 'service-desk',
  },
  {
    key: 'software-install',
    name: t('Software installation', '软件安装'),
    category: 'software',
    description: t('Install software on your computer; your manager approves.', '在您的电脑上安装软件，需经理审批。'),
    formKey: 'software-install',
    approval: [{ kind: 'manager' }],
    fulfilment: 'group',
    fulfilmentGroup: 'service-desk',
  },
  {
    key: 'access-request',
    name: t('Access request', '权限申请'),
    category: 'accounts',
    description: t(
      'Access to a system: your manager, then the owning group, then security for privileged access approve.',
      '申请系统权限：依次由经理、资源负责组审批，特权访问另需安全组审批。',
    ),
    formKey: 'access-request',
    approval: [
      { kind: 'manager' },
      { kind: 'group', groupField: 'ownerGroup' },
      { kind: 'group', group: 'security', when: 'privileged = true' },
    ],
    fulfilment: 'group',
    fulfilmentGroup: 'service-desk',
  },
  {
    key: 'new-laptop',
    name: t('New laptop', '新笔记本电脑'),
    category: 'hardware',
    description: t(
      'A new laptop; your manager approves, and finance above 10,000.',
      '申请新笔记本电脑，需经理审批，费用超过 10000 元另需财务审批。',
    ),
    formKey: 'new-laptop',
    approval: [{ kind: 'manager' }, { kind: 'group', group: 'finance', when: 'cost > 10000' }],
    fulfilment: 'group',
    fulfilmentGroup: 'service-desk',
  },
];

export interface GroupTemplate {
  id: string;
  name: Localized;
}

/** Groups the flows and the catalog name; seeded into every tenant. */
export const GROUPS: readonly GroupTemplate[] = [
  { id: 'service-desk', name: t('Service Desk', '服务台') },
  { id: 'major-incident', name: t('Major Incident Management', '重大事件管理') },
  { id: 'problem-management', name: t('Problem Management', '问题管理') },
  { id: 'cab', name: t('Change Advisory Board', '变更咨询委员会') },
  { id: 'ecab', name: t('Emergency CAB', '紧急变更委员会') },
  { id: 'knowledge', name: t('Knowledge Management', '知识管理') },
  { id: 'security', name: t('Security', '安全') },
  { id: 'finance', name: t('Finance', '财务') },
];
