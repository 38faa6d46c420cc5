/**
 * Notice delivery on the real local emulators (fauxqs, DynamoDB Local, the SES emulator behind its
 * fault-injecting front): exactly once (every email carries SES message tags, which the emulator
 * accepts), through outages, escaped, suppression, SES setup problems retried, permanent failures,
 * poison messages to the DLQ and `npm run redrive` back.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { NoticeOf } from '#events/notices.ts';
import { keys } from '#adapters/keys.ts';
import { byId, startApi, sampleProposers, type Api } from './support.ts';

const run = promisify(execFile);
const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let api: Api;
let sqs: SQSClient;
let db: DynamoDBDocumentClient;
let proposal: { id: string; number: string; title: string };
let office: string;

beforeAll(async () => {
  api = await startApi();
  sqs = new SQSClient({ ...local, endpoint: api.stack.urls.sqs, useQueueUrlAsEndpoint: false });
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...local, endpoint: api.stack.urls.dynamodb }));
  office = await api.token('office');
  const res = await api.call('POST', '/v1/proposals', {
    token: office,
    body: { title: '一点想法', body: '希望多关心。', proposers: byId(sampleProposers) },
  });
  expect(res.status).toBe(201);
  proposal = { id: res.body.id, number: res.body.number, title: '一点想法' };
  await api.settle();
});
afterAll(async () => {
  sqs?.destroy();
  db?.destroy();
  await api?.stack.stop();
});

const queueUrl = () => api.stack.resources.queues.notices.url;
const dlqUrl = () => api.stack.resources.noticesDeadLetter.url;
const send = (body: string, url = queueUrl()) => sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
const mailsTo = async (address: string) => (await api.emails()).filter((m) => m.to.includes(address));
const timeline = async () =>
  (await api.call('GET', `/v1/proposals/${proposal.id}/events`, { token: office })).body.items as {
    type: string;
    data: Record<string, unknown>;
  }[];

/** A triage notice about the test proposal, to the given addresses. */
function notice(to: string[], id = randomUUID()): NoticeOf<'triage'> {
  return {
    id: `test/${id}`,
    kind: 'triage',
    proposalId: proposal.id,
    recipients: to.map((email) => ({ kind: 'address' as const, email })),
    vars: { number: proposal.number, title: proposal.title, proposalId: proposal.id, reason: '测试通知' },
    createdAt: new Date().toISOString(),
  };
}

async function count(url: string): Promise<number> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

describe('exactly once', () => {
  it('sends one email when the same message body is delivered twice', async () => {
    const body = JSON.stringify(notice(['dup@example.com']));
    await send(body);
    await send(body);
    await api.settle();
    expect(await mailsTo('dup@example.com')).toHaveLength(1);
  });

  it('retries while the SES emulator is stopped and sends once it is back', async () => {
    await api.stack.sesFaults.pause();
    await send(JSON.stringify(notice(['outage@example.com'])));
    await sleep(3000); // two or three failed receives (visibility 2 s locally)
    expect(await count(queueUrl())).toBe(1); // still there, not lost
    await api.stack.sesFaults.resume();
    await api.settle();
    expect(await mailsTo('outage@example.com')).toHaveLength(1);
  });

  it('retries while SES answers 500 and while it throttles, and sends once', async () => {
    api.stack.sesFaults.failFor(3000);
    await send(JSON.stringify(notice(['flaky@example.com'])));
    await sleep(3500);
    await api.settle();
    expect(await mailsTo('flaky@example.com')).toHaveLength(1);
    // Throttling is retried with backoff inside the invocation: sent before SQS would redeliver (2 s).
    api.stack.sesFaults.throttle(2);
    await send(JSON.stringify(notice(['throttled@example.com'])));
    await waitFor('the throttled notice', async () => (await mailsTo('throttled@example.com')).length === 1, 1900);
    await api.settle();
    expect(await mailsTo('throttled@example.com')).toHaveLength(1);
    expect(await count(dlqUrl())).toBe(0);
  });
});

describe('user text', () => {
  it('escapes HTML and flattens CR/LF from a title in the subject and the HTML', async () => {
    const member = await api.token('member', { memberId: 'm-wang' });
    const title = '<script>alert(1)</script>\r\nBcc: evil@example.com\r\n\r\n夜市管理<b>建议</b>';
    const res = await api.call('POST', '/v1/proposals', {
      token: member,
      body: { title, body: '规范夜市管理，带动就业。', proposers: byId(sampleProposers) },
    });
    expect(res.status).toBe(201);
    await api.settle();
    const mails = (await api.emails()).filter((m) => m.subject.includes(res.body.number));
    expect(mails.length).toBeGreaterThan(0);
    for (const m of mails) {
      expect(m.subject).not.toMatch(/[\r\n]/);
      expect(m.subject).toContain('<script>alert(1)</script> Bcc: evil@example.com'); // plain text, one line
      expect(m.html).not.toContain('<script>');
      expect(m.html).not.toContain('<b>建议</b>');
      expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(m.to).not.toContain('evil@example.com');
    }
    expect(await mailsTo('evil@example.com')).toHaveLength(0);
  });
});

describe('suppression and permanent failures', () => {
  it('skips a bounced address and notes it on the timeline', async () => {
    const bounce = await fetch(`${api.stack.urls.api}/_local/bounce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'Gone@Example.com' }),
    });
    expect(bounce.status).toBe(200);
    const n = notice(['gone@example.com', 'stays@example.com']);
    await send(JSON.stringify(n));
    await api.settle();
    expect(await mailsTo('gone@example.com')).toHaveLength(0);
    expect(await mailsTo('stays@example.com')).toHaveLength(1);
    const notes = (await timeline()).filter((e) => e.type === 'RecipientSuppressed' && e.data.noticeId === n.id);
    expect(notes.map((e) => e.data.emails)).toEqual([['gone@example.com']]);
  });

  it("retries a sandbox rejection (an SES setup problem, not the notice's) and sends once it is fixed", async () => {
    api.stack.sesFaults.reject('sandbox@example.com'); // "Email address is not verified", as in the SES sandbox
    const n = notice(['sandbox@example.com']);
    await send(JSON.stringify(n));
    await sleep(3000); // a receive or two, refused each time (visibility 2 s locally)
    expect(await count(queueUrl())).toBe(1); // kept for a retry (the DLQ after 5), not recorded as failed
    const ledger = await db.send(new GetCommand({ TableName: api.stack.resources.tableName, Key: keys.notice(n.id) }));
    expect(ledger.Item?.state).not.toBe('failed');
    api.stack.sesFaults.clear();
    await api.settle();
    expect(await mailsTo('sandbox@example.com')).toHaveLength(1);
    expect((await timeline()).filter((e) => e.type === 'NoticeFailed' && e.data.noticeId === n.id)).toHaveLength(0);
  });

  it('records a notice that cannot be sent (bad template vars), tells the office, and does not retry it', async () => {
    const { reason: _, ...vars } = notice([]).vars;
    const n = { ...notice(['bad@example.com']), vars };
    await send(JSON.stringify(n));
    await api.settle();
    expect(await mailsTo('bad@example.com')).toHaveLength(0);
    const failed = (await timeline()).filter((e) => e.type === 'NoticeFailed' && e.data.noticeId === n.id);
    expect(failed).toHaveLength(1);
    expect(String(failed[0]?.data.reason)).toContain('通知内容不完整');
    const ledger = await db.send(new GetCommand({ TableName: api.stack.resources.tableName, Key: keys.notice(n.id) }));
    expect(ledger.Item).toMatchObject({ state: 'failed', to: ['bad@example.com'] });
    const told = (await mailsTo('zhengfuban@example.gov.cn')).filter((m) => m.subject.includes('通知发送失败') && m.text.includes(n.id));
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain('bad@example.com');
    expect(told[0]?.subject).toContain(proposal.number);
    expect(await count(dlqUrl())).toBe(0);
  });

  it('records a notice whose every address bounced before as failed and tells the office', async () => {
    const bounce = await fetch(`${api.stack.urls.api}/_local/bounce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bounced@example.com' }),
    });
    expect(bounce.status).toBe(200);
    const n = notice(['bounced@example.com']);
    await send(JSON.stringify(n));
    await api.settle();
    const ledger = await db.send(new GetCommand({ TableName: api.stack.resources.tableName, Key: keys.notice(n.id) }));
    expect(ledger.Item).toMatchObject({ state: 'failed', to: ['bounced@example.com'] });
    const told = (await mailsTo('zhengfuban@example.gov.cn')).filter((m) => m.subject.includes('通知发送失败') && m.text.includes(n.id));
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain('收件地址已退信');
  });
});

describe('poison messages and redrive', () => {
  it('moves a poison message to the DLQ after 5 receives; redrive brings it (and a good one) back', async () => {
    await send('this is not a notice');
    await waitFor('the poison message in the DLQ', async () => (await count(dlqUrl())) === 1);
    expect(await count(queueUrl())).toBe(0);

    // A good notice that ended in the DLQ (e.g. after a long outage) is sent once redriven.
    await send(JSON.stringify(notice(['redriven@example.com'])), dlqUrl());
    const port = new URL(api.stack.urls.sqs).port;
    const { stdout } = await run('node_modules/.bin/tsx', ['scripts/redrive.ts'], { env: { ...process.env, SQS_PORT: port } });
    expect(stdout).toContain('已将 2 条消息');
    expect(await count(dlqUrl())).toBe(0);
    expect(await count(queueUrl())).toBeGreaterThanOrEqual(1); // the poison is back on the notices queue
    await waitFor('the redriven notice', async () => (await mailsTo('redriven@example.com')).length === 1);
    // The poison fails again and returns to the DLQ; nothing else is left behind.
    await waitFor('the poison message back in the DLQ', async () => (await count(dlqUrl())) === 1);
    expect(await mailsTo('redriven@example.com')).toHaveLength(1);
  });
});
