/**
 * api: API Gateway HTTP API (v2) -> route -> use case -> JSON. Every error becomes problem+json.
 */
import middy from '@middy/core';
import { lazyHandler, type AppState } from '#app/state.ts';
import { dispatch, MethodNotAllowed } from './router.ts';
import { routes } from './routes.ts';
import { toProblem, type ApiEvent, type ApiResult } from './http.ts';

export function createHandler(state: AppState) {
  return middy<ApiEvent, ApiResult>().handler(async (event) => {
    try {
      return await dispatch(routes, state, event);
    } catch (err) {
      if (err instanceof MethodNotAllowed) return { ...toProblem(err), statusCode: 405 };
      return toProblem(err);
    }
  });
}

export const handler = lazyHandler(createHandler);
