/**
 * POST /v1/proposals with two proposers of the same memberId: rejected with 400 naming the repeat
 * (each proposer's reply and feedback link are keyed by memberId, so a repeat would lose one).
 */
import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { createHandler } from '#functions/api/handler.ts';
import { fakeState } from '../fakes/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const ctx = { functionName: 'api', awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

async function submit(proposers: { memberId: string; name: string; email: string }[]) {
  const f = fakeState(config);
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/v1/proposals',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: '关于夜市的建议', body: '夜市。', proposers }),
    isBase64Encoded: false,
    requestContext: {
      http: { method: 'POST', path: '/v1/proposals', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      authorizer: { jwt: { claims: { sub: 'office-1', role: 'office' }, scopes: null } },
    },
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
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
