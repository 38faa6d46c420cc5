/** The OpenAPI 3.1 document, generated from the route table and its zod schemas (GET /v1/openapi.json). */
import * as z from '#shared/zod.ts';
import type { Route } from './router.ts';
import { proposalView } from './schemas.ts';

const problem = {
  description: 'application/problem+json',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          currentStatus: { type: 'string' },
          errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
    },
  },
};

const schema = (s: z.ZodMiniType, io: 'input' | 'output') => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' });
  return rest;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export function openApiDocument(routes: readonly Route[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([a-zA-Z]+)/g, '{$1}');
    const params = [...r.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = r.doc?.query
      ? Object.entries((schema(r.doc.query, 'input').properties ?? {}) as Record<string, unknown>).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }))
      : [];
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.doc?.summary ?? `${r.method} ${path}`,
      'x-roles': r.roles,
      ...(r.roles === 'public' ? { security: [] } : {}),
      parameters: [...params, ...query, { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }].filter((p) => r.method !== 'GET' || p.name !== 'Idempotency-Key'),
      ...(r.doc?.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(r.doc.body, 'input') } } } } : {}),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: r.path.startsWith('/v1/proposals/:id') ? ref('ProposalView') : {} } } },
        ...Object.fromEntries(['400', '401', '403', '404', '409', '413', '429'].map((status) => [status, { $ref: '#/components/responses/Problem' }])),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: '政协提案办理系统 API', version: '1.0.0', description: 'HTTP API v1 of the proposal handling backend. Errors are application/problem+json.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { ProposalView: schema(proposalView, 'output') },
      responses: { Problem: problem },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
