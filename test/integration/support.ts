/**
 * Integration test support: the whole local stack (real DynamoDB Local, fauxqs, SES emulator, the
 * real handlers) on free ports, and a small HTTP client that speaks to it like an outside client;
 * or only DynamoDB Local (and fauxqs, which the resources need) for tests of the adapters.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startLocalStack, type LocalHandlers, type LocalStack } from '#infra/local/stack.ts';
import { startDynamoLocal } from '#infra/local/dynamodb.ts';
import { startSqsLocal } from '#infra/local/sqs.ts';
import { createResources } from '#infra/local/resources.ts';
import { freePort } from '#infra/local/ports.ts';

export interface Api {
  stack: LocalStack;
  token(role: string, extra?: Record<string, string>): Promise<string>;
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  emails(): Promise<{ to: string[]; subject: string; text: string; html: string; at: string }[]>;
  settle(): Promise<void>;
}

/** `handlers`: other handlers than the function modules (e.g. the bundles); the city config is then the caller's to set. */
export async function startApi(opts: { cityConfig?: string; handlers?: LocalHandlers } = {}): Promise<Api> {
  const stack = await startLocalStack({ port: 0, sesPort: 0, ddbPort: 0, sqsPort: 0, sweepEverySeconds: 0, ...opts });
  const base = stack.urls.api;
  const tokens = new Map<string, string>();
  return {
    stack,
    async token(role, extra = {}) {
      const q = new URLSearchParams({ role, ...extra }).toString();
      const cached = tokens.get(q);
      if (cached) return cached;
      const res = await fetch(`${base}/_local/token?${q}`);
      const { token } = (await res.json()) as { token: string };
      tokens.set(q, token);
      return token;
    },
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined = opts.raw;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async emails() {
      const res = await fetch(`${base}/_local/emails`);
      return (await res.json()) as { to: string[]; subject: string; text: string; html: string; at: string }[];
    },
    settle: () => stack.drain(30_000),
  };
}

export const sampleProposers = [{ memberId: 'm-wang', name: '王丽', email: 'wangli@example.com' }];

/** The sample city's config file (Alar). */
export const ALAR = fileURLToPath(new URL('../../infra/cities/alar.yaml', import.meta.url));

export interface Tables {
  /** A client of DynamoDB Local (add middleware to it to watch the requests). */
  client: DynamoDBClient;
  /** A fresh table with the stack's keys, indexes and stream; its name. */
  newTable(): Promise<string>;
  stop(): Promise<void>;
}

/** DynamoDB Local (and fauxqs, for the resources) on free ports, without the handlers. */
export async function startTables(): Promise<Tables> {
  const region = 'us-east-1';
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const started = await Promise.allSettled([freePort().then((port) => startDynamoLocal({ port })), startSqsLocal({ port: 0, region })]);
  const [d, q] = started;
  if (d.status === 'rejected' || q.status === 'rejected') {
    // Stop the one that did start before reporting the one that did not.
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop() : Promise.resolve())));
    throw d.status === 'rejected' ? d.reason : q.status === 'rejected' ? q.reason : undefined;
  }
  const [ddb, sqs] = [d.value, q.value];
  const client = new DynamoDBClient({ endpoint: ddb.endpoint, region, credentials });
  const sqsClient = new SQSClient({ endpoint: sqs.endpoint, region, credentials, useQueueUrlAsEndpoint: false });
  return {
    client,
    newTable: async () => (await createResources(client, sqsClient, `t-${randomUUID()}`)).tableName,
    async stop() {
      client.destroy();
      sqsClient.destroy();
      await sqs.stop();
      await ddb.stop();
    },
  };
}
