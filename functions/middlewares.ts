/**
 * The middy middlewares of our Lambda functions, each a few lines and tested by wrapping a trivial
 * handler (test/unit/middlewares.test.ts). Every function uses the first two; the HTTP ones the third:
 *
 *   middy<E, R>().use(requestId()).use(flushMetrics(state.metrics)).use(problemJson()).handler(...)
 *   middy<E, R>(noEarlyTimeout).use(requestId()).use(flushMetrics(state.metrics)).handler(...)
 *
 * - requestId: the invocation's request id on every log line (shared/log.ts) while it runs: API
 *   Gateway's (`requestContext.requestId`, which the caller also gets as the `apigw-requestid`
 *   header) for an HTTP event, Lambda's `awsRequestId` for the others.
 * - flushMetrics: writes what the invocation counted (EMF, shared/adapters/emf-metrics.ts) when it
 *   ends, answered or thrown.
 * - problemJson: any error becomes its problem+json answer (functions/http/problems.ts, the one
 *   mapping); an unexpected one is logged and answered 500 with the request id.
 * middy runs `after` and `onError` in reverse order of use, so the request id is on the lines the
 * other two write.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Metrics } from '#app/ports.ts';
import { log } from '#shared/log.ts';
import { toProblem } from './http/problems.ts';

const field = (o: unknown, key: string): unknown => (typeof o === 'object' && o !== null ? Reflect.get(o, key) : undefined);

/** API Gateway's request id when the event is an HTTP request, else Lambda's (undefined without a context, as in some tests). */
export function requestIdOf(event: unknown, context: Partial<Context> | undefined): string | undefined {
  const api = field(field(event, 'requestContext'), 'requestId');
  if (typeof api === 'string' && api !== '') return api;
  return context?.awsRequestId || undefined;
}

export function requestId(): MiddlewareObj {
  const end = () => log.forRequest(undefined);
  return {
    name: 'requestId',
    before: (request) => log.forRequest(requestIdOf(request.event, request.context)),
    after: end,
    onError: end,
  };
}

export function flushMetrics(metrics: Pick<Metrics, 'flush'>): MiddlewareObj {
  const flush = () => metrics.flush();
  return { name: 'flushMetrics', after: flush, onError: flush };
}

export function problemJson(): MiddlewareObj<unknown, APIGatewayProxyStructuredResultV2> {
  return {
    name: 'problemJson',
    onError: (request) => {
      // Set, not returned: a returned value would stop the later onError middlewares (the flush).
      request.response = toProblem(request.error, requestIdOf(request.event, request.context));
    },
  };
}

/**
 * middy's settings for the functions of the other triggers (stream, queue, schedule, SNS): no early
 * timeout, so no timer gives up on a batch while its work goes on (Lambda's own timeout ends a run
 * that is too long, and the retry redelivers). The HTTP functions keep middy's default.
 */
export const noEarlyTimeout = { timeoutEarlyInMillis: 0 };
