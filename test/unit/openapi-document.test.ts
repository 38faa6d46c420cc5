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
    expect(doc.paths['/v1/proposals']?.post?.requestBody.content['application/json'].schema.required).toEqual([
      'title',
      'body',
      'proposers',
    ]);
    expect(doc.paths['/v1/proposals/{id}']?.get?.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ProposalView',
    });
    expect(doc.components.schemas.ProposalView.properties.matchedKeywords.type).toBe('array');
    expect(doc.paths['/v1/proposals/{id}']?.get?.responses['404']).toEqual({ $ref: '#/components/responses/Problem' });
  });

  it('documents each answer as the code gives it: status, media types, shape, headers', () => {
    const doc = JSON.parse(renderJson()) as { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };
    const ok = (path: string, method: string, status = '200') => doc.paths[path]?.[method]?.responses[status];
    const submit = ok('/v1/proposals', 'post', '201');
    expect(doc.paths['/v1/proposals']?.post?.responses['200']).toBeUndefined();
    expect(submit.headers.location).toBeDefined();
    expect(submit.content['application/json'].schema.required).toEqual(['id', 'number', 'status']);
    expect(ok('/v1/proposals', 'get').content['application/json'].schema.properties.items.items).toEqual({
      $ref: '#/components/schemas/ProposalView',
    });
    expect(ok('/v1/proposals/{id}/events', 'get').content['application/json'].schema.properties.items.items).toEqual({
      $ref: '#/components/schemas/DomainEvent',
    });
    expect(doc.components.schemas.DomainEvent.properties.type.enum).toContain('ProposalSubmitted');
    expect(Object.keys(ok('/v1/reports/annual', 'get').content).sort()).toEqual(['text/html', 'text/markdown']);
    expect(Object.keys(ok('/v1/feedback', 'get').content)).toEqual(['text/html']);
    expect(Object.keys(doc.paths['/v1/feedback']?.get?.responses['400'].content)).toEqual(['text/html']);
    expect(ok('/v1/reports/summary', 'get').content['application/json'].schema.required).toContain('completionRate');
  });

  it('lists the problem responses each route can give', () => {
    const doc = JSON.parse(renderJson()) as { paths: Record<string, Record<string, any>> };
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path]?.[method]?.responses ?? {});
    expect(statuses('/v1/feedback', 'post')).toEqual(['200', '400', '409', '413', '422', '429']);
    expect(statuses('/v1/proposals/{id}/replies/{n}/approve', 'post')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '422',
      '429',
    ]);
    // A write's Idempotency-Key sent again with another body: 422. API Gateway's throttle may answer any route with 429.
    expect(statuses('/v1/proposals', 'get')).toEqual(['200', '400', '401', '403', '429']);
  });
});
