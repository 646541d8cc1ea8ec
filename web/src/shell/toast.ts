// Short confirmations ("INC0000001 is now yours") and errors after an action. They show in the
// bottom right corner: antd's message toasts sit at the top centre, over the page's title, where a
// ticket's number and state are. Through antd's App (shell/Providers.tsx), so no holder is needed.
import { App } from 'antd';
import { useMemo } from 'react';

export interface Toast {
  success(text: string): void;
  error(text: string): void;
  info(text: string): void;
}

export function useToast(): Toast {
  const { notification } = App.useApp();
  return useMemo(
    () => ({
      success: (text) => notification.success({ title: text, duration: 3, role: 'status' }),
      error: (text) => notification.error({ title: text, duration: 6, role: 'alert' }),
      info: (text) => notification.info({ title: text, duration: 3, role: 'status' }),
    }),
    [notification],
  );
}
