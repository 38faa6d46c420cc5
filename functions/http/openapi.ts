/**
 * The OpenAPI 3.1 document, generated from route tables and their zod schemas (scripts/gen-openapi.ts
 * writes it; the api serves it as GET /v1/openapi.json).
 */
import * as z from '#shared/zod.ts';
import type { Route } from './router.ts';

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
          errors: {
            type: 'array',
            items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } }, required: ['path', 'message'] },
          },
        },
        required: ['type', 'title', 'status', 'detail'],
      },
    },
  },
};

/** Schemas the document names once (components) and references wherever a route uses them: name -> schema. */
export type Components = Record<string, z.ZodMiniType>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The document's schema helpers, for its components. */
function schemasFor(components: Components) {
  const componentName = (s: unknown) => Object.entries(components).find(([, c]) => c === s)?.[0];

  const schema = (s: z.ZodMiniType, io: 'input' | 'output') => {
    const { $schema: _, ...rest } = z.toJSONSchema(s, {
      io,
      unrepresentable: 'any',
      // A component inside another schema becomes a reference to it.
      override: ({ zodSchema, jsonSchema }) => {
        const name = zodSchema === (s as unknown) ? undefined : componentName(zodSchema);
        if (!name) return;
        for (const k of Object.keys(jsonSchema)) delete (jsonSchema as Record<string, unknown>)[k];
        Object.assign(jsonSchema, ref(name));
      },
    });
    return rest;
  };
  const answer = (s: z.ZodMiniType) => {
    const name = componentName(s);
    return name ? ref(name) : schema(s, 'output');
  };
  return { schema, answer };
}

/** Content of a text document (HTML, Markdown) in each of the media types. */
const documents = (types: readonly string[]) => Object.fromEntries(types.map((t) => [t, { schema: { type: 'string' } }] as const));

/** The success answer: its status, media types and shape, and its headers. */
function success(r: Route, answer: (s: z.ZodMiniType) => unknown) {
  const d = r.doc;
  const status = d?.status ?? 200;
  const content = d?.contentTypes ? documents(d.contentTypes) : { 'application/json': { schema: d?.response ? answer(d.response) : {} } };
  const headers = Object.fromEntries(
    Object.entries(d?.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: 'string' } }] as const),
  );
  return { [String(status)]: { description: status === 201 ? 'Created' : 'OK', content, ...(d?.headers ? { headers } : {}) } };
}

/** The errors a route can answer: problem+json, or a page of its own media type (pageErrors). */
function errors(r: Route) {
  const params = r.path.includes(':');
  const post = r.method === 'POST';
  const authed = r.roles !== 'public';
  const statuses = [
    [400, params || post || r.doc?.query !== undefined],
    [401, authed],
    [403, authed],
    [404, params],
    [409, post],
    [413, post], // a body too large, or a change that would grow the proposal past the store's item limit
    [422, post], // an Idempotency-Key sent again with another body
    [429, true], // API Gateway's throttle answers any route
  ] as const;
  const page = { description: 'a page explaining the problem', content: documents(r.doc?.contentTypes ?? []) };
  const all = [...statuses.filter(([, applies]) => applies).map(([s]) => s), ...(r.doc?.pageErrors ?? [])];
  return Object.fromEntries(
    [...new Set(all)]
      .sort((a, b) => a - b)
      .map((s) => [String(s), r.doc?.pageErrors?.includes(s) ? page : { $ref: '#/components/responses/Problem' }]),
  );
}

export function openApiDocument(routes: readonly Route[], components: Components) {
  const { schema, answer } = schemasFor(components);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([a-zA-Z]+)/g, '{$1}');
    const params = [...r.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = r.doc?.query
      ? Object.entries((schema(r.doc.query, 'input').properties ?? {}) as Record<string, unknown>).map(([name, s]) => ({
          name,
          in: 'query',
          required: false,
          schema: s,
        }))
      : [];
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      ...(r.doc ? { operationId: r.doc.operationId } : {}),
      summary: r.doc?.summary ?? `${r.method} ${path}`,
      'x-roles': r.roles,
      ...(r.roles === 'public' ? { security: [] } : {}),
      parameters: [
        ...params,
        ...query,
        { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } },
      ].filter((p) => r.method !== 'GET' || p.name !== 'Idempotency-Key'),
      ...(r.doc?.body
        ? { requestBody: { required: !r.doc.bodyOptional, content: { 'application/json': { schema: schema(r.doc.body, 'input') } } } }
        : {}),
      responses: { ...success(r, answer), ...errors(r) },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '政协提案办理系统 API',
      version: '1.0.0',
      description: 'HTTP API v1 of the proposal handling backend. Errors are application/problem+json.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    // Same origin as the console (CloudFront sends /v1/* to the API; the local runtime serves both).
    servers: [{ url: '/', description: '与工作台同源（本地 http://127.0.0.1:3000）' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: Object.fromEntries(Object.entries(components).map(([name, c]) => [name, schema(c, 'output')])),
      responses: { Problem: problem },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
