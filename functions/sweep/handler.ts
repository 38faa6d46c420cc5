/**
 * sweep: on a schedule (EventBridge every few minutes; locally every few seconds and on
 * POST /_local/sweep) -> fire the timers that are due. A timer that fails is counted (TimersFailed,
 * alarmed) and the others still fire (shared/app/sweep.ts).
 */
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import type { AppState } from '#app/state.ts';
import { lazyHandlerOf } from '#adapters/lambda-entry.ts';
import { sweepState } from '#adapters/aws-state.ts';
import { sqsNotices } from '#adapters/aws-outbound.ts';
import { sweepDueTimers } from '#app/sweep.ts';
import { log } from '#shared/log.ts';
import { flushMetrics, noEarlyTimeout, requestId } from '#functions/middlewares.ts';

export function createHandler(state: AppState) {
  async function sweep(_event: ScheduledEvent) {
    const result = await sweepDueTimers(state);
    if (result.failed > 0) log.warn('sweep: some timers failed (each logged above; retried in an hour)', result);
    else if (result.fired > 0) log.info('sweep: fired timers', result);
    state.metrics.count('TimersFired', result.fired);
    state.metrics.count('TimersDeferred', result.deferred);
    state.metrics.count('TimersFailed', result.failed);
    return result;
  }
  return middy<ScheduledEvent, Awaited<ReturnType<typeof sweep>>>(noEarlyTimeout)
    .use(requestId())
    .use(flushMetrics(state.metrics))
    .handler(sweep);
}

/** Its own state (sweepState): the parts it uses, so its bundle carries no more. */
export const handler = lazyHandlerOf(createHandler, (settings) => sweepState(settings, { notices: sqsNotices }));
