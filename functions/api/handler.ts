/**
 * api: API Gateway HTTP API (v2) -> route -> use case -> JSON. Every error becomes problem+json
 * (the problemJson middleware). Writes with an Idempotency-Key answer a repeat with the first result
 * and change nothing, for 24 hours (the record then expires); the same key with another body is a 422.
 */
import { createHash } from 'node:crypto';
import middy from '@middy/core';
import type { ApiState } from '#app/state.ts';
import { apiState } from '#adapters/aws-state.ts';
import { lazyHandlerOf } from '#adapters/lambda-entry.ts';
import { Conflict, InvalidInput } from '#app/errors.ts';
import { dispatch } from '#functions/http/router.ts';
import { KeyReused } from '#functions/http/problems.ts';
import type { ApiEvent, ApiResult } from '#functions/http/http.ts';
import { flushMetrics, problemJson, requestId } from '#functions/middlewares.ts';
import { log } from '#shared/log.ts';
import { checkPublicWrite } from './public-writes.ts';
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

/** How long an Idempotency-Key holds its first answer: clients retry within minutes; the record (with names in it) goes after. */
const KEEP_MS = 24 * 60 * 60 * 1000;

/** What a key is bound to: the method, path and body of its first request (a hash). */
function fingerprint(event: ApiEvent): string {
  return createHash('sha256')
    .update(`${event.requestContext.http.method} ${event.rawPath}\n`)
    .update(event.body ?? '')
    .digest('base64url');
}

/**
 * The route's answer; a POST with an Idempotency-Key runs once, and a repeat gets the first
 * (successful) answer. The same key with another method, path or body is refused (422).
 *
 * A 'pending' record never goes stale before it expires: once it is held, the first request may have
 * run its command (a proposal submitted, a 案号 taken) whether or not it lived to record the answer,
 * so a retry is answered 409 rather than running the command again. That is also why a failure to
 * record the answer after the command ran does not fail the request: the caller gets the command's
 * answer (the failure is logged), and a retry gets the 409 until the record expires. Only an answer
 * that is not a success releases the key (nothing was changed: a retry may run again).
 */
async function withIdempotency(state: ApiState, event: ApiEvent): Promise<ApiResult> {
  const key = event.headers['idempotency-key'];
  if (event.requestContext.http.method !== 'POST' || key === undefined) return dispatch(routes, state, event);
  if (!/^[\x21-\x7e]{1,200}$/.test(key))
    throw new InvalidInput([{ path: 'Idempotency-Key', message: '应为 1 到 200 个字符，只能用英文字母、数字和可见的标点符号' }]);
  checkPublicWrite(state, event); // a public write's token before any write, the key's record included
  const scope = idempotencyScope(event);
  const now = state.clock.now();
  const record = { fingerprint: fingerprint(event), expiresAt: new Date(now.getTime() + KEEP_MS) };
  const begun = await state.idempotency.begin(scope, key, record, now);
  if (begun.state !== 'new' && begun.fingerprint !== undefined && begun.fingerprint !== record.fingerprint)
    throw new KeyReused('此 Idempotency-Key 已用于另一个请求（方法、路径或请求体不同）：新的请求请使用新的 Idempotency-Key');
  if (begun.state === 'done') return { ...begun.response, headers: { ...begun.response.headers, 'idempotent-replayed': 'true' } };
  if (begun.state === 'pending')
    throw new Conflict('使用此 Idempotency-Key 的请求正在处理，或已处理但结果未能保存：请先查看最新状态，不要重复提交');
  let result: ApiResult;
  try {
    result = await dispatch(routes, state, event);
  } catch (err) {
    await release(state, scope, key); // an error is not remembered: a retry runs again
    throw err;
  }
  const status = result.statusCode ?? 200;
  if (status < 200 || status >= 300) {
    await release(state, scope, key);
    return result;
  }
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
  try {
    await state.idempotency.complete(scope, key, { ...record, response: { statusCode: status, headers, body: result.body ?? '' } });
  } catch (err) {
    log.error('api: the answer of a write with an Idempotency-Key could not be recorded; its key stays pending until it expires', {
      error: err,
    });
  }
  return result;
}

/** Releases the key after a failed request; if even that fails, the key stays pending (logged) and the request's own answer stands. */
async function release(state: ApiState, scope: string, key: string): Promise<void> {
  try {
    await state.idempotency.abandon(scope, key);
  } catch (err) {
    log.error('api: an Idempotency-Key could not be released; it stays pending until it expires', { error: err });
  }
}

export function createHandler(state: ApiState) {
  return middy<ApiEvent, ApiResult>()
    .use(requestId())
    .use(flushMetrics(state.metrics))
    .use(problemJson())
    .handler((event) => withIdempotency(state, event));
}

export const handler = lazyHandlerOf(createHandler, apiState);
