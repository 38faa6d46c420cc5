/**
 * POST /v1/proposals with two proposers of the same memberId: rejected with 400 naming the repeat
 * (each proposer's reply and feedback link are keyed by memberId, so a repeat would lose one).
 */
import { describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { createHandler } from '#functions/api/handler.ts';
import { fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext } from '../events/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const ctx = lambdaContext('api');

async function submit(proposers: { memberId: string; name: string; email: string }[]) {
  const f = fakeState(config);
  const event = httpEvent('POST', '/v1/proposals', {
    claims: { sub: 'office-1', role: 'office' },
    body: { title: '关于夜市的建议', body: '夜市。', proposers },
  });
  const res = await createHandler(f.state)(event, ctx);
  return { status: res.statusCode, body: JSON.parse(res.body ?? '{}') as { errors?: { path: string; message: string }[] } };
}

describe('submit: proposers', () => {
  it('rejects a memberId named twice with 400 naming the repeat', async () => {
    const res = await submit([
      { memberId: 'm-1', name: '王丽', email: 'wangli@example.com' },
      { memberId: 'm-2', name: '李强', email: 'liqiang@example.com' },
      { memberId: 'm-1', name: '王丽', email: 'wangli2@example.com' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'proposers[2].memberId', message: expect.stringContaining('proposers[0]') }]);
  });

  it('accepts distinct memberIds', async () => {
    const res = await submit([
      { memberId: 'm-1', name: '王丽', email: 'wangli@example.com' },
      { memberId: 'm-2', name: '李强', email: 'liqiang@example.com' },
    ]);
    expect(res.status).toBe(201);
  });
});
