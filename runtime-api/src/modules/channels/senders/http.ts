// One POST through the egress guard (every address checked, redirects too). A status outside
// 2xx is a failure that names the status and the start of the answer; the guard's refusal
// (EgressBlocked) goes up as it is, for the delivery to be recorded `blocked`.
import { type EgressPolicy, egressFetch } from '../../../platform/egress/guard.ts';

const TIMEOUT_MS = 10_000;

export async function postJson(
  url: string,
  payload: unknown,
  policy: EgressPolicy,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const res = await egressFetch(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'ServiceLoom', ...headers },
      body,
      timeoutMs: TIMEOUT_MS,
      maxBytes: 1024 * 1024,
      maxRedirects: 3,
    },
    policy,
  );
  const text = res.body.toString('utf8');
  if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  return { status: res.status, text };
}

/** DingTalk and WeCom answer 200 with `{ errcode, errmsg }`: anything but errcode 0 failed. */
export function checkErrcode(text: string): void {
  let answer: { errcode?: unknown; errmsg?: unknown };
  try {
    answer = JSON.parse(text);
  } catch {
    throw new Error(`unexpected answer: ${text.slice(0, 200)}`);
  }
  if (answer.errcode !== 0) throw new Error(`errcode ${String(answer.errcode)}: ${String(answer.errmsg ?? '')}`.slice(0, 300));
}
