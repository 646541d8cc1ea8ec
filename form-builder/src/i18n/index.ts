// The form builder's translations, for the host app to add to its i18next instance as namespace `formBuilder`.
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

export const FORM_BUILDER_NS = 'formBuilder';
export const formBuilderResources = { en: { formBuilder: en }, 'zh-CN': { formBuilder: zhCN } } as const;
