/**
 * The mailer's sending pace (发送速率): a token bucket keeps this process under the city's
 * `email.maxSendRate`, and SES throttling is retried a few times inside the invocation with
 * exponential backoff and full jitter before the error goes back to SQS. Other errors pass through
 * untouched. Time is injected (`Timing`), so the logic is tested with a fake clock.
 *
 * The bucket is per process: with several mailer containers the account-wide SES rate is shared,
 * which the throttling retries absorb (see docs/notices.md).
 */
import { MailError, type MailSender } from '#app/ports.ts';
import { log } from '#shared/log.ts';

export interface Timing {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export const realTiming: Timing = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** Token bucket with reservations: `take` always succeeds and says how long to wait first. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new Error('TokenBucket: rate must be > 0 and burst >= 1');
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; returns the milliseconds to wait before using it (0 when one is ready). */
  take(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) * this.perSecond) / 1000);
    this.last = Math.max(this.last, now);
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.perSecond);
  }
}

/** Full-jitter exponential backoff: uniform in [0, min(max, base * 2^attempt)). attempt counts from 0. */
export function backoffDelay(attempt: number, random: number, baseMs: number, maxMs: number): number {
  return Math.floor(random * Math.min(maxMs, baseMs * 2 ** attempt));
}

export interface PacingOptions {
  maxSendRate: number;
  /** Throttled sends retried this many times before the error is thrown (default 3). */
  throttleRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Wraps a MailSender: every attempt waits for a token; throttled attempts back off and retry. */
export function pacedMailer(mail: MailSender, opts: PacingOptions, timing: Timing = realTiming): MailSender {
  const { maxSendRate, throttleRetries = 3, baseDelayMs = 200, maxDelayMs = 3000 } = opts;
  const bucket = new TokenBucket(maxSendRate, 1, timing.now());
  return {
    async send(m) {
      for (let attempt = 0; ; attempt++) {
        const wait = bucket.take(timing.now());
        if (wait > 0) await timing.sleep(wait);
        try {
          return await mail.send(m);
        } catch (err) {
          if (!(err instanceof MailError && err.throttled) || attempt >= throttleRetries) throw err;
          const delay = backoffDelay(attempt, timing.random(), baseDelayMs, maxDelayMs);
          log.warn('mailer: throttled by SES, backing off', { attempt: attempt + 1, delayMs: delay });
          await timing.sleep(delay);
        }
      }
    },
  };
}
