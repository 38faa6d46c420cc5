/** Fire due timers (issue: deadlines). Timers are not written yet, so nothing is ever due. */
import type { AppState } from '#app/state.ts';

export async function sweepDueTimers(_s: AppState): Promise<{ fired: number }> {
  return { fired: 0 };
}
