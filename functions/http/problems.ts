/**
 * Problem+json answers (RFC 9457): the Chinese title of each status, the body, and the one mapping
 * of every error a route can throw to its status (`toProblem`). Used by the problem+json middleware
 * (functions/middlewares.ts) of the api and reports functions, and by the local runtime's own answers
 * (infra/local), so all speak alike.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { IllegalTransition } from '#domain/proposal.ts';
import { statusNames } from '#domain/glossary.ts';
import { NotThisUnitsPart, WorkflowConflict } from '#domain/workflow.ts';
import { ProposalFull } from '#domain/limits.ts';
import { VersionConflict } from '#app/ports.ts';
import { Busy, Conflict, Forbidden, InvalidInput, LimitReached, NotFound, TooLarge } from '#app/errors.ts';
import { log } from '#shared/log.ts';

/** No valid token (or no role in it): 401. */
export class Unauthorized extends Error {}
/** A request body over MAX_BODY_BYTES: 413. */
export class PayloadTooLarge extends Error {}
/** A path that exists, with another method: 405. */
export class MethodNotAllowed extends Error {}
/** An Idempotency-Key sent again with another request (method, path or body): 422. */
export class KeyReused extends Error {}

/** The Chinese title of each problem status (API.md: Chinese text everywhere). */
export const problemTitles: Record<number, string> = {
  400: '请求无效',
  401: '未认证',
  403: '无权操作',
  404: '未找到',
  405: '方法不允许',
  409: '状态冲突',
  413: '请求体过大',
  422: '请求无法处理',
  429: '请求过于频繁',
  500: '服务器错误',
  503: '服务暂不可用',
};

/** The problem+json body of an answer with that status. */
export function problemBody(status: number, detail: string, extra: Record<string, unknown> = {}, title = problemTitles[status] ?? '错误') {
  return { type: `https://proposals.example/problems/${status}`, title, status, detail, ...extra };
}

const problemType = 'application/problem+json; charset=utf-8';

function problem(status: number, detail: string, extra: Record<string, unknown> = {}, title?: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { 'content-type': problemType }, body: JSON.stringify(problemBody(status, detail, extra, title)) };
}

/**
 * Maps any thrown error to a problem+json answer. An unknown error is logged and answered 500 with
 * the request id (`requestId`), which the log lines of the request carry too.
 */
export function toProblem(err: unknown, requestId?: string): APIGatewayProxyStructuredResultV2 {
  if (err instanceof InvalidInput) return problem(400, err.message, { errors: err.errors });
  if (err instanceof Unauthorized) return problem(401, err.message);
  if (err instanceof Forbidden || err instanceof NotThisUnitsPart) return problem(403, err.message);
  if (err instanceof NotFound) return problem(404, err.message);
  if (err instanceof MethodNotAllowed) return problem(405, err.message);
  if (err instanceof PayloadTooLarge || err instanceof TooLarge) return problem(413, err.message);
  if (err instanceof ProposalFull) return problem(413, err.message, {}, '提案记录已达上限');
  if (err instanceof KeyReused) return problem(422, err.message);
  if (err instanceof IllegalTransition)
    return problem(409, `提案当前状态为「${statusNames[err.from]}」，不能变为「${statusNames[err.to]}」`, { currentStatus: err.from });
  if (err instanceof WorkflowConflict) return problem(409, err.message, { currentStatus: err.status });
  if (err instanceof Conflict) return problem(409, err.message, err.status ? { currentStatus: err.status } : {});
  if (err instanceof LimitReached) return problem(429, err.message);
  if (err instanceof Busy) return { ...problem(429, err.message), headers: { 'content-type': problemType, 'retry-after': '1' } };
  if (err instanceof VersionConflict) return problem(409, err.message, {}, '并发冲突');
  log.error('api: unexpected error', { error: err });
  return problem(500, '服务器内部错误，请稍后重试', requestId ? { requestId } : {});
}
