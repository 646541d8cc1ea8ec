// A small typed client of the core API over fetch: call(route, { params, query, body }) with the
// route's schemas as the types of what goes in and comes back. An error reply ({ code, message,
// details }) becomes an ApiError. Only types come from the schemas, so this module (and paths.ts)
// is all a browser bundle needs of the contracts: TypeBox stays out of it.
import type { Static, TSchema } from 'typebox';
import { methodOf, type PathArgs, pathOf, type RouteName } from './paths.ts';
import type { Contract } from './routes.ts';

/** One entry of an error reply's details: a field (JSON pointer) or a BPMN element, and what is wrong. */
export interface ErrorDetail {
  field?: string;
  elementId?: string;
  in?: string;
  message: string;
  [more: string]: unknown;
}

/** An error reply: its status, code (UPPER_SNAKE) and message; the message ends with the details, if any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Schemas<R extends RouteName> = Contract[R];
type StaticOf<S> = S extends TSchema ? Static<S> : never;

type ParamsIn<R extends RouteName> = PathArgs<R> extends [] ? { params?: undefined } : { params: PathArgs<R>[0] };
type QueryIn<R extends RouteName> = Schemas<R> extends { query: infer Q } ? { query?: StaticOf<Q> } : { query?: undefined };
type BodyIn<R extends RouteName> =
  Schemas<R> extends { body: infer B }
    ? // biome-ignore lint/complexity/noBannedTypes: a body whose fields are all optional may be left out
      {} extends StaticOf<B>
      ? { body?: StaticOf<B> }
      : { body: StaticOf<B> }
    : { body?: undefined };

/** What call() takes for a route: its path parameters, query string and body, as its schemas say. */
export type CallInput<R extends RouteName> = ParamsIn<R> & QueryIn<R> & BodyIn<R>;
/** What a route answers when it succeeds. */
export type CallReply<R extends RouteName> = {
  [S in keyof Schemas<R>['reply']]: StaticOf<Schemas<R>['reply'][S]>;
}[keyof Schemas<R>['reply']];
type CallArgs<R extends RouteName> =
  // biome-ignore lint/complexity/noBannedTypes: routes without parameters or a required body take no input
  {} extends CallInput<R> ? [input?: CallInput<R>] : [input: CallInput<R>];

export interface ClientOptions {
  /** The fetch to use (the global one by default). */
  fetch?: typeof fetch;
  /** The access token, or a function giving the current one; none: requests go without one. */
  token?: string | (() => string | undefined);
  /** Where the API is: '' (the page's own origin) by default. */
  baseUrl?: string;
  /** Told of every error reply before it is thrown (e.g. to end the session on a 401). */
  onError?: (error: ApiError, route: RouteName) => void;
}

export interface Client {
  call<R extends RouteName>(route: R, ...args: CallArgs<R>): Promise<CallReply<R>>;
  /** Uploads a file as an attachment (with taskId: of that task's instance). */
  upload(file: Blob, filename: string, taskId?: string): Promise<CallReply<'attachments.upload'>>;
  /** Downloads an attachment: its bytes and the file name the server gave. */
  download(id: string): Promise<{ blob: Blob; filename: string | undefined }>;
}

const summary = (details: ErrorDetail[] | undefined) =>
  details?.length ? `: ${details.map((d) => (d.elementId ? `${d.elementId}: ${d.message}` : d.message)).join('; ')}` : '';

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.append(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function createClient(options: ClientOptions = {}): Client {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const baseUrl = options.baseUrl ?? '';
  const tokenNow = () => (typeof options.token === 'function' ? options.token() : options.token);

  const headers = (json: boolean): Record<string, string> => {
    const h: Record<string, string> = {};
    if (json) h['content-type'] = 'application/json';
    const token = tokenNow();
    if (token) h.authorization = `Bearer ${token}`;
    return h;
  };

  /** Reads an error reply into an ApiError, tells onError, and throws it. */
  const fail = async (route: RouteName, res: Response): Promise<never> => {
    const text = await res.text().catch(() => '');
    let data: { code?: string; message?: string; details?: ErrorDetail[] } | undefined;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    const details = Array.isArray(data?.details) ? data.details : undefined;
    const error = new ApiError(res.status, data?.code ?? 'HTTP_ERROR', `${data?.message ?? res.statusText}${summary(details)}`, details);
    options.onError?.(error, route);
    throw error;
  };

  const send = async (route: RouteName, url: string, init: RequestInit): Promise<Response> => {
    const res = await doFetch(`${baseUrl}${url}`, init);
    return res.ok ? res : fail(route, res);
  };

  return {
    async call(route, ...[input]) {
      const { params, query, body } = (input ?? {}) as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
      const path = (pathOf as (r: RouteName, p?: Record<string, string>) => string)(route, params);
      const res = await send(route, path + queryString(query), {
        method: methodOf(route),
        headers: headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as never;
    },

    async upload(file, filename, taskId) {
      const form = new FormData();
      form.append('file', file, filename);
      const res = await send('attachments.upload', pathOf('attachments.upload') + queryString({ taskId }), {
        method: 'POST',
        headers: headers(false),
        body: form,
      });
      return res.json();
    },

    async download(id) {
      const res = await send('attachments.download', pathOf('attachments.download', { id }), { headers: headers(false) });
      const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
      return { blob: await res.blob(), filename: name ? decodeURIComponent(name) : undefined };
    },
  };
}
