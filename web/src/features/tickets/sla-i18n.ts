// The SLA strings of the ticket pages (inbox badges, the ticket's SLA panel, the portal's time
// left), merged into the tickets' namespace in English and Simplified Chinese.
import i18n from 'i18next';
import { NS } from './i18n.ts';

const en = {
  sla: {
    title: 'SLA',
    none: 'No SLA',
    due: 'Due',
    dueIn: 'due {{when}}',
    overdue: 'overdue {{when}}',
    timeLeft: 'Time left',
    elapsed: 'Elapsed',
    paused: 'Paused for',
    kind: { response: 'Response', resolution: 'Resolution' },
    state: { in_progress: 'In progress', paused: 'Paused', met: 'Met', breached: 'Breached', cancelled: 'Cancelled' },
    status: { breached: 'Breached', at_risk: 'At risk', ok: 'On track' },
    event: {
      started: '{{kind}} SLA started',
      warning: '{{kind}} SLA at {{threshold}}%',
      breached: '{{kind}} SLA breached',
      met: '{{kind}} SLA met',
      paused: '{{kind}} SLA paused',
      resumed: '{{kind}} SLA resumed',
      cancelled: '{{kind}} SLA cancelled',
    },
  },
  inbox: { sortSla: 'SLA due first', sla: 'SLA' },
};

const zhCN = {
  sla: {
    title: 'SLA',
    none: '无 SLA',
    due: '到期',
    dueIn: '{{when}}到期',
    overdue: '已超时（{{when}}）',
    timeLeft: '剩余时间',
    elapsed: '已用',
    paused: '已暂停',
    kind: { response: '响应', resolution: '解决' },
    state: { in_progress: '进行中', paused: '已暂停', met: '已达成', breached: '已违约', cancelled: '已取消' },
    status: { breached: '已违约', at_risk: '即将违约', ok: '正常' },
    event: {
      started: '{{kind}} SLA 开始计时',
      warning: '{{kind}} SLA 已用 {{threshold}}%',
      breached: '{{kind}} SLA 已违约',
      met: '{{kind}} SLA 已达成',
      paused: '{{kind}} SLA 暂停',
      resumed: '{{kind}} SLA 恢复',
      cancelled: '{{kind}} SLA 取消',
    },
  },
  inbox: { sortSla: 'SLA 最先到期', sla: 'SLA' },
};

i18n.addResourceBundle('en', NS, en, true, false);
i18n.addResourceBundle('zh-CN', NS, zhCN, true, false);
