/**
 * A scheduled function locally (EventBridge in AWS): run every few seconds, and on demand
 * (POST /_local/sweep). Runs never overlap; while DynamoDB is down, each distinct error is logged once.
 */
import { repeatFilter } from './error-pause.ts';

export interface LocalSchedule {
  /** Runs the function once, after the run in progress (if any). */
  runNow(): Promise<unknown>;
  /** Stops the timer and waits for the run in progress. */
  stop(): Promise<void>;
}

/** `everySeconds` 0: on demand only. */
export function startSchedule(
  name: string,
  run: () => Promise<unknown>,
  everySeconds: number,
  log = (m: string, err: unknown) => console.error(m, err),
): LocalSchedule {
  let running: Promise<unknown> = Promise.resolve();
  const runNow = () => (running = running.catch(() => undefined).then(run));
  const errors = repeatFilter(log); // DynamoDB down: one line, not one per run
  const timer =
    everySeconds > 0
      ? setInterval(
          () =>
            void runNow().then(
              () => errors.reset(),
              (err: unknown) => errors.log(`${name} failed`, err),
            ),
          everySeconds * 1000,
        )
      : undefined;
  return {
    runNow,
    async stop() {
      clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
}
