/**
 * sweep: on a schedule (EventBridge every few minutes; locally every few seconds and on
 * POST /_local/sweep) -> fire the timers that are due.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { lazyHandler, type AppState } from '#app/state.ts';
import { sqsNotices } from '#adapters/aws-outbound.ts';
import { sweepDueTimers } from '#app/sweep.ts';
import { log } from '#shared/log.ts';

export function createHandler(state: AppState) {
  return async (_event: ScheduledEvent) => {
    const result = await sweepDueTimers(state);
    if (result.fired > 0) log.info('sweep: fired timers', result);
    state.metrics.count('TimersFired', result.fired);
    state.metrics.count('TimersDeferred', result.deferred);
    return result;
  };
}

export const handler = lazyHandler(createHandler, { notices: sqsNotices });
