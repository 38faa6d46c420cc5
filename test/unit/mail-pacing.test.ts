import { describe, expect, it } from 'vitest';
import { backoffDelay, pacedMailer, TokenBucket, type Timing } from '#app/mail-pacing.ts';
import { MailError, type MailSender, type OutgoingMail } from '#app/ports.ts';

/** A fake clock: sleeping advances time instantly; `random` is fixed. */
function fakeTiming(random = 0.5) {
  let now = 0;
  const sleeps: number[] = [];
  const timing: Timing = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => random,
  };
  return { timing, sleeps, now: () => now };
}

const mail: OutgoingMail = { from: 'a@example.com', to: ['b@example.com'], subject: 's', text: 't', html: 'h' };

/** Fails with the given errors first, then succeeds; records when each attempt happened. */
function sender(errors: Error[], clock: () => number): MailSender & { attempts: number[] } {
  const attempts: number[] = [];
  return {
    attempts,
    async send() {
      attempts.push(clock());
      const err = errors.shift();
      if (err) throw err;
      return { messageId: `m${attempts.length}` };
    },
  };
}

describe('TokenBucket', () => {
  it('lets the first one through and then spaces takes 1/rate apart', () => {
    const b = new TokenBucket(10, 1, 0);
    expect([b.take(0), b.take(0), b.take(0)]).toEqual([0, 100, 200]);
  });

  it('refills with time, never above the burst', () => {
    const b = new TokenBucket(2, 1, 0);
    expect(b.take(0)).toBe(0);
    expect(b.take(10_000)).toBe(0); // long idle: one token, not twenty
    expect(b.take(10_000)).toBe(500);
  });

  it('keeps any one-second window at or under rate + burst', () => {
    const b = new TokenBucket(5, 1, 0);
    const at: number[] = [];
    let now = 0;
    for (let i = 0; i < 40; i++) {
      now += b.take(now);
      at.push(now);
    }
    for (const start of at) expect(at.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(6);
    expect(at.at(-1)).toBeGreaterThanOrEqual(39 * 200);
  });

  it('rejects a zero rate', () => {
    expect(() => new TokenBucket(0, 1, 0)).toThrow();
  });
});

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt, up to the cap, scaled by the jitter', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, 0.999, 100, 1000))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, 0, 100, 1000)).toBe(0);
    expect(backoffDelay(2, 0.5, 100, 1000)).toBe(200);
  });
});

describe('pacedMailer', () => {
  it('sends at most maxSendRate per second', async () => {
    const t = fakeTiming();
    const ses = sender([], t.now);
    const paced = pacedMailer(ses, { maxSendRate: 4 }, t.timing);
    for (let i = 0; i < 9; i++) await paced.send(mail);
    expect(ses.attempts).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
  });

  it('retries throttling with growing jittered backoff, then succeeds', async () => {
    const t = fakeTiming(0.5);
    const throttled = () => new MailError('Throttling: rate exceeded', false, true);
    const ses = sender([throttled(), throttled()], t.now);
    const paced = pacedMailer(ses, { maxSendRate: 1000, baseDelayMs: 100, maxDelayMs: 5000 }, t.timing);
    await expect(paced.send(mail)).resolves.toEqual({ messageId: 'm3' });
    expect(ses.attempts).toHaveLength(3);
    // backoff 50 (0.5 * 100), then 100 (0.5 * 200); the bucket adds nothing at this rate
    expect(t.sleeps.filter((ms) => ms >= 50)).toEqual([50, 100]);
  });

  it('gives up after throttleRetries and throws the throttling error (back to SQS)', async () => {
    const t = fakeTiming();
    const ses = sender(
      Array.from({ length: 10 }, () => new MailError('Throttling', false, true)),
      t.now,
    );
    const paced = pacedMailer(ses, { maxSendRate: 10, throttleRetries: 2 }, t.timing);
    await expect(paced.send(mail)).rejects.toMatchObject({ throttled: true });
    expect(ses.attempts).toHaveLength(3);
  });

  it('does not retry permanent or transient errors itself', async () => {
    const t = fakeTiming();
    for (const err of [new MailError('MessageRejected', true), new Error('ECONNREFUSED')]) {
      const ses = sender([err], t.now);
      await expect(pacedMailer(ses, { maxSendRate: 10 }, t.timing).send(mail)).rejects.toBe(err);
      expect(ses.attempts).toHaveLength(1);
    }
  });
});
