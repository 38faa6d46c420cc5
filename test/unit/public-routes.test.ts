/**
 * The routes the api serves without sign-in are exactly the ones API Gateway (and the local runtime)
 * lets through without a JWT (shared/wiring.ts publicRoutes): a public route missing there could
 * not be reached (401 at the gateway); a path listed there but authed in the api would answer 401.
 */
import { describe, expect, it } from 'vitest';
import { publicRoutes } from '#shared/wiring.ts';
import { routes } from '#functions/api/routes.ts';
import { reportRoutes } from '#functions/reports/routes.ts';

describe('public routes', () => {
  const declared = [...routes, ...reportRoutes].filter((r) => r.roles === 'public').map((r) => `${r.method} ${r.path}`);

  it('the api’s public routes are the wiring’s, and each is an exact path (the local runtime matches them so)', () => {
    expect([...declared].sort()).toEqual([...publicRoutes].sort());
    for (const r of publicRoutes) expect(r, r).not.toMatch(/[:{]/);
  });

  it('include the published results and the letter by link, not the signed-in letter', () => {
    expect(declared).toEqual(expect.arrayContaining(['GET /v1/public/replies', 'GET /v1/public/replies/page', 'GET /v1/letter']));
    expect(declared).not.toContain('GET /v1/proposals/:id/replies/:n/letter');
  });
});
