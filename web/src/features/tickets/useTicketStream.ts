// Live ticket changes for a page: one EventSource on GET /api/v1/tickets/stream (the token in the
// query: EventSource sends no headers). `onChange` hears each change the signed-in user may see;
// the page fetches what it shows again. EventSource reconnects by itself after a drop; on
// reconnecting (`ready` again) the page refreshes too, for what it may have missed meanwhile.
import type { TicketStreamEvent } from '@serviceloom/contracts';
import { useEffect, useRef } from 'react';
import { useSession } from '../../session.tsx';

export type { TicketStreamEvent };

export function useTicketStream(onChange: (event: TicketStreamEvent | undefined) => void): void {
  const session = useSession();
  const handler = useRef(onChange);
  handler.current = onChange;
  const token = session?.token;
  useEffect(() => {
    if (!token || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/tickets/stream?access_token=${encodeURIComponent(token)}`);
    let opened = false;
    source.addEventListener('ready', () => {
      if (opened) handler.current(undefined);
      opened = true;
    });
    source.addEventListener('ticket', (e) => {
      try {
        handler.current(JSON.parse((e as MessageEvent<string>).data) as TicketStreamEvent);
      } catch {
        // a frame we do not understand: ignore it
      }
    });
    return () => source.close();
  }, [token]);
}
