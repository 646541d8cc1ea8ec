// The designer's translations, for the host app to add to its i18next instance as namespace `designer`.
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

export const designerResources = { en: { designer: en }, 'zh-CN': { designer: zhCN } } as const;
export { en as designerEn, zhCN as designerZhCN };
