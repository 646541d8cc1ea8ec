// The flows: one BPMN file each under templates/bpmn/, with what the ITSM API documents about it
// (states, and the actions each state offers), which the tests hold the flow to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Localized, t } from './localized.ts';

export type RecordType = 'incident' | 'request' | 'problem' | 'change' | 'release' | 'knowledge';

export interface ProcessTemplate {
  /** The definition key (the BPMN process id). */
  key: string;
  /** The template's release: a tenant whose copy came from an older one is offered an upgrade. */
  version: number;
  name: Localized;
  /** The record the flow drives through `sl:state`, or null (inspection drives none). */
  recordType: RecordType | null;
  /** The record's form (null: the request's form is its catalog item's). */
  formKey: string | null;
  /** The BPMN 2.0 XML, with diagram interchange. */
  bpmn: string;
  /** The states docs/itsm-api.md gives the type. */
  states: readonly string[];
  /**
   * Per state the flow waits in, the actions (`ticket.<action>` messages) it offers users, as
   * docs/itsm-api.md's tables give them. Module-only actions (`assign`, `urge`, `rate`) are not
   * messages, and messages only the module sends are in `moduleMessages`.
   */
  actions: Readonly<Record<string, readonly string[]>>;
  /** Messages only the module sends, never a user's action (approvals decided, a major incident resolved). */
  moduleMessages: readonly string[];
}

const bpmnDir = join(import.meta.dirname, '..', 'bpmn');
const bpmnOf = (key: string) => readFileSync(join(bpmnDir, `${key}.bpmn`), 'utf8');

const OPEN = ['cancel'];

export const PROCESS_TEMPLATES: readonly ProcessTemplate[] = [
  {
    key: 'itsm-incident',
    version: 1,
    name: t('Incident', '事件'),
    recordType: 'incident',
    formKey: 'incident',
    bpmn: bpmnOf('itsm-incident'),
    states: ['new', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'],
    actions: {
      new: ['start', 'resolve', ...OPEN, 'declare-major'],
      in_progress: ['hold', 'resolve', ...OPEN, 'declare-major'],
      on_hold: ['resume', 'resolve', ...OPEN, 'declare-major'],
      resolved: ['reopen', 'close'],
    },
    moduleMessages: ['major-resolved'],
  },
  {
    key: 'itsm-request',
    version: 1,
    name: t('Request', '服务请求'),
    recordType: 'request',
    formKey: null,
    bpmn: bpmnOf('itsm-request'),
    states: ['new', 'approval', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled', 'rejected'],
    actions: {
      approval: [...OPEN],
      in_progress: ['hold', 'resolve', ...OPEN],
      on_hold: ['resume', 'resolve', ...OPEN],
      resolved: ['reopen', 'close'],
    },
    moduleMessages: ['approved', 'rejected'],
  },
  {
    key: 'itsm-problem',
    version: 1,
    name: t('Problem', '问题'),
    recordType: 'problem',
    formKey: 'problem',
    bpmn: bpmnOf('itsm-problem'),
    states: ['new', 'assess', 'root_cause_analysis', 'fix_in_progress', 'resolved', 'closed'],
    actions: {
      new: ['assess', 'resolve'],
      assess: ['start-rca', 'resolve'],
      root_cause_analysis: ['start-fix', 'known-error', 'raise-change', 'resolve'],
      fix_in_progress: ['known-error', 'raise-change', 'resolve'],
      resolved: ['close'],
    },
    moduleMessages: [],
  },
  {
    key: 'itsm-change',
    version: 1,
    name: t('Change', '变更'),
    recordType: 'change',
    formKey: 'change',
    bpmn: bpmnOf('itsm-change'),
    states: ['new', 'assess', 'authorize', 'scheduled', 'implement', 'review', 'closed', 'cancelled'],
    actions: {
      new: ['submit', 'schedule', 'cancel'],
      assess: ['request-authorization', 'schedule', 'cancel'],
      authorize: ['schedule', 'cancel'],
      scheduled: ['implement', 'schedule', 'cancel'],
      implement: ['review'],
      review: ['close'],
    },
    moduleMessages: ['approved', 'rejected'],
  },
  {
    key: 'itsm-release',
    version: 1,
    name: t('Release', '发布'),
    recordType: 'release',
    formKey: 'release',
    bpmn: bpmnOf('itsm-release'),
    states: ['planning', 'build', 'test', 'deploy', 'review', 'closed', 'cancelled'],
    actions: {
      planning: ['build', 'cancel'],
      build: ['test', 'cancel'],
      test: ['deploy', 'cancel'],
      deploy: ['review'],
      review: ['close'],
    },
    moduleMessages: [],
  },
  {
    key: 'itsm-knowledge',
    version: 1,
    name: t('Knowledge article review', '知识文章审核'),
    recordType: 'knowledge',
    formKey: null,
    bpmn: bpmnOf('itsm-knowledge'),
    states: ['draft', 'review', 'published', 'retired'],
    actions: {
      draft: ['submit'],
      review: ['approve', 'reject'],
      published: ['retire'],
    },
    moduleMessages: [],
  },
  {
    key: 'itsm-inspection',
    version: 1,
    name: t('Daily inspection', '每日巡检'),
    recordType: null,
    formKey: null,
    bpmn: bpmnOf('itsm-inspection'),
    states: [],
    actions: {},
    moduleMessages: [],
  },
];
