/**
 * api: API Gateway HTTP API (v2) -> route -> use case -> JSON. Every error becomes problem+json
 * (the problemJson middleware). Writes with an Idempotency-Key answer a repeat with the first result
 * and change nothing.
 */
import { createHash } from 'node:crypto';
import middy from '@middy/core';
import type { ApiState } from '#app/state.ts';
import { apiState } from '#adapters/aws-state.ts';
import { lazyHandlerOf } from '#adapters/lambda-entry.ts';
import { Conflict, InvalidInput } from '#app/errors.ts';
import { dispatch } from '#functions/http/router.ts';
import type { ApiEvent, ApiResult } from '#functions/http/http.ts';
import { flushMetrics, problemJson, requestId } from '#functions/middlewares.ts';
import { routes } from './routes.ts';

/**
 * Whose Idempotency-Key it is: the token's subject and the path. A public route has no subject, so
 * there a SHA-256 of the body stands in for the caller: two callers who happen to pick the same key
 * (each proposer rating with their own link token) never get each other's answer.
 */
function idempotencyScope(event: ApiEvent): string {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  // The role too: with a city's own OIDC issuer (or local dev tokens) one subject may hold two roles.
  if (typeof claims?.sub === 'string') return `${claims.sub}:${String(claims.role ?? claims['cognito:groups'] ?? '')}:${event.rawPath}`;
  const body = createHash('sha256')
    .update(event.body ?? '')
    .digest('base64url');
  return `public:${event.rawPath}:${body}`;
}

/** The route's answer; a POST with an Idempotency-Key runs once, and a repeat gets the first (successful) answer. */
async function withIdempotency(state: ApiState, event: ApiEvent): Promise<ApiResult> {
  const key = event.headers['idempotency-key'];
  if (event.requestContext.http.method !== 'POST' || key === undefined) return dispatch(routes, state, event);
  if (!/^[\x21-\x7e]{1,200}$/.test(key))
    throw new InvalidInput([{ path: 'Idempotency-Key', message: 'use 1 to 200 visible ASCII characters' }]);
  const scope = idempotencyScope(event);
  const begun = await state.idempotency.begin(scope, key, state.clock.now());
  if (begun.state === 'done') return { ...begun.response, headers: { ...begun.response.headers, 'idempotent-replayed': 'true' } };
  if (begun.state === 'pending') throw new Conflict('a request with this Idempotency-Key is still being processed');
  let result: ApiResult;
  try {
    result = await dispatch(routes, state, event);
  } catch (err) {
    await state.idempotency.abandon(scope, key); // an error is not remembered: a retry runs again
    throw err;
  }
  const status = result.statusCode ?? 200;
  if (status >= 200 && status < 300) {
    const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
    await state.idempotency.complete(scope, key, { statusCode: status, headers, body: result.body ?? '' });
  } else {
    await state.idempotency.abandon(scope, key);
  }
  return result;
}

export function createHandler(state: ApiState) {
  return middy<ApiEvent, ApiResult>()
    .use(requestId())
    .use(flushMetrics(state.metrics))
    .use(problemJson())
    .handler((event) => withIdempotency(state, event));
}

export const handler = lazyHandlerOf(createHandler, apiState);
