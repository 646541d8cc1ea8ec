// Small pieces the admin tabs share: the fixed roles, languages and time zones, and a loader hook.
import type { Role } from '@serviceloom/contracts';
import { useCallback, useEffect, useState } from 'react';
import { errorText } from './adminApi.ts';

/** The fixed roles (contracts' ROLES; listed here so the page does not load the schemas). */
export const ROLES = [
  'platform-admin',
  'tenant-admin',
  'process-owner',
  'form-admin',
  'agent',
  'requester',
  'worker',
] as const satisfies readonly Role[];

/** The languages a user may choose. */
export const LOCALE_OPTIONS = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
] as const;

/** IANA time zones as the browser knows them (the server checks each with Luxon). */
export const TIME_ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Asia/Shanghai', 'Europe/London', 'America/New_York'];
  }
})();

/** Loads once and on `reload()`; `error` holds the failure's sentence. */
export function useLoad<T>(load: () => Promise<T>): {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
} {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `load` is a fresh closure each render; `tick` asks for a reload
  useEffect(() => {
    let live = true;
    setLoading(true);
    load()
      .then((d) => {
        if (!live) return;
        setData(d);
        setError(undefined);
      })
      .catch((e) => live && setError(errorText(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}
