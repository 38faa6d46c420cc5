/**
 * reports: API Gateway HTTP API (v2), the GET /v1/reports/* routes -> statistics or the annual
 * report. Every error becomes problem+json, as in the api (the problemJson middleware). Reads only.
 */
import middy from '@middy/core';
import type { ApiState } from '#app/state.ts';
import { reportsState } from '#adapters/aws-state.ts';
import { lazyHandlerOf } from '#adapters/lambda-entry.ts';
import { dispatch } from '#functions/http/router.ts';
import type { ApiEvent, ApiResult } from '#functions/http/http.ts';
import { flushMetrics, problemJson, requestId } from '#functions/middlewares.ts';
import { reportRoutes } from './routes.ts';

export function createHandler(state: ApiState) {
  return middy<ApiEvent, ApiResult>()
    .use(requestId())
    .use(flushMetrics(state.metrics))
    .use(problemJson())
    .handler((event) => dispatch(reportRoutes, state, event));
}

export const handler = lazyHandlerOf(createHandler, reportsState);
