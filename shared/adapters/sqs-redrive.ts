/**
 * Redrive (重新投递): moves messages from a dead-letter queue back to its source queue with
 * ReceiveMessage -> SendMessageBatch -> DeleteMessageBatch (fauxqs has no StartMessageMoveTask).
 * A message is deleted from the DLQ only after the send succeeded, so nothing is lost; a crash in
 * between may leave a copy in both (the mailer's ledger makes the duplicate harmless).
 * Moves at most the number of messages the DLQ held when it started (or `max`), so a message that
 * fails again and returns to the DLQ meanwhile is not moved in a loop.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

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
