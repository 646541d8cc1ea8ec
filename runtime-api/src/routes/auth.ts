import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../schemas/common.ts';

const LoginBody = Type.Object(
  {
    tenant: Type.String({ minLength: 1, maxLength: 100 }),
    username: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);

const LoginReply = Type.Object({
  token: Type.String(),
  user: Type.Object({
    id: Type.String(),
    username: Type.String(),
    roles: Type.Array(Type.String()),
    groups: Type.Array(Type.String()),
  }),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true },
      schema: {
        summary: 'Sign in; returns a bearer token',
        tags: ['auth'],
        body: LoginBody,
        response: { 200: LoginReply, ...errors(400, 401) },
      },
    },
    async (request) => app.services.identity.login(request.body.tenant, request.body.username, request.body.password),
  );
};
export default routes;
