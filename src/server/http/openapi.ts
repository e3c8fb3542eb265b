// The API described as OpenAPI 3, generated from the routes' zod schemas (one schema per operation, shared
// with validation and the browser's forms): the document at /api/openapi.json, a browsable UI at /api/docs.
// Register before the feature routes: @fastify/swagger collects routes as they are added.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { getOpenApiDocument } from '../../contracts/openapi.ts';
import { routeOf } from './route.ts';
import './route-access.ts';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'ghidanh API',
        version: '0.1.0',
        description:
          'Đăng ký dự thi tốt nghiệp THPT / Registration for the national high-school graduation exam. ' +
          'Sign in with POST /api/session: the session travels in an HttpOnly cookie; every write must also send the ' +
          'header x-csrf-token with the csrfToken the session answers give. Errors share one shape: ' +
          '{ error: { code, vi, en, fields } }.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ghidanh_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, transformStaticCSP: (h) => h.replace("frame-ancestors 'self'", "frame-ancestors 'none'"), uiConfig: { docExpansion: 'list', deepLinking: true } });
  // without the zod type provider: the library's document interfaces have no index signature to match the
  // loose schema's type; the answer is still checked and serialised through the schema at run time
  app.route({ ...routeOf(getOpenApiDocument), config: { access: 'public', cacheable: true }, handler: async () => app.swagger() });
}
