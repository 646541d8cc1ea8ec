// antd's theme and locale for the whole app, following the app's language.
import { App as AntApp, ConfigProvider } from 'antd';
import enUSModule from 'antd/es/locale/en_US.js';
import type { Locale } from 'antd/es/locale/index.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

// antd's locale files are ES modules typed as CommonJS: under NodeNext their default import types as the module.
const localeOf = (m: unknown) => ((m as { default?: Locale }).default ?? m) as Locale;
const LOCALES: Record<string, Locale> = { en: localeOf(enUSModule), 'zh-CN': localeOf(zhCNModule) };

const THEME = { token: { colorPrimary: '#1f6feb', borderRadius: 6 } };

export function Providers({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={LOCALES[i18n.language] ?? LOCALES.en} theme={THEME}>
      {/* Toasts (shell/toast.ts) in the bottom right, clear of the page's title. */}
      <AntApp notification={{ placement: 'bottomRight', maxCount: 3 }}>{children}</AntApp>
    </ConfigProvider>
  );
}
