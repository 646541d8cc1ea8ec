/** A text in each language the product ships (the first is the fallback). */
export interface Localized {
  en: string;
  'zh-CN': string;
}

export const t = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });
