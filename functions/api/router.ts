/** A tiny router: `/v1/proposals/:id` patterns, role checks, 404/405 as problems. */
import type * as z from '#shared/zod.ts';
import type { Identity, Role } from '#domain/access.ts';
import { Forbidden, NotFound } from '#app/errors.ts';
import type { AppState } from '#app/state.ts';
import { identityOf, type ApiEvent, type ApiResult } from './http.ts';

export interface PublicContext {
  event: ApiEvent;
  state: AppState;
  params: Record<string, string>;
}
export interface AuthedContext extends PublicContext {
  who: Identity;
}

/** A route: roles allowed, or 'public' (no token; API Gateway has no authorizer on it either). */
/** What the OpenAPI document says of a route. */
export interface RouteDoc {
  summary: string;
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
}

export type Route =
  | { method: string; path: string; roles: readonly Role[]; doc?: RouteDoc; run(ctx: AuthedContext): Promise<ApiResult> }
  | { method: string; path: string; roles: 'public'; doc?: RouteDoc; run(ctx: PublicContext): Promise<ApiResult> };

export const authed = (method: string, path: string, roles: readonly Role[], run: (ctx: AuthedContext) => Promise<ApiResult>, doc?: RouteDoc): Route => ({
  method,
  path,
  roles,
  run,
  ...(doc ? { doc } : {}),
});
export const publicRoute = (method: string, path: string, run: (ctx: PublicContext) => Promise<ApiResult>, doc?: RouteDoc): Route => ({
  method,
  path,
  roles: 'public',
  run,
  ...(doc ? { doc } : {}),
});

export class MethodNotAllowed extends Error {}

function match(pattern: string, path: string): Record<string, string> | undefined {
  const a = pattern.split('/');
  const b = path.replace(/\/+$/, '').split('/');
  if (a.length !== b.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    const p = a[i] ?? '';
    const v = b[i] ?? '';
    if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(v);
    else if (p !== v) return undefined;
  }
  return params;
}

export async function dispatch(routes: readonly Route[], state: AppState, event: ApiEvent): Promise<ApiResult> {
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath;
  const candidates = routes.flatMap((r) => {
    const params = match(r.path, path);
    return params ? [{ r, params }] : [];
  });
  if (candidates.length === 0) throw new NotFound(`${path}`);
  const found = candidates.find((c) => c.r.method === method);
  if (!found) throw new MethodNotAllowed(`${method} ${path}`);
  const { r, params } = found;
  if (r.roles === 'public') return r.run({ event, state, params });
  const who = identityOf(event);
  if (!r.roles.includes(who.role)) throw new Forbidden(`${method} ${r.path} is not for role ${who.role}`);
  return r.run({ event, state, params, who });
}
