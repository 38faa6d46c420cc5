/**
 * Redrive (重新投递): moves messages from a dead-letter queue back to its source queue with
 * ReceiveMessage -> SendMessageBatch -> DeleteMessageBatch (fauxqs has no StartMessageMoveTask).
 * A message is deleted from the DLQ only after the send succeeded, so nothing is lost; a crash in
 * between may leave a copy in both (the mailer's ledger makes the duplicate harmless).
 * Moves at most the number of messages the DLQ held when it started (or `max`), so a message that
 * fails again and returns to the DLQ meanwhile is not moved in a loop.
 * Also the stream-poison queue's redrive (redrivePoison, below): its records go back through the table stream.
 */
import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { poisonRecordSchema, type PoisonRecord } from '#events/stream-poison.ts';
import { redrivenAttribute } from '#shared/wiring.ts';

export interface RedriveResult {
  moved: number;
  failed: number;
}

export async function redrive(sqs: SQSClient, opts: { from: string; to: string; max?: number }): Promise<RedriveResult> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: opts.from, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  const limit = opts.max ?? Number(a.ApproximateNumberOfMessages ?? 0);
  const result: RedriveResult = { moved: 0, failed: 0 };
  while (result.moved + result.failed < limit) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: opts.from,
        MaxNumberOfMessages: Math.min(10, limit - result.moved - result.failed),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: opts.to,
        Entries: Messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length ? { MessageAttributes: m.MessageAttributes } : {}),
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = Messages.filter((_, i) => ok.has(String(i)));
    if (done.length) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: opts.from,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    result.moved += done.length;
    result.failed += Messages.length - done.length;
  }
  return result;
}

export interface PoisonRedriveResult {
  /** Records fed to the reactor again (their item marked, the message deleted). */
  redriven: number;
  /** Messages left on the queue: not a poison record, or its item is no longer in the table. */
  left: number;
}

/**
 * Feeds the poison stream records on `from` (events/stream-poison.ts) to the reactor again: marks each
 * record's item (`redriven`, and one more `redrives`), so the table stream delivers it once more, then
 * deletes the message. The item is read as it is now, by the reactor deployed now: fix the cause first.
 * A message that is not a poison record, or whose item is gone, stays (`left`); if the record fails
 * again, the reactor sets it aside again as a new message. At most the messages the queue held at the
 * start (or `max`) are taken; `table` overrides the table the records name.
 */
export async function redrivePoison(
  sqs: SQSClient,
  dynamo: DynamoDBClient,
  opts: { from: string; table?: string; max?: number },
): Promise<PoisonRedriveResult> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: opts.from, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  const limit = opts.max ?? Number(a.ApproximateNumberOfMessages ?? 0);
  const result: PoisonRedriveResult = { redriven: 0, left: 0 };
  while (result.redriven + result.left < limit) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: opts.from,
        MaxNumberOfMessages: Math.min(10, limit - result.redriven - result.left),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
      }),
    );
    if (Messages.length === 0) break;
    for (const m of Messages) {
      const record = poisonRecordOf(m.Body);
      if (!record || !(await markRedriven(dynamo, opts.table ?? record.table, record.key))) {
        result.left++;
        continue;
      }
      await sqs.send(new DeleteMessageCommand({ QueueUrl: opts.from, ReceiptHandle: m.ReceiptHandle }));
      result.redriven++;
    }
  }
  return result;
}

function poisonRecordOf(body: string | undefined): PoisonRecord | undefined {
  try {
    const parsed = poisonRecordSchema.safeParse(JSON.parse(body ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // not JSON
  }
}

/** Marks the item so the stream delivers it again (shared/wiring.ts, reactorFilterPatterns); false when it is gone. */
async function markRedriven(dynamo: DynamoDBClient, table: string, key: { PK: string; SK: string }): Promise<boolean> {
  try {
    await dynamo.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { PK: { S: key.PK }, SK: { S: key.SK } },
        UpdateExpression: 'SET #redriven = :true ADD redrives :one',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#redriven': redrivenAttribute },
        ExpressionAttributeValues: { ':true': { BOOL: true }, ':one': { N: '1' } },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}
