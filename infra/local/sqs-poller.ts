/**
 * Long-polls an SQS queue and invokes a handler the way a Lambda event source mapping does:
 * successful messages are deleted; `batchItemFailures` (and everything on a throw) stay on the
 * queue and come back after the visibility timeout; the queue's redrive policy moves a message to
 * the dead-letter queue after maxReceiveCount receives. Locally the visibility timeout on receive is
 * short so retries are quick. When SQS fails, the poller pauses (0.5 s growing to 5 s) and logs each
 * distinct error once.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { failedItemIds } from './batch-response.ts';
import { errorPause } from './error-pause.ts';

export interface SqsPollerOptions {
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  batchSize: number;
  handler: (event: SQSEvent) => Promise<unknown>;
  /** Seconds a received message stays hidden (locally short, e.g. 2). */
  visibilityTimeoutSeconds?: number;
  waitTimeSeconds?: number;
  log?: (message: string, err: unknown) => void;
}

export interface SqsPoller {
  /** True while a batch is being handled or the queue holds messages (visible, in flight or delayed). */
  busy(): Promise<boolean>;
  stop(): Promise<void>;
}

function toAttributes(attrs: Record<string, MessageAttributeValue> | undefined): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(attrs ?? {}).map(([name, a]) => [
      name,
      {
        dataType: a.DataType ?? 'String',
        stringValue: a.StringValue,
        binaryValue: a.BinaryValue ? Buffer.from(a.BinaryValue).toString('base64') : undefined,
        stringListValues: a.StringListValues ?? [],
        binaryListValues: (a.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      },
    ]),
  );
}

export function toSqsRecord(m: Message, queueArn: string, region: string): SQSRecord {
  const a = m.Attributes ?? {};
  return {
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? '',
      SenderId: a.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? '',
    },
    messageAttributes: toAttributes(m.MessageAttributes),
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export function startSqsPoller(opts: SqsPollerOptions): SqsPoller {
  const { client, queueUrl } = opts;
  const log = opts.log ?? ((m, e) => console.error(m, e));
  const abort = new AbortController();
  const pause = errorPause(log, 'queue poller error');
  let handling = false;

  async function handle(messages: Message[]): Promise<void> {
    const records = messages.map((m) => toSqsRecord(m, opts.queueArn, opts.region));
    let failed: string[] | undefined;
    try {
      failed = failedItemIds(await opts.handler({ Records: records }));
    } catch (err) {
      log('queue handler failed', err);
      failed = undefined;
    }
    // A malformed response or a throw fails the whole batch: delete nothing.
    const done = failed === undefined ? [] : records.filter((r) => !failed.includes(r.messageId));
    if (done.length === 0) return;
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
      }),
    );
  }

  async function loop(): Promise<void> {
    while (!abort.signal.aborted) {
      try {
        const { Messages } = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: Math.min(opts.batchSize, 10),
            WaitTimeSeconds: opts.waitTimeSeconds ?? 5,
            VisibilityTimeout: opts.visibilityTimeoutSeconds ?? 2,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        pause.ok();
        if (!Messages?.length) continue;
        handling = true;
        await handle(Messages);
      } catch (err) {
        if (abort.signal.aborted) return;
        await pause.after(err);
      } finally {
        handling = false;
      }
    }
  }

  const running = loop();
  return {
    async busy() {
      if (handling) return true;
      const { Attributes: a = {} } = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      );
      return handling || Object.values(a).some((n) => Number(n) > 0);
    },
    async stop() {
      abort.abort();
      pause.wake();
      await running;
    },
  };
}
