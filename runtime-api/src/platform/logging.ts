// What the request log may keep: URLs with credentials in their query (an OIDC callback's `code`
// and `state`, a token someone put in a URL) are logged with those values replaced.
import type { FastifyRequest } from 'fastify';

const SECRET_PARAMS = /^(code|state|token|access_token|refresh_token|refreshtoken|id_token|oidccode|password|secret|client_secret)$/i;

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const key of [...params.keys()]) {
    if (SECRET_PARAMS.test(key)) {
      params.set(key, '[redacted]');
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}

/** pino serializers for fastify's logger: the default request fields, with the URL redacted. */
export const logSerializers = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }),
};
