/**
 * Writes the OpenAPI 3.1 document, generated from the route table and its zod schemas
 * (functions/http/openapi.ts), to docs/openapi.json (for readers and client generators) and, compact, to
 * functions/api/openapi.json (what GET /v1/openapi.json serves; a file beside the api's bundle, so
 * neither zod's JSON Schema generator nor the text is in the code a cold start loads). Run `npm run gen:openapi` after changing
 * a route or a schema; test/unit/openapi-document.test.ts fails until then.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '#functions/http/openapi.ts';
import { routes as apiRoutes } from '#functions/api/routes.ts';
import { openApiComponents } from '#functions/api/schemas.ts';
import { reportRoutes } from '#functions/reports/routes.ts';

/** Every route of the HTTP API, whichever function serves it. */
const routes = [...apiRoutes, ...reportRoutes];

export function renderJson(): string {
  return `${JSON.stringify(openApiDocument(routes, openApiComponents), null, 2)}\n`;
}

export function renderServed(): string {
  return JSON.stringify(openApiDocument(routes, openApiComponents));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = (p: string) => fileURLToPath(new URL(p, import.meta.url));
  writeFileSync(at('../docs/openapi.json'), renderJson());
  writeFileSync(at('../functions/api/openapi.json'), renderServed());
  console.log('wrote docs/openapi.json and functions/api/openapi.json');
}
