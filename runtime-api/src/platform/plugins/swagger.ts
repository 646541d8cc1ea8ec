// OpenAPI from the route schemas: the document at /docs/json, the UI at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

type OpenApiDoc = {
  paths?: Record<
    string,
    Record<string, { requestBody?: { required?: boolean; content?: Record<string, { schema?: { required?: string[] } }> } }>
  >;
};

/** A body with no required field may be left out (action routes such as /claim): say so. */
function optionalBodies(doc: OpenApiDoc): OpenApiDoc {
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(operations)) {
      const body = op?.requestBody;
      const schema = body?.content?.['application/json']?.schema;
      if (body && schema && !schema.required?.length) body.required = false;
    }
  }
  return doc;
}

export default fp(
  async (app) => {
    await app.register(swagger, {
      transformObject: (document) =>
        'openapiObject' in document ? optionalBodies(document.openapiObject as OpenApiDoc) : document.swaggerObject,
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'ServiceLoom API',
          description: 'The process core of ServiceLoom: definitions, process instances, user tasks, jobs, messages and signals.',
          version: '0.1.0',
        },
        components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
        tags: [
          { name: 'auth', description: 'Sign in' },
          { name: 'definitions', description: 'Deployed BPMN processes' },
          { name: 'process-instances', description: 'Running and ended processes' },
          { name: 'tasks', description: 'User tasks' },
          { name: 'jobs', description: 'Service tasks for external workers' },
          { name: 'events', description: 'Messages and signals' },
          { name: 'admin', description: 'Operating the server' },
        ],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger' },
);
