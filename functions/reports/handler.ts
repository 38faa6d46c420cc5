/**
 * reports: API Gateway HTTP API (v2), the GET /v1/reports/* routes -> statistics or the annual
 * report. Every error becomes problem+json, as in the api (functions/api/http.ts). Reads only.
 */
import middy from '@middy/core';
import { apiStateFromEnv, lazyHandlerOf, type ApiState } from '#app/state.ts';
import { serve } from '#functions/api/router.ts';
import type { ApiEvent, ApiResult } from '#functions/api/http.ts';
import { reportRoutes } from './routes.ts';

export function createHandler(state: ApiState) {
  return middy<ApiEvent, ApiResult>().handler((event) => serve(reportRoutes, state, event));
}

export const handler = lazyHandlerOf(createHandler, apiStateFromEnv);
