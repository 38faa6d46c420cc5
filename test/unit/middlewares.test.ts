/**
 * The middlewares of functions/middlewares.ts, each tested as middy's own are: wrap a trivial
 * handler, invoke it, look at what came out (the answer, the log lines, the flushes).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { flushMetrics, noEarlyTimeout, problemJson, requestId, requestIdOf } from '#functions/middlewares.ts';
import { InvalidInput, NotFound } from '#app/errors.ts';
import { IllegalTransition } from '#domain/proposal.ts';
import { log } from '#shared/log.ts';
import { FakeMetrics } from '../fakes/index.ts';
import { httpEvent, lambdaContext, samples } from '../events/index.ts';

/** The JSON log lines written while `run` runs (LOG_LEVEL info). */
async function linesOf(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => lines.push(String(chunk)) > 0;
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  vi.stubEnv('LOG_LEVEL', 'info');
  try {
    await run().catch(() => undefined);
  } finally {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
  return lines.flatMap((l) => l.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('requestId', () => {
  it("is API Gateway's for an HTTP event, Lambda's otherwise, and none without either", () => {
    expect(requestIdOf(samples.apiGatewayHttp(), lambdaContext('api', 'lambda-1'))).toBe('XyZ1aBcDoAMEbQw=');
    expect(requestIdOf(samples.sqsBatch(), lambdaContext('mailer', 'lambda-1'))).toBe('lambda-1');
    expect(requestIdOf(samples.schedule(), undefined)).toBeUndefined();
  });

  it('puts the id on every line the handler writes, and on none after the invocation, answered or thrown', async () => {
    const ok = middy()
      .use(requestId())
      .handler(async () => log.info('inside'));
    const failing = middy()
      .use(requestId())
      .handler(async () => {
        log.warn('about to fail');
        throw new Error('boom');
      });
    const lines = await linesOf(async () => {
      await ok(samples.schedule(), lambdaContext('sweep', 'req-1'));
      log.info('between');
      await failing(samples.schedule(), lambdaContext('sweep', 'req-2')).catch(() => undefined);
      log.info('after');
    });
    expect(lines.map((l) => [l.message, l.requestId])).toEqual([
      ['inside', 'req-1'],
      ['between', undefined],
      ['about to fail', 'req-2'],
      ['after', undefined],
    ]);
  });
});

describe('flushMetrics', () => {
  it('flushes what the invocation counted once, after an answer and after a throw', async () => {
    const metrics = new FakeMetrics();
    const ok = middy()
      .use(flushMetrics(metrics))
      .handler(async () => metrics.count('EventsHandled', 2));
    const failing = middy()
      .use(flushMetrics(metrics))
      .handler(async () => {
        metrics.count('EventsFailed');
        throw new Error('boom');
      });
    await ok({}, lambdaContext());
    await expect(failing({}, lambdaContext())).rejects.toThrow('boom');
    expect(metrics.flushed.map((m) => Object.fromEntries(m))).toEqual([{ EventsHandled: 2 }, { EventsFailed: 1 }]);
    expect(metrics.counts.size).toBe(0);
  });
});

describe('problemJson', () => {
  const wrap = (run: () => Promise<APIGatewayProxyStructuredResultV2>) =>
    middy<unknown, APIGatewayProxyStructuredResultV2>().use(problemJson()).handler(run);
  const body = (res: APIGatewayProxyStructuredResultV2) => JSON.parse(res.body ?? '') as Record<string, unknown>;

  it('passes an answer through untouched', async () => {
    const answer = { statusCode: 201, body: '{}' };
    expect(await wrap(async () => answer)(httpEvent('POST', '/v1/proposals'), lambdaContext())).toEqual(answer);
  });

  it('answers a known error with its status, in Chinese, as problem+json, and no request id', async () => {
    const res = await wrap(async () => {
      throw new InvalidInput([{ path: 'title', message: '不能为空' }]);
    })(httpEvent('POST', '/v1/proposals'), lambdaContext());
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(body(res)).toEqual({
      type: 'https://proposals.example/problems/400',
      title: '请求无效',
      status: 400,
      detail: '请求内容有误',
      errors: [{ path: 'title', message: '不能为空' }],
    });
    const missing = await wrap(async () => {
      throw new NotFound('提案 x');
    })(httpEvent('GET', '/v1/proposals/x'), lambdaContext());
    expect(body(missing)).toMatchObject({ status: 404, title: '未找到', detail: '未找到提案 x' });
    const illegal = await wrap(async () => {
      throw new IllegalTransition('closed', 'assigned');
    })(httpEvent('POST', '/v1/proposals/x/assignment'), lambdaContext());
    expect(body(illegal)).toMatchObject({ status: 409, detail: '提案当前状态为「已办结」，不能变为「已交办」', currentStatus: 'closed' });
  });

  it('answers an unexpected error 500 with the request id, which its log line carries too', async () => {
    const handler = middy<unknown, APIGatewayProxyStructuredResultV2>()
      .use(requestId())
      .use(problemJson())
      .handler(async () => {
        throw new TypeError('cannot read x of undefined');
      });
    let res: APIGatewayProxyStructuredResultV2 | undefined;
    const lines = await linesOf(async () => {
      res = await handler(httpEvent('GET', '/v1/me', { requestId: 'api-req-9' }), lambdaContext('api', 'lambda-9'));
    });
    expect(res?.statusCode).toBe(500);
    expect(body(res!)).toEqual({
      type: 'https://proposals.example/problems/500',
      title: '服务器错误',
      status: 500,
      detail: '服务器内部错误，请稍后重试',
      requestId: 'api-req-9',
    });
    expect(lines).toMatchObject([
      { level: 'ERROR', message: 'api: unexpected error', requestId: 'api-req-9', error: { name: 'TypeError' } },
    ]);
  });

  it('lets the middlewares used before it still run after an error (the flush)', async () => {
    const metrics = new FakeMetrics();
    const handler = middy<unknown, APIGatewayProxyStructuredResultV2>()
      .use(flushMetrics(metrics))
      .use(problemJson())
      .handler(async () => {
        metrics.count('ProposalsSubmitted');
        throw new Error('boom');
      });
    expect((await handler(httpEvent('POST', '/v1/proposals'), lambdaContext())).statusCode).toBe(500);
    expect(metrics.flushed).toHaveLength(1);
  });
});

describe('noEarlyTimeout', () => {
  it('lets a batch run past what the context says remains (middy would otherwise give up early)', async () => {
    const slow = async () => {
      await new Promise((r) => setTimeout(r, 30));
      return 'done';
    };
    const context = { ...lambdaContext('reactor'), getRemainingTimeInMillis: () => 10 };
    expect(await middy(noEarlyTimeout).handler(slow)({}, context)).toBe('done');
    await expect(middy().handler(slow)({}, context)).rejects.toThrow('aborted');
  });
});
