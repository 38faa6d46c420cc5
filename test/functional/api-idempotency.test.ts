/**
 * Idempotency-Key on the api handler, with the fakes: a record expires after 24 hours; the same key
 * with another body is a 422; the answer reaches the caller when recording it fails, and a retry does
 * not run the command again; a public write with a bad token writes nothing, not even the key.
 * (test/integration/idempotency.test.ts: the same on DynamoDB Local.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { createHandler } from '#functions/api/handler.ts';
import { log } from '#shared/log.ts';
import { FakeIdempotencyStore, fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext, type HttpOptions } from '../events/index.ts';

const config = { ...loadCityConfigFile('infra/cities/alar.yaml'), cosign: { confirm: false } };
const member = { sub: 'm-1', role: 'member', memberId: 'm-1' };
const body = { title: '关于完善公交线路的建议', body: '优化公交线路。', proposers: [{ memberId: 'm-1' }] };
const HOUR = 60 * 60 * 1000;

let f: ReturnType<typeof fakeState>;
let store: FakeIdempotencyStore;
let call: (method: string, path: string, opts?: HttpOptions) => Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
const submitted = () => f.proposals.eventLog.filter((e) => e.type === 'ProposalSubmitted').length;
const submit = (key: string, b: unknown = body) =>
  call('POST', '/v1/proposals', { claims: member, headers: { 'idempotency-key': key }, body: b });

beforeEach(() => {
  f = fakeState(config);
  store = new FakeIdempotencyStore();
  const api = createHandler({ ...f.state, idempotency: store });
  call = async (method, path, opts) => {
    const res = await api(httpEvent(method, path, opts), lambdaContext('api'));
    return { status: res.statusCode ?? 0, body: JSON.parse(res.body ?? '{}'), headers: res.headers ?? {} };
  };
});
afterEach(() => vi.restoreAllMocks());

describe('Idempotency-Key', () => {
  it('replays the first answer for 24 hours; then the record has expired and the key runs anew', async () => {
    const first = await submit('k-1');
    expect(first.status).toBe(201);
    const [record] = [...store.entries.values()];
    expect(record?.expiresAt).toEqual(new Date(f.clock.now().getTime() + 24 * HOUR));
    f.clock.advance(23 * HOUR);
    const repeat = await submit('k-1');
    expect([repeat.status, repeat.body.id, repeat.headers['idempotent-replayed']]).toEqual([201, first.body.id, 'true']);
    expect(submitted()).toBe(1);
    f.clock.advance(HOUR + 1000);
    const later = await submit('k-1');
    expect(later.status).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.body.id).not.toBe(first.body.id);
    expect(submitted()).toBe(2);
  });

  it('answers the same key with another body 422 in Chinese, and changes nothing', async () => {
    const first = await submit('k-2');
    expect(first.status).toBe(201);
    const other = await submit('k-2', { ...body, title: '关于另一件事的建议' });
    expect(other.status).toBe(422);
    expect(other.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(other.body).toMatchObject({ status: 422, title: '请求无法处理' });
    expect(other.body.detail).toContain('已用于另一个请求');
    expect(submitted()).toBe(1);
    // The first request's answer is still kept for a repeat of it.
    expect((await submit('k-2')).headers['idempotent-replayed']).toBe('true');
  });

  it('answers the result when recording it fails, and a retry (even minutes later) does not run the command again', async () => {
    store.failComplete = new Error('ProvisionedThroughputExceededException');
    const errors = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    const first = await submit('k-3');
    expect(first.status).toBe(201);
    expect(first.body.number).toMatch(/^\d{4}/);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('could not be recorded'), expect.anything());
    store.failComplete = undefined;
    for (const wait of [0, 30_000, 10 * 60_000]) {
      f.clock.advance(wait);
      const retry = await submit('k-3');
      expect(retry.status).toBe(409);
      expect(retry.body.detail).toContain('正在处理，或已处理但结果未能保存');
    }
    expect(submitted()).toBe(1);
  });

  it('releases the key when the command fails (nothing changed): the retry runs', async () => {
    const bad = await submit('k-4', { ...body, proposers: [{ memberId: 'm-nobody' }] });
    expect(bad.status).toBe(400);
    expect(store.entries.size).toBe(0);
    expect((await submit('k-4')).status).toBe(201);
  });
});

describe('a public write with an Idempotency-Key', () => {
  it('checks the feedback token before any write: a bad token writes no key record', async () => {
    const begin = vi.spyOn(store, 'begin');
    const res = await call('POST', '/v1/feedback', {
      body: { token: 'forged.token', satisfaction: 'satisfied' },
      headers: { 'idempotency-key': 'rate-1' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'token', message: expect.stringMatching(/[\u4e00-\u9fff]/) }]);
    expect(begin).not.toHaveBeenCalled();
    expect(store.entries.size).toBe(0);
    // A body that is not even valid is refused before any write too.
    const invalid = await call('POST', '/v1/feedback', { body: { satisfaction: 'great' }, headers: { 'idempotency-key': 'rate-2' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['satisfaction', 'token']);
    expect(begin).not.toHaveBeenCalled();
  });
});
