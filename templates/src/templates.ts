// The flows: one BPMN file each under templates/bpmn/, with what the ITSM API documents about it
// (states, and the actions each state offers), which the tests hold the flow to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Localized, t } from './localized.ts';

export type RecordType = 'incident' | 'request' | 'problem' | 'change' | 'release' | 'knowledge';

export interface ProcessTemplate {
  /** The definition key (the BPMN process id). */
  key: string;
  /**
   * The template's release, written in the file as `exporterVersion` on `bpmn:definitions` (with
   * `exporter="ServiceLoom templates"`): the designer keeps both when a tenant edits its copy, so
   * `templateVersionOf` tells which release a tenant's version was made from.
   */
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

/** The template release a BPMN document was made from, or null (not made from a template). */
export function templateVersionOf(xml: string): number | null {
  const head = /<(?:\w+:)?definitions\b[^>]*>/.exec(xml)?.[0] ?? '';
  if (!/\bexporter="ServiceLoom templates"/.test(head)) return null;
  const v = Number(/\bexporterVersion="(\d+)"/.exec(head)?.[1]);
  return Number.isInteger(v) && v > 0 ? v : null;
}

function template(t: Omit<ProcessTemplate, 'bpmn' | 'version'>): ProcessTemplate {
  const bpmn = bpmnOf(t.key);
  const version = templateVersionOf(bpmn);
  if (version === null) throw new Error(`templates/bpmn/${t.key}.bpmn has no exporterVersion`);
  return { ...t, bpmn, version };
}

const OPEN = ['cancel'];

export const PROCESS_TEMPLATES: readonly ProcessTemplate[] = [
  template({
    key: 'itsm-incident',
    name: t('Incident', '事件'),
    recordType: 'incident',
    formKey: 'incident',
    states: ['new', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'],
    actions: {
      new: ['start', 'resolve', ...OPEN, 'declare-major'],
      in_progress: ['hold', 'resolve', ...OPEN, 'declare-major'],
      on_hold: ['resume', 'resolve', ...OPEN, 'declare-major'],
      resolved: ['reopen', 'close'],
    },
    moduleMessages: ['major-resolved'],
  }),
  template({
    key: 'itsm-request',
    name: t('Request', '服务请求'),
    recordType: 'request',
    formKey: null,
    states: ['new', 'approval', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled', 'rejected'],
    actions: {
      approval: [...OPEN],
      in_progress: ['hold', 'resolve', ...OPEN],
      on_hold: ['resume', 'resolve', ...OPEN],
      resolved: ['reopen', 'close'],
    },
    moduleMessages: ['approved', 'rejected'],
  }),
  template({
    key: 'itsm-problem',
    name: t('Problem', '问题'),
    recordType: 'problem',
    formKey: 'problem',
    states: ['new', 'assess', 'root_cause_analysis', 'fix_in_progress', 'resolved', 'closed'],
    actions: {
      new: ['assess', 'resolve'],
      assess: ['start-rca', 'resolve'],
      root_cause_analysis: ['start-fix', 'known-error', 'raise-change', 'resolve'],
      fix_in_progress: ['known-error', 'raise-change', 'resolve'],
      resolved: ['close'],
    },
    moduleMessages: [],
  }),
  template({
    key: 'itsm-change',
    name: t('Change', '变更'),
    recordType: 'change',
    formKey: 'change',
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
  }),
  template({
    key: 'itsm-release',
    name: t('Release', '发布'),
    recordType: 'release',
    formKey: 'release',
    states: ['planning', 'build', 'test', 'deploy', 'review', 'closed', 'cancelled'],
    actions: {
      planning: ['build', 'cancel'],
      build: ['test', 'cancel'],
      test: ['deploy', 'cancel'],
      deploy: ['review'],
      review: ['close'],
    },
    moduleMessages: [],
  }),
  template({
    key: 'itsm-knowledge',
    name: t('Knowledge article review', '知识文章审核'),
    recordType: 'knowledge',
    formKey: null,
    states: ['draft', 'review', 'published', 'retired'],
    actions: {
      draft: ['submit'],
      review: ['approve', 'reject'],
      published: ['retire'],
    },
    moduleMessages: [],
  }),
  template({
    key: 'itsm-inspection',
    name: t('Daily inspection', '每日巡检'),
    recordType: null,
    formKey: null,
    states: [],
    actions: {},
    moduleMessages: [],
  }),
];
