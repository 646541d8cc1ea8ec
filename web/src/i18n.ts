// i18next for the app: namespace `app` (this package) in English and Simplified Chinese, loaded with
// the shell. The designer (`designer`) and form builder (`formBuilder`) namespaces come with their
// pages' code (registerResources), so the shell does not load bpmn-js or the form builder.
// The choice is kept in localStorage; dayjs (antd's date pickers) follows it.
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en.ts';
import { zhCN } from './locales/zh-CN.ts';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORED = 'serviceloom.language';

function initialLanguage(): string {
  const stored = localStorage.getItem(STORED);
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored;
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en: { app: en }, 'zh-CN': { app: zhCN } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  ns: ['app'],
  defaultNS: 'app',
  interpolation: { escapeValue: false },
});

/** Adds a package's namespaces (`{ en: { ns: … }, 'zh-CN': { ns: … } }`), once, when its page loads. */
export function registerResources(resources: Resource): void {
  for (const [lng, namespaces] of Object.entries(resources)) {
    for (const [ns, strings] of Object.entries(namespaces)) {
      if (!i18n.hasResourceBundle(lng, ns)) i18n.addResourceBundle(lng, ns, strings, true, false);
    }
  }
}

const dayjsLocale = (lng: string) => (lng === 'zh-CN' ? 'zh-cn' : 'en');

i18n.on('languageChanged', (lng) => {
  localStorage.setItem(STORED, lng);
  document.documentElement.lang = lng;
  dayjs.locale(dayjsLocale(lng));
});
document.documentElement.lang = i18n.language;
dayjs.locale(dayjsLocale(i18n.language));

export default i18n;
