/**
 * A tiny router: `/v1/proposals/:id` patterns, role checks; 404, 405, 401 and 403 are thrown, and the
 * problem+json middleware (functions/middlewares.ts) answers them as it answers every error.
 */
import type * as z from '#shared/zod.ts';
import { withLeaderScope, type Identity, type Role } from '#domain/access.ts';
import { Forbidden, InvalidInput, NotFound, type FieldProblem } from '#app/errors.ts';
import type { ApiState } from '#app/state.ts';
import { requireActiveMember } from '#app/members.ts';
import type { Member } from '#domain/member.ts';
import { identityOf, type ApiEvent, type ApiResult } from './http.ts';
import { MethodNotAllowed } from './problems.ts';

export interface PublicContext {
  event: ApiEvent;
  state: ApiState;
  params: Record<string, string>;
}
export interface AuthedContext extends PublicContext {
  who: Identity;
  /** A member's own record in the directory (委员名册): every member token is checked against it. */
  member?: Member;
}

/** What the OpenAPI document says of a route. */
export interface RouteDoc {
  /** Unique per route: the name clients (and the console's generated types) call it by. */
  operationId: string;
  summary: string;
  body?: z.ZodMiniType;
  /** The body may be left out (every field of it is optional): no body is `{}`. */
  bodyOptional?: boolean;
  query?: z.ZodMiniType;
  /** The success status; 200 unless given. */
  status?: number;
  /** The schema of the JSON answer. */
  response?: z.ZodMiniType;
  /** Media types of an answer that is a text document (HTML, Markdown) instead of JSON. */
  contentTypes?: readonly string[];
  /** Headers of the success answer: name -> description. */
  headers?: Record<string, string>;
  /** Error statuses answered with a page of the route's own media type instead of problem+json. */
  pageErrors?: readonly number[];
}

/** A route: roles allowed, or 'public' (no token; API Gateway has no authorizer on it either). */
export type Route =
  | { method: string; path: string; roles: readonly Role[]; doc?: RouteDoc; run(ctx: AuthedContext): Promise<ApiResult> }
  | { method: string; path: string; roles: 'public'; doc?: RouteDoc; run(ctx: PublicContext): Promise<ApiResult> };

export const authed = (
  method: string,
  path: string,
  roles: readonly Role[],
  run: (ctx: AuthedContext) => Promise<ApiResult>,
  doc?: RouteDoc,
): Route => ({
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

/** The path's parameters when it fits the pattern; a parameter that is not valid percent-encoding is listed in `bad`. */
function match(pattern: string, path: string): { params: Record<string, string>; bad: FieldProblem[] } | undefined {
  const a = pattern.split('/');
  const b = path.replace(/\/+$/, '').split('/');
  if (a.length !== b.length) return undefined;
  const params: Record<string, string> = {};
  const bad: FieldProblem[] = [];
  for (let i = 0; i < a.length; i++) {
    const p = a[i] ?? '';
    const v = b[i] ?? '';
    if (!p.startsWith(':')) {
      if (p !== v) return undefined;
      continue;
    }
    try {
      params[p.slice(1)] = decodeURIComponent(v);
    } catch {
      bad.push({ path: p.slice(1), message: '不是有效的百分号编码' });
    }
  }
  return { params, bad };
}

/** Runs the route the method and path name; throws what it throws, and NotFound, MethodNotAllowed, Unauthorized, Forbidden. */
export async function dispatch(routes: readonly Route[], state: ApiState, event: ApiEvent): Promise<ApiResult> {
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath;
  const candidates = routes.flatMap((r) => {
    const m = match(r.path, path);
    return m ? [{ r, ...m }] : [];
  });
  if (candidates.length === 0) throw new NotFound(`路径 ${path}`);
  const found = candidates.find((c) => c.r.method === method);
  if (!found) throw new MethodNotAllowed(`路径 ${path} 不支持 ${method} 方法`);
  const { r, params, bad } = found;
  if (r.roles === 'public') {
    if (bad.length) throw new InvalidInput(bad);
    return r.run({ event, state, params });
  }
  // A leader in charge of some units sees only theirs (email.leaders[].units, by the leader's name).
  const who = withLeaderScope(identityOf(event), state.config.email.leaders);
  if (!r.roles.includes(who.role)) throw new Forbidden(`角色 ${who.role} 无权调用 ${method} ${r.path}`);
  if (bad.length) throw new InvalidInput(bad);
  // A member token works only for an active member in the directory (403 with the reason otherwise).
  const member = who.role === 'member' ? await requireActiveMember(state, who.memberId) : undefined;
  return r.run({ event, state, params, who, ...(member ? { member } : {}) });
}
