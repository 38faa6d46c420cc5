import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderJson, renderServed } from '../../scripts/gen-openapi.ts';

const read = (p: string) => readFileSync(fileURLToPath(new URL(p, import.meta.url)), 'utf8');

describe('the committed OpenAPI document', () => {
  it('is what the routes and schemas generate now (run npm run gen:openapi after changing them)', () => {
    expect(read('../../docs/openapi.json')).toBe(renderJson());
    expect(read('../../functions/api/openapi.json')).toBe(renderServed());
  });

  it('describes every route once, the proposal view by reference, and the problem responses', () => {
    const doc = JSON.parse(renderJson()) as { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };
    expect(doc.paths['/v1/proposals']?.post?.requestBody.content['application/json'].schema.required).toEqual(['title', 'body', 'proposers']);
    expect(doc.paths['/v1/proposals/{id}']?.get?.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ProposalView' });
    expect(doc.components.schemas.ProposalView.properties.matchedKeywords.type).toBe('array');
    expect(doc.paths['/v1/proposals/{id}']?.get?.responses['409']).toEqual({ $ref: '#/components/responses/Problem' });
  });
});
