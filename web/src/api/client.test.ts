import { describe, expect, it, vi } from 'vitest';
import { fetchWith429Retry, retryAfterMs } from './client';

describe('429 retry', () => {
  it('reads Retry-After as seconds or a date, capped', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('3600')).toBe(30_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('repeats a 429 with Retry-After, at most twice, sending the body each time', async () => {
    vi.useFakeTimers();
    const bodies: string[] = [];
    const f = vi.fn(async (r: Request) => {
      bodies.push(await r.text());
      return new Response('', { status: 429, headers: { 'Retry-After': '1' } });
    });
    const done = fetchWith429Retry(new Request('http://x/v1/a', { method: 'POST', body: '{"a":1}' }), f as unknown as typeof fetch);
    await vi.runAllTimersAsync();
    const res = await done;
    vi.useRealTimers();
    expect(res.status).toBe(429);
    expect(f).toHaveBeenCalledTimes(3);
    expect(bodies).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
  });

  it('does not repeat a 429 without Retry-After, nor other errors', async () => {
    for (const res of [new Response('', { status: 429 }), new Response('', { status: 503, headers: { 'Retry-After': '1' } })]) {
      const f = vi.fn(async () => res);
      expect((await fetchWith429Retry(new Request('http://x/'), f as unknown as typeof fetch)).status).toBe(res.status);
      expect(f).toHaveBeenCalledTimes(1);
    }
  });

  it('returns the answer once the retry succeeds', async () => {
    vi.useFakeTimers();
    const answers = [new Response('', { status: 429, headers: { 'Retry-After': '0' } }), new Response('{}', { status: 200 })];
    const f = vi.fn(async () => answers.shift()!);
    const done = fetchWith429Retry(new Request('http://x/'), f as unknown as typeof fetch);
    await vi.runAllTimersAsync();
    expect((await done).status).toBe(200);
    vi.useRealTimers();
  });
});
