/**
 * A poison stream record on the real emulators (DynamoDB Local and its stream, fauxqs, the SES
 * emulator, the real handlers): an event item of a proposal that does not parse, between good ones.
 * The good records' notices are mailed; the poison lands whole on the stream-poison queue (not the
 * stream-failures queue, which would hold only the shard's sequence range); once the cause is fixed,
 * `npm run redrive` feeds it to the reactor again and its notices go out.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeMessageVisibilityCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#adapters/keys.ts';
import { poisonRecordSchema } from '#events/stream-poison.ts';
import { byId, startApi, sampleProposers, type Api } from './support.ts';

const run = promisify(execFile);
const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

let api: Api;
let sqs: SQSClient;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  api = await startApi();
  sqs = new SQSClient({ ...local, endpoint: api.stack.urls.sqs, useQueueUrlAsEndpoint: false });
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...local, endpoint: api.stack.urls.dynamodb }));
});
afterAll(async () => {
  sqs?.destroy();
  db?.destroy();
  await api?.stack.stop();
});

async function depth(url: string): Promise<number> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
}

describe('a poison stream record', () => {
  it('is set aside whole on the stream-poison queue while the good records flow, and `npm run redrive` feeds it to the reactor again', async () => {
    const member = await api.token('member', { memberId: 'm-wang' });
    const res = await api.call('POST', '/v1/proposals', {
      token: member,
      body: {
        title: '关于发展夜市经济促进消费的建议',
        body: '建议规范夜市管理，完善夜市周边停车场和公交线路。',
        proposers: byId(sampleProposers),
      },
    });
    expect(res.status).toBe(201);
    const { id, number } = res.body as { id: string; number: string };
    await api.settle();
    const mails = async () => (await api.emails()).filter((m) => m.subject.includes(number) && m.subject.includes('交办通知'));
    const perAssignment = (await mails()).length;
    expect(perAssignment).toBeGreaterThan(0);

    // The proposal's assignment event, as stored; two more events of it: one that does not parse, then a good one.
    const tableName = api.stack.resources.tableName;
    const { Items = [] } = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :e)',
        ExpressionAttributeValues: { ':pk': `P#${id}`, ':e': 'EVENT#' },
      }),
    );
    const assignedEvent = Items.find((i) => i.type === 'ProposalAssigned');
    if (!assignedEvent) throw new Error('no ProposalAssigned event');
    const eventAt = (seq: number): Record<string, unknown> => ({ ...assignedEvent, ...keys.event(id, seq), seq, eventId: `${id}:${seq}` });
    const { data: _, ...broken } = eventAt(900);
    await db.send(new PutCommand({ TableName: tableName, Item: broken }));
    await db.send(new PutCommand({ TableName: tableName, Item: eventAt(901) }));
    await api.settle();

    expect(await mails()).toHaveLength(2 * perAssignment); // the good record after the poison was handled
    const poisonUrl = api.stack.resources.queues.streamPoison.url;
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: poisonUrl, MaxNumberOfMessages: 10 }));
    expect(Messages).toHaveLength(1);
    // Visible again at once, for the redrive below.
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: poisonUrl, ReceiptHandle: Messages[0]?.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    const record = poisonRecordSchema.parse(JSON.parse(Messages[0]?.Body ?? ''));
    expect(record).toMatchObject({
      table: tableName,
      key: keys.event(id, 900),
      proposalId: id,
      type: 'ProposalAssigned',
      seq: 900,
      item: broken,
    });
    expect(record.error).toMatch(/^does not parse: .*data/);
    expect(await depth(api.stack.resources.queues.streamFailures.url)).toBe(0);

    // The cause fixed (here: the item itself); rewriting it is no new event (MODIFY), so nothing is sent yet.
    await db.send(new PutCommand({ TableName: tableName, Item: eventAt(900) }));
    await api.settle();
    expect(await mails()).toHaveLength(2 * perAssignment);

    const env = { ...process.env, SQS_PORT: new URL(api.stack.urls.sqs).port, DDB_PORT: new URL(api.stack.urls.dynamodb).port };
    const { stdout } = await run('node_modules/.bin/tsx', ['scripts/redrive.ts'], { env });
    expect(stdout).toContain('redrove 1 poison stream records');
    await api.settle();
    expect(await mails()).toHaveLength(3 * perAssignment);
    expect(await depth(poisonUrl)).toBe(0);
  });
});
