import { describe, expect, it } from 'vitest';
import { functions, httpFunctionFor, httpRouting } from '#shared/wiring.ts';

describe('the HTTP API routing (shared/wiring.ts, for CDK and the local runtime alike)', () => {
  it('sends the routes the reports function names to it, and every other path to the api', () => {
    const { byDefault, routes } = httpRouting();
    expect(byDefault).toBe('api');
    expect(routes).toEqual(functions.reports.trigger.routes.map((route) => ({ route, fn: 'reports' })));
    expect(httpFunctionFor('GET', '/v1/reports/summary')).toBe('reports');
    expect(httpFunctionFor('GET', '/v1/reports/annual')).toBe('reports');
    // Only the exact method and path: anything else is the api's (which answers 404/405 for it).
    expect(httpFunctionFor('POST', '/v1/reports/summary')).toBe('api');
    expect(httpFunctionFor('GET', '/v1/reports')).toBe('api');
    expect(httpFunctionFor('GET', '/v1/proposals')).toBe('api');
  });
});
