// The catalog every tenant starts with (seeded the first time its catalog is used, see
// service.ts). Each item's form has the item's key; the request flow gets `fulfilment: 'auto'` for
// items without a fulfilment group (a connector fulfils them), `'group'` otherwise.
import type { CreateCatalogItemBody } from '@serviceloom/contracts';

export const DEFAULT_ITEMS: CreateCatalogItemBody[] = [
  {
    key: 'password-reset',
    name: { en: 'Password reset', 'zh-CN': '密码重置' },
    category: 'account',
    description: {
      en: 'Reset the password of your account; done automatically, no approval needed.',
      'zh-CN': '重置您的账号密码；自动完成，无需审批。',
    },
    approval: [],
    fulfilmentGroup: null,
  },
  {
    key: 'software-install',
    name: { en: 'Software installation', 'zh-CN': '软件安装' },
    category: 'software',
    description: {
      en: 'Install a piece of software on your computer; your manager approves.',
      'zh-CN': '在您的电脑上安装软件；需直属经理审批。',
    },
    approval: [{ kind: 'manager' }],
    fulfilmentGroup: 'service-desk',
  },
  {
    key: 'access-request',
    name: { en: 'Access request', 'zh-CN': '权限申请' },
    category: 'access',
    description: {
      en: 'Access to a system or data; your manager and the owning group approve, and security too for privileged access.',
      'zh-CN': '申请系统或数据的访问权限；需直属经理和所属组审批，特权访问还需安全组审批。',
    },
    approval: [
      { kind: 'manager' },
      { kind: 'group', groupField: 'ownerGroup' },
      { kind: 'group', group: 'security', when: 'privileged = true' },
    ],
    fulfilmentGroup: 'service-desk',
  },
  {
    key: 'new-laptop',
    name: { en: 'New laptop', 'zh-CN': '新笔记本电脑' },
    category: 'hardware',
    description: {
      en: 'A new laptop; your manager approves, and finance too above 10000.',
      'zh-CN': '申领新笔记本电脑；需直属经理审批，金额超过 10000 还需财务审批。',
    },
    approval: [{ kind: 'manager' }, { kind: 'group', group: 'finance', when: 'cost > 10000' }],
    fulfilmentGroup: 'service-desk',
  },
];
