/**
 * The local runtime against the real emulators, with trivial handlers of our own (the event
 * sources, the HTTP gateway, start/stop), so it does not depend on the application's handlers.
 */
import { spawn, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { reactorFilterPatterns } from '#shared/wiring.ts';
import { startDynamoLocal, isDynamoLocalPid, type DynamoLocal } from '#infra/local/dynamodb.ts';
import { startSqsLocal, type SqsLocal } from '#infra/local/sqs.ts';
import { createResources, type LocalResources } from '#infra/local/resources.ts';
import { startStreamPoller, type StreamPoller, type StreamTrigger } from '#infra/local/stream-poller.ts';
import { sqsFailureDestination } from '#infra/local/stream-failure.ts';
import { startSqsPoller } from '#infra/local/sqs-poller.ts';
import { drainUntilIdle } from '#infra/local/drain.ts';
import { signToken, verifyToken } from '#infra/local/jwt.ts';
import { freePort } from '#infra/local/ports.ts';
import { startLocalStack, type LocalHandlers, type LocalStack } from '#infra/local/stack.ts';

const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

/** Java processes running DynamoDB Local on `port` (the watchdog `sh` is not counted). */
function javaOnPort(port: number): number[] {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  return lines
    .filter((l) => /^\d+\s+\S*java\s.*DynamoDBLocal\.jar/.test(l.trim()) && l.includes(` -port ${port}`))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

const sk = (r: DynamoDBRecord) => r.dynamodb?.Keys?.SK?.S ?? '';

describe('event sources on the emulators', () => {
  let ddb: DynamoLocal;
  let sqs: SqsLocal;
  let ddbClient: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  let sqsClient: SQSClient;
  const pollers: StreamPoller[] = [];
  const stoppers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    [ddb, sqs] = await Promise.all([startDynamoLocal({ port: await freePort() }), startSqsLocal({ port: 0, region })]);
    ddbClient = new DynamoDBClient({ endpoint: ddb.endpoint, region, credentials });
    streams = new DynamoDBStreamsClient({ endpoint: ddb.endpoint, region, credentials });
    sqsClient = new SQSClient({ endpoint: sqs.endpoint, region, credentials, useQueueUrlAsEndpoint: false });
  });

  afterAll(async () => {
    for (const s of stoppers) await s();
    [ddbClient, streams, sqsClient].forEach((c) => c?.destroy());
    await sqs?.stop();
    await ddb?.stop();
  });

  /** A fresh table (and so a fresh stream) per test; the queues are shared. */
  async function table(): Promise<LocalResources> {
    return createResources(ddbClient, sqsClient, `t-${randomUUID()}`);
  }

  const put = (tableName: string, SK: string, extra: Record<string, { S: string }> = {}) =>
    ddbClient.send(new PutItemCommand({ TableName: tableName, Item: { PK: { S: 'P#1' }, SK: { S: SK }, ...extra } }));

  function poll(res: LocalResources, handler: (e: DynamoDBStreamEvent) => Promise<unknown>, trigger: Partial<StreamTrigger> = {}) {
    const poller = startStreamPoller({
      client: streams,
      streamArn: res.streamArn,
      region,
      trigger: {
        batchSize: 10,
        retryAttempts: 2,
        bisectBatchOnError: true,
        startingPosition: 'TRIM_HORIZON',
        filterPatterns: reactorFilterPatterns,
        ...trigger,
      },
      handler,
      onFailure: sqsFailureDestination(sqsClient, res.queues.streamFailures.url, res.streamArn, 'reactor'),
      log: () => undefined,
    });
    pollers.push(poller);
    stoppers.push(() => poller.stop());
    return poller;
  }

  it('backs off while DynamoDB is unreachable, logs a repeated error once, and stops at once', async () => {
    const res = await table();
    // A client of its own that we can cut off: every call fails as a refused connection would.
    const client = new DynamoDBStreamsClient({ endpoint: ddb.endpoint, region, credentials, maxAttempts: 1 });
    let down = false;
    let failedCalls = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        if (!down) return next(args);
        failedCalls += 1;
        await new Promise((r) => setImmediate(r)); // asynchronous, like a refused connection
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1'), { code: 'ECONNREFUSED' });
      },
      { step: 'initialize' },
    );
    const logged: string[] = [];
    const poller = startStreamPoller({
      client,
      streamArn: res.streamArn,
      region,
      trigger: {
        batchSize: 10,
        retryAttempts: 2,
        bisectBatchOnError: true,
        startingPosition: 'TRIM_HORIZON',
        filterPatterns: reactorFilterPatterns,
      },
      handler: async () => undefined,
      onFailure: async () => undefined,
      log: (m) => void logged.push(m),
    });
    try {
      await poller.started;
      down = true;
      await sleep(2500);
      expect(poller.quietCycles).toBe(0); // never idle while failing: drain() does not take it for settled
    } finally {
      const t0 = performance.now();
      await poller.stop();
      expect(performance.now() - t0).toBeLessThan(500);
      client.destroy();
    }
    // Pauses of 0.5, 1 and 2 s: a handful of calls in 2.5 s (it spun thousands of times before).
    expect(failedCalls).toBeGreaterThanOrEqual(2);
    expect(failedCalls).toBeLessThanOrEqual(5);
    expect(logged).toEqual(['stream poller error']);
  });

  it('is idempotent when the table and queues exist', async () => {
    const a = await table();
    const b = await createResources(ddbClient, sqsClient, a.tableName);
    expect(b).toEqual(a);
  });

  it('passes inserted EVENT# items to the stream handler, shaped like Lambda, and nothing else', async () => {
    const res = await table();
    const seen: DynamoDBRecord[] = [];
    const poller = poll(res, async (e) => void seen.push(...e.Records));
    await put(res.tableName, 'PROPOSAL', { title: { S: '关于加强社区养老的提案' } });
    await put(res.tableName, 'EVENT#0001', { type: { S: 'ProposalSubmitted' } });
    await put(res.tableName, 'EVENT#0001', { type: { S: 'changed' } }); // MODIFY: filtered out
    await waitFor(() => seen.length > 0);
    await drainUntilIdle([poller], [], 10_000);
    expect(seen.map(sk)).toEqual(['EVENT#0001']);
    const [r] = seen;
    expect(r).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb', eventSourceARN: res.streamArn, awsRegion: region });
    expect(r?.eventID).toEqual(expect.any(String));
    expect(r?.dynamodb?.SequenceNumber).toEqual(expect.any(String));
    expect(r?.dynamodb?.NewImage?.type).toEqual({ S: 'ProposalSubmitted' });
    expect(r?.dynamodb?.ApproximateCreationDateTime).toEqual(expect.any(Number));
  });

  it('retries from a reported batchItemFailure, in order, and the record succeeds later', async () => {
    const res = await table();
    const done: string[] = [];
    let failedOnce = false;
    const poller = poll(res, async (e) => {
      for (const r of e.Records) {
        if (sk(r) === 'EVENT#2' && !failedOnce) {
          failedOnce = true;
          return { batchItemFailures: [{ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' }] };
        }
        done.push(sk(r));
      }
      return { batchItemFailures: [] };
    });
    for (const n of [1, 2, 3]) await put(res.tableName, `EVENT#${n}`);
    await waitFor(() => done.length === 3);
    await drainUntilIdle([poller], [], 10_000);
    expect(failedOnce).toBe(true);
    expect(done).toEqual(['EVENT#1', 'EVENT#2', 'EVENT#3']);
  });

  it('sends a record that always fails to stream-failures after the retries, and later records still flow', async () => {
    const res = await table();
    const done: string[] = [];
    let badCalls = 0;
    const poller = poll(res, async (e) => {
      if (e.Records.some((r) => sk(r) === 'EVENT#bad')) {
        badCalls += 1;
        throw new Error('poison record');
      }
      done.push(...e.Records.map(sk));
    });
    for (const s of ['EVENT#a', 'EVENT#bad', 'EVENT#c']) await put(res.tableName, s);
    await waitFor(() => done.includes('EVENT#c'));
    await put(res.tableName, 'EVENT#d');
    await waitFor(() => done.includes('EVENT#d'));
    await drainUntilIdle([poller], [], 10_000);
    expect(done).toEqual(['EVENT#a', 'EVENT#c', 'EVENT#d']);
    // Alone in its batch (after bisecting), the poison record was tried 1 + retryAttempts times.
    expect(badCalls).toBeGreaterThanOrEqual(3);

    const { Messages = [] } = await sqsClient.send(
      new ReceiveMessageCommand({ QueueUrl: res.queues.streamFailures.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
    );
    expect(Messages).toHaveLength(1);
    const failure: unknown = JSON.parse(Messages[0]?.Body ?? '{}');
    expect(failure).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      DDBStreamBatchInfo: { batchSize: 1, streamArn: res.streamArn },
      records: [{ dynamodb: { Keys: { SK: { S: 'EVENT#bad' } } } }],
    });
  });

  it('redelivers a failed SQS message and, after maxReceiveCount (5), it lands in the DLQ', async () => {
    const res = await table();
    const seen: SQSRecord[] = [];
    let threw = false;
    const poller = startSqsPoller({
      client: sqsClient,
      queueUrl: res.queues.notices.url,
      queueArn: res.queues.notices.arn,
      region,
      batchSize: 10,
      visibilityTimeoutSeconds: 1,
      waitTimeSeconds: 1,
      log: () => undefined,
      handler: async (e: SQSEvent) => {
        seen.push(...e.Records);
        if (!threw && e.Records.some((r) => r.body === 'flaky')) {
          threw = true;
          throw new Error('whole batch fails');
        }
        return { batchItemFailures: e.Records.filter((r) => r.body === 'bad').map((r) => ({ itemIdentifier: r.messageId })) };
      },
    });
    stoppers.push(() => poller.stop());
    for (const body of ['good', 'bad', 'flaky'])
      await sqsClient.send(new SendMessageCommand({ QueueUrl: res.queues.notices.url, MessageBody: body }));

    const dlq: string[] = [];
    await waitFor(async () => {
      const { Messages = [] } = await sqsClient.send(
        new ReceiveMessageCommand({ QueueUrl: res.noticesDeadLetter.url, WaitTimeSeconds: 1 }),
      );
      dlq.push(...Messages.map((m) => m.Body ?? ''));
      return dlq.length > 0;
    }, 40_000);
    await waitFor(async () => !(await poller.busy()));
    expect(dlq).toEqual(['bad']);
    const bodies = (b: string) => seen.filter((r) => r.body === b);
    expect(bodies('good').length).toBeGreaterThanOrEqual(1);
    expect(bodies('flaky').map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']); // thrown once, then ok
    expect(bodies('bad').map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3', '4', '5']);
    expect(bodies('bad')[0]).toMatchObject({ eventSource: 'aws:sqs', eventSourceARN: res.queues.notices.arn, awsRegion: region });
    expect(bodies('bad')[0]?.receiptHandle).toEqual(expect.any(String));
  });
});

describe('JWT', () => {
  const identity = { sub: 'u1', role: 'unit' as const, unit: 'edu' };

  it('round-trips the claims and rejects forged, expired or malformed tokens', () => {
    const now = 1_800_000_000;
    const token = signToken(identity, 'secret', { nowSeconds: now, ttlSeconds: 60 });
    expect(verifyToken(token, 'secret', now + 1)).toEqual({ ...identity, iat: now, exp: now + 60 });
    expect(verifyToken(token, 'other', now + 1)).toBeUndefined();
    expect(verifyToken(token, 'secret', now + 60)).toBeUndefined();
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...identity, role: 'office', iat: now, exp: now + 60 })).toString('base64url')}.${s}`;
    expect(verifyToken(forged, 'secret', now + 1)).toBeUndefined();
    expect(verifyToken('not.a.token', 'secret')).toBeUndefined();
  });
});

describe('startLocalStack with trivial handlers', () => {
  let stack: LocalStack | undefined;
  let startupMs = 0;
  const apiEvents: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];
  const mailed: string[] = [];

  const handlers: LocalHandlers = {
    api: async (event) => {
      apiEvents.push(event);
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ claims: event.requestContext.authorizer.jwt.claims }),
      };
    },
    reports: async (event) => {
      apiEvents.push(event);
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ served: 'reports' }) };
    },
    // The reactor turns each event into a notice; the mailer records it.
    reactor: async (e) => {
      for (const r of e.Records) {
        await sqs.send(new SendMessageCommand({ QueueUrl: stack?.resources.queues.notices.url, MessageBody: sk(r) }));
      }
    },
    mailer: async (e) => void mailed.push(...e.Records.map((r) => r.body)),
    sweep: async () => ({ swept: true }),
    bounces: async () => undefined,
  };

  // A built console of two files: the app and one hashed asset.
  const consoleDir = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(consoleDir, 'assets'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>工作台</title><div id="app"></div>');
  writeFileSync(join(consoleDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'secret.txt'), 'not for the web');

  beforeAll(async () => {
    const t0 = performance.now();
    stack = await startLocalStack({ port: 0, sesPort: 0, ddbPort: 0, sqsPort: 0, sweepEverySeconds: 0, handlers, consoleDir });
    startupMs = performance.now() - t0;
    console.log(`local stack started in ${Math.round(startupMs)} ms`);
  });
  let sqsInstance: SQSClient | undefined;
  const sqs = {
    send: (cmd: SendMessageCommand) => {
      sqsInstance ??= new SQSClient({ endpoint: stack?.urls.sqs, region, credentials, useQueueUrlAsEndpoint: false });
      return sqsInstance.send(cmd);
    },
  };

  afterAll(async () => {
    sqsInstance?.destroy();
    await stack?.stop();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  const api = (path: string, init?: RequestInit) => fetch(`${stack?.urls.api}${path}`, init);
  /** POST to a local endpoint, as JSON (which they require). */
  const post = (path: string, body?: string) =>
    api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body }) });
  /** A GET with this Host header (fetch sets Host from the URL). */
  const getWithHost = (path: string, host: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(path, stack?.urls.api);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves the console: its files, the app for any route, the security headers, its config', async () => {
    const app = await api('/proposals/3f1c2b7e-0000-4000-8000-000000000000');
    expect(app.status).toBe(200);
    expect(await app.text()).toContain('<div id="app">');
    expect(app.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(app.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(app.headers.get('cache-control')).toBe('no-cache');
    const asset = await api('/assets/index-abc123.js');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await api('/assets/missing.js')).status).toBe(404);
    expect((await api('/..%2Fsecret.txt')).status).toBe(404);
    expect(await (await api('/config.json')).json()).toEqual({
      city: { id: 'local', name: '本地', timeZone: 'Asia/Shanghai' },
      apiBase: '',
      auth: { mode: 'local' },
    });
  });

  it('signs the console in: /_local/login sets the session and redirects to next; /_local/session gives its token', async () => {
    const noSession = await api('/_local/session');
    expect(noSession.status).toBe(401);
    const login = await api('/_local/login?role=unit&unit=commerce&next=/proposals%3Fstatus%3Dassigned', { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/proposals?status=assigned');
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^local_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    const session = await api('/_local/session', { headers: { cookie: cookie.split(';')[0]! } });
    const { token, identity } = (await session.json()) as { token: string; identity: unknown };
    expect(identity).toEqual({ sub: 'local-unit-commerce', role: 'unit', unit: 'commerce' });
    const claims = (await (await api('/v1/proposals', { headers: { authorization: `Bearer ${token}` } })).json()) as {
      claims: Record<string, unknown>;
    };
    expect(claims.claims).toMatchObject({ role: 'unit', unit: 'commerce' });
    // Another site's address is no place to go next; a bad identity is a 400 naming the parameter.
    expect((await api('/_local/login?role=office&next=//evil.example/x', { redirect: 'manual' })).headers.get('location')).toBe('/');
    expect(await (await api('/_local/login?role=unit')).text()).toContain('unit 参数');
    const out = await post('/_local/logout');
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('is healthy and serves the landing page and the clock', async () => {
    expect((await api('/_local/health')).status).toBe(200);
    expect(await (await api('/_local/')).text()).toContain('本地运行环境');
    const before = Date.parse(((await (await api('/_local/clock')).json()) as { now: string }).now);
    const moved = await post('/_local/clock', JSON.stringify({ advance: 'P3D' }));
    const after = Date.parse(((await moved.json()) as { now: string }).now);
    expect(after - before).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect((await post('/_local/clock', '{"advance":"3 days"}')).status).toBe(400);
    const year = await post('/_local/clock', JSON.stringify({ advance: 'P1Y' }));
    expect(year.status).toBe(200);
    expect(new Date(((await year.json()) as { now: string }).now).getUTCFullYear()).toBe(new Date(after).getUTCFullYear() + 1);
    const day = await post('/_local/clock', JSON.stringify({ set: '2026-12-10' }));
    expect(Date.parse(((await day.json()) as { now: string }).now) - Date.parse('2026-12-10T09:00:00+08:00')).toBeLessThan(5000);
    expect(await (await post('/_local/sweep')).json()).toEqual({ ok: true, result: { swept: true } });
    expect(await (await api('/_local/emails')).json()).toEqual([]);
  });

  it('answers only requests for this machine (DNS rebinding), and local POSTs only as JSON (cross-site)', async () => {
    const port = new URL(stack?.urls.api ?? '').port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST:5173'])
      expect((await getWithHost('/_local/token?role=office', host)).status, host).toBe(200);
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, `localhost.evil.example:${port}`]) {
      const refused = await getWithHost('/_local/token?role=office', host);
      expect(refused.status, host).toBe(403);
      expect(refused.body).not.toContain('token"');
      expect(JSON.parse(refused.body)).toMatchObject({ status: 403, title: '无权操作', detail: expect.stringContaining('DNS 重绑定') });
    }
    expect((await getWithHost('/v1/openapi.json', `evil.example:${port}`)).status).toBe(403);

    const now = async () => Date.parse(((await (await api('/_local/clock')).json()) as { now: string }).now);
    const before = await now();
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await api('/_local/clock', { method: 'POST', body: '{"advance":"P3D"}', headers: type ? { 'content-type': type } : {} });
      expect(res.status, type).toBe(415);
      expect(await res.json()).toMatchObject({
        status: 415,
        title: '不支持的媒体类型',
        detail: expect.stringContaining('application/json'),
      });
    }
    expect((await now()) - before).toBeLessThan(60_000); // the clock did not move 3 days
    expect((await api('/_local/sweep', { method: 'POST' })).status).toBe(415);
    expect((await api('/_local/logout', { method: 'POST', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    const json = await api('/_local/clock', { method: 'POST', headers: { 'content-type': 'Application/JSON; charset=utf-8' }, body: '{}' });
    expect(json.status).toBe(400); // JSON, read: only the body is wrong
  });

  it('checks tokens it issued and builds the API Gateway v2 event', async () => {
    expect((await api('/_local/token?role=boss')).status).toBe(400);
    const { token } = (await (await api('/_local/token?role=unit&unit=edu')).json()) as { token: string };
    const unauthorized = await api('/v1/proposals');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await unauthorized.json()).toMatchObject({ type: 'https://proposals.example/problems/401', title: '未认证', status: 401 });
    expect((await api('/v1/proposals', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);

    const ok = await api('/v1/proposals?status=assigned&a=1&a=2', { headers: { authorization: `Bearer ${token}`, 'X-Custom': 'v' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ claims: { role: 'unit', unit: 'edu' } });
    expect(apiEvents.at(-1)).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/v1/proposals',
      rawQueryString: 'status=assigned&a=1&a=2',
      queryStringParameters: { status: 'assigned', a: '1,2' },
      headers: { 'x-custom': 'v' },
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: '/v1/proposals', sourceIp: '127.0.0.1' } },
    });
    expect(apiEvents.at(-1)?.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(apiEvents.at(-1)?.requestContext.timeEpoch).toBeGreaterThan(0);
    // API Gateway's CLF time of the same instant, e.g. 12/Mar/2020:19:03:58 +0000.
    const at = new Date(apiEvents.at(-1)?.requestContext.timeEpoch ?? 0);
    const clf = `${String(at.getUTCDate()).padStart(2, '0')}/${at.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })}/${at.getUTCFullYear()}:${at.toISOString().slice(11, 19)} +0000`;
    expect(apiEvents.at(-1)?.requestContext.time).toBe(clf);

    // Public route: no token needed. Binary body: base64.
    // The reports go to their own function, as API Gateway routes them (shared/wiring.ts); the rest to the api.
    const report = await api('/v1/reports/annual?year=2026', { headers: { authorization: `Bearer ${token}` } });
    expect(await report.json()).toEqual({ served: 'reports' });
    expect(apiEvents.at(-1)).toMatchObject({ rawPath: '/v1/reports/annual', rawQueryString: 'year=2026' });
    expect(await (await api('/v1/reports', { headers: { authorization: `Bearer ${token}` } })).json()).toHaveProperty('claims');

    const feedback = await api('/v1/feedback', { method: 'POST', body: Buffer.from([0xff, 0xfe, 0x00]) });
    expect(feedback.status).toBe(200);
    expect(apiEvents.at(-1)).toMatchObject({ body: Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), isBase64Encoded: true });

    const calls = apiEvents.length;
    const big = await api('/v1/proposals', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '中'.repeat(400_000) });
    expect(big.status).toBe(413);
    expect(apiEvents).toHaveLength(calls);
  });

  it('drain() resolves once the stream and the queue have settled', async () => {
    const ddb = new DynamoDBClient({ endpoint: stack?.urls.dynamodb, region, credentials });
    try {
      for (const n of [1, 2, 3]) {
        await ddb.send(new PutItemCommand({ TableName: stack?.resources.tableName, Item: { PK: { S: 'P#9' }, SK: { S: `EVENT#${n}` } } }));
      }
    } finally {
      ddb.destroy();
    }
    await stack?.drain(20_000);
    expect(mailed.sort()).toEqual(['EVENT#1', 'EVENT#2', 'EVENT#3']);
  });

  it('health answers 503 naming a component that stops answering, and 200 once it is back', async () => {
    const health = async () => {
      const res = await api('/_local/health');
      return { status: res.status, body: (await res.json()) as { ok: boolean; down?: string[] } };
    };
    expect(await health()).toMatchObject({ status: 200, body: { ok: true } });
    await stack?.sesFaults.pause();
    try {
      expect(await health()).toMatchObject({ status: 503, body: { ok: false, down: ['SES'] } });
    } finally {
      await stack?.sesFaults.resume();
    }
    const [java = 0] = javaOnPort(Number(new URL(stack?.urls.dynamodb ?? '').port));
    process.kill(java, 'SIGSTOP'); // frozen: connections open but nothing answers
    try {
      const t0 = performance.now();
      expect(await health()).toMatchObject({ status: 503, body: { ok: false, down: ['DynamoDB Local'] } });
      expect(performance.now() - t0).toBeLessThan(3000);
    } finally {
      process.kill(java, 'SIGCONT');
    }
    expect(await health()).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('a second start on the same DDB_PORT fails with one clear line, and the first stack keeps answering', async () => {
    const ddbPort = Number(new URL(stack?.urls.dynamodb ?? '').port);
    const second = await startLocalStack({ port: 0, sesPort: 0, sqsPort: 0, ddbPort, sweepEverySeconds: 0, handlers }).then(
      async (s) => {
        await s.stop();
        return 'started';
      },
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    expect(second).toMatch(new RegExp(`^端口 ${ddbPort} \\(DynamoDB Local\\) 已被.*请设置环境变量 DDB_PORT`));
    expect(second).not.toContain('\n');
    expect((await api('/_local/health')).status).toBe(200);
    const ddb = new DynamoDBClient({ endpoint: stack?.urls.dynamodb, region, credentials, maxAttempts: 1 });
    try {
      expect((await ddb.send(new ListTablesCommand({}))).TableNames).toContain(stack?.resources.tableName);
    } finally {
      ddb.destroy();
    }
  });

  it('stop() leaves no java process and can be called twice', async () => {
    const port = Number(new URL(stack?.urls.dynamodb ?? '').port);
    expect(javaOnPort(port)).toHaveLength(1);
    await stack?.stop();
    await stack?.stop();
    expect(javaOnPort(port)).toEqual([]);
    await expect(fetch(`${stack?.urls.api}/_local/health`)).rejects.toThrow();
    expect(startupMs).toBeLessThan(30_000);
  });
});

describe('DynamoDB Local after a crashed parent', () => {
  const started: DynamoLocal[] = [];
  afterAll(async () => {
    for (const d of started) await d.stop();
  });

  /** Starts DynamoDB Local in a child node process; resolves with the child and the java pid. */
  async function childWithDynamo(port: number) {
    const code = `const m = await import('#infra/local/dynamodb.ts'); const d = await m.startDynamoLocal({ port: ${port} }); console.log('pid:' + d.pid); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await waitFor(() => /pid:\d+/.test(out) || child.exitCode !== null, 40_000);
    const javaPid = Number(/pid:(\d+)/.exec(out)?.[1]);
    expect(javaPid).toBeGreaterThan(0);
    return { child, javaPid };
  }

  it('the watchdog kills java when the parent is SIGKILLed', async () => {
    const port = await freePort();
    const { child, javaPid } = await childWithDynamo(port);
    child.kill('SIGKILL');
    await waitFor(() => !isDynamoLocalPid(javaPid), 10_000);
    started.push(await startDynamoLocal({ port }));
    expect(javaOnPort(port)).toHaveLength(1);
  });

  it('a second start kills a leftover java found through the pidfile (watchdog killed too)', async () => {
    const port = await freePort();
    const { child, javaPid } = await childWithDynamo(port);
    const watchdog = Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(javaPid)], { encoding: 'utf8' }).trim());
    process.kill(watchdog, 'SIGKILL');
    child.kill('SIGKILL');
    await sleep(500);
    expect(isDynamoLocalPid(javaPid)).toBe(true); // orphaned: nothing left to kill it
    const again = await startDynamoLocal({ port });
    started.push(again);
    expect(isDynamoLocalPid(javaPid)).toBe(false);
    expect(javaOnPort(port)).toEqual([again.pid]);
  });

  it('a start on the port of a live DynamoDB Local of another runtime fails clearly and leaves it running', async () => {
    const port = await freePort();
    const { child, javaPid } = await childWithDynamo(port);
    const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region, credentials, maxAttempts: 1 });
    try {
      await expect(startDynamoLocal({ port })).rejects.toThrow(
        new RegExp(`^端口 ${port} \\(DynamoDB Local\\) 已被.*请设置环境变量 DDB_PORT`),
      );
      expect(isDynamoLocalPid(javaPid)).toBe(true);
      await expect(client.send(new ListTablesCommand({}))).resolves.toBeDefined();
    } finally {
      client.destroy();
      child.kill('SIGKILL'); // its watchdog then stops java
      await waitFor(() => !isDynamoLocalPid(javaPid), 10_000);
    }
  });

  it('fails with one clear line when the port is taken by another program', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, () => r()));
    try {
      await expect(startDynamoLocal({ port })).rejects.toThrow(`端口 ${port} (DynamoDB Local) 已被其他程序占用：请设置环境变量 DDB_PORT`);
    } finally {
      server.close();
    }
  });
});
