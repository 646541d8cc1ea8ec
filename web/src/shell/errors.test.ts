import i18n from 'i18next';
import { beforeAll, describe, expect, test } from 'vitest';
import { ApiError } from '../api.ts';
import { en } from '../locales/en.ts';
import { zhCN } from '../locales/zh-CN.ts';
import { errorSentence } from './errors.ts';
import { formattersFor } from './format.ts';

const i18 = i18n.createInstance();
beforeAll(async () => {
  await i18.init({ resources: { en: { app: en }, 'zh-CN': { app: zhCN } }, lng: 'en', defaultNS: 'app', fallbackLng: 'en' });
});

describe('server errors as sentences', () => {
  test('a known code is a translated sentence in the chosen language', async () => {
    const e = new ApiError(401, 'INVALID_CREDENTIALS', 'invalid credentials');
    expect(errorSentence(i18.t, e)).toBe('The tenant, user name or password is wrong.');
    await i18.changeLanguage('zh-CN');
    expect(errorSentence(i18.t, e)).toBe('租户、用户名或密码不正确。');
    await i18.changeLanguage('en');
  });

  test("an unknown code falls back to the server's message", () => {
    expect(errorSentence(i18.t, new ApiError(409, 'SOMETHING_NEW', 'Something new happened to "x".'))).toBe(
      'Something new happened to "x".',
    );
  });

  test('every code has a sentence in both languages', () => {
    expect(Object.keys(zhCN.errors).sort()).toEqual(Object.keys(en.errors).sort());
  });
});

describe('dates and numbers in the chosen language', () => {
  test('Chinese and English formats differ as their readers expect', () => {
    const iso = '2026-03-04T05:06:00Z';
    expect(formattersFor('zh-CN').dateTime(iso)).toMatch(/2026年3月4日/);
    expect(formattersFor('en').dateTime(iso)).toMatch(/Mar 4, 2026/);
    expect(formattersFor('en').number(1234567)).toBe('1,234,567');
    expect(formattersFor('en').dateTime(null)).toBe('—');
  });
});
