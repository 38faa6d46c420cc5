/**
 * Errors of the local runtime's loops (pollers, the sweep timer) while an emulator is down: log each
 * distinct error once, not every repeat, and pause 500 ms, doubling up to 5 s, before trying again.
 */
type Log = (message: string, err: unknown) => void;

export interface RepeatFilter {
  /** Logs `err` unless it is the same as the previous one. */
  log(message: string, err: unknown): void;
  /** After a success: the next error is logged again. */
  reset(): void;
}

export function repeatFilter(log: Log): RepeatFilter {
  let last: string | undefined;
  return {
    log(message, err) {
      const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (text !== last) log(message, err);
      last = text;
    },
    reset: () => void (last = undefined),
  };
}

export interface ErrorPause {
  /** Records a failure (logged unless it repeats the last one); resolves after the pause, or on `wake()`. */
  after(err: unknown): Promise<void>;
  /** A success: the next error is logged and pauses briefly again. */
  ok(): void;
  /** Ends a pause at once (on stop). */
  wake(): void;
}

const FIRST_MS = 500;
const MAX_MS = 5000;

export function errorPause(log: Log, message: string): ErrorPause {
  const errors = repeatFilter(log);
  let failures = 0;
  let wake = () => {};
  return {
    after(err) {
      errors.log(message, err);
      const ms = Math.min(FIRST_MS * 2 ** failures, MAX_MS);
      failures += 1;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
    ok() {
      failures = 0;
      errors.reset();
    },
    wake: () => wake(),
  };
}
