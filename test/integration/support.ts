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
import type { Member } from '#domain/member.ts';

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
export async function startApi(opts: { cityConfig?: string; handlers?: LocalHandlers; members?: readonly Member[] } = {}): Promise<Api> {
  const stack = await startLocalStack({ port: 0, sesPort: 0, ddbPort: 0, sqsPort: 0, sweepEverySeconds: 0, members: testMembers, ...opts });
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
      // The local runtime's POST /_local/* take JSON only, a body or not.
      if (path.startsWith('/_local/')) headers['content-type'] ??= 'application/json';
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

/** The proposer most tests submit as; a submission names them by id (`byId`), the directory has the rest. */
export const sampleProposers = [{ memberId: 'm-wang', name: '王丽', email: 'wangli@example.com' }];

/** The 委员名册 startApi seeds: every member the integration tests sign in as or name as a proposer. */
export const testMembers: Member[] = [
  ['m-wang', '王丽', 'wangli@example.com', '经济界'],
  ['m-1', '王委员', 'wang@example.com', '经济界'],
  ['m-li', '李建国', 'lijianguo@example.com', '教育界'],
  ['m-zhao', '赵敏', 'zhaomin@example.com', '医药卫生界'],
  ['m-sun', '孙强', 'sunqiang@example.com', '农业和农村界'],
  ['m-other', '李', 'li@example.com', '经济界'],
  ['m-deadline', '孙委员', 'sun@example.com', '经济界'],
  ['m-x', '路人', 'lu@example.com', '经济界'],
  ['m-bench', '测试委员', 'bench@example.com', '经济界'],
].map(([memberId = '', name = '', email = '', sector = '']) => ({ memberId, name, email, sector, active: true }));

/** Proposers as a submission names them: by 委员编号 only. */
export const byId = (ps: readonly { memberId: string }[]) => ps.map((p) => ({ memberId: p.memberId }));

/** Each co-proposer (all but the first) confirms the 联名 of proposal `id`. */
export async function acceptCosigns(api: Api, id: string, ps: readonly { memberId: string }[]): Promise<void> {
  for (const p of ps.slice(1)) {
    const token = await api.token('member', { memberId: p.memberId });
    const res = await api.call('POST', `/v1/proposals/${id}/cosign`, { token, body: { accept: true } });
    if (res.status !== 200) throw new Error(`cosign ${p.memberId}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

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
