// @serviceloom/templates: the default ITIL flows as data (templates/README.md). Reads its BPMN
// files from disk, so it runs on the server (and in tests), not in a browser bundle.
export { type ApprovalStep, CATALOG_ITEMS, type CatalogItemTemplate, GROUPS, type GroupTemplate } from './catalog.ts';
export {
  APPROVAL_POLICY,
  CHANGE_AUTHORIZATION,
  DEFAULT_CALENDAR,
  PRIORITY_MATRIX,
  PROBLEM_RULES,
  SETTINGS,
  SLA_POLICIES,
  type SlaPolicyTemplate,
} from './defaults.ts';
export { FORMS, type FormTemplate } from './forms.ts';
export type { Localized } from './localized.ts';
export { PROCESS_TEMPLATES, type ProcessTemplate, type RecordType, templateVersionOf } from './templates.ts';

import { FORMS } from './forms.ts';
import { PROCESS_TEMPLATES } from './templates.ts';

export const processTemplate = (key: string) => PROCESS_TEMPLATES.find((p) => p.key === key);
export const formTemplate = (key: string) => FORMS.find((f) => f.key === key);
export { diffElements, type ElementDiff, type ElementRef } from './diff.ts';
