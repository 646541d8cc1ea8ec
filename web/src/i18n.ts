// i18next for the app: namespaces `app` (this package), `designer` (@serviceloom/designer) and
// `formBuilder` (@serviceloom/form-builder), in English and Simplified Chinese. The choice is kept in localStorage.
import { designerResources } from '@serviceloom/designer';
import { formBuilderResources } from '@serviceloom/form-builder';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en.ts';
import { zhCN } from './locales/zh-CN.ts';

export const LANGUAGES = ['en', 'zh-CN'] as const;
const STORED = 'serviceloom.language';

function initialLanguage(): string {
  const stored = localStorage.getItem(STORED);
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored;
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

void i18n.use(initReactI18next).init({
  resources: {
    en: { app: en, ...designerResources.en, ...formBuilderResources.en },
    'zh-CN': { app: zhCN, ...designerResources['zh-CN'], ...formBuilderResources['zh-CN'] },
  },
  lng: initialLanguage(),
  fallbackLng: 'en',
  ns: ['app', 'designer', 'formBuilder'],
  defaultNS: 'app',
  interpolation: { escapeValue: false },
});

i18n.on('languageChanged', (lng) => {
  localStorage.setItem(STORED, lng);
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18n.language;

export default i18n;
