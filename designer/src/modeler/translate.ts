// bpmn-js's `translate` service in the user's language. bpmn-js passes English templates with
// {placeholders}; the Chinese dictionary covers what the palette, context pad and menus show.
import { ZH_BPMN } from '../i18n/bpmn-js.zh-CN.ts';

export function translateModule(language: () => string) {
  const translate = (template: string, replacements: Record<string, string> = {}) => {
    const text = language().startsWith('zh') ? (ZH_BPMN[template] ?? template) : template;
    return text.replace(/{([^}]+)}/g, (_, key: string) => replacements[key] ?? `{${key}}`);
  };
  return { translate: ['value', translate] };
}
