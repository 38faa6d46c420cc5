/** The stream source's on-failure destination: an SQS queue gets one message per abandoned batch. */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { StreamFailure } from './stream-poller.ts';

/**
 * Lambda's on-failure record for a DynamoDB stream (DDBStreamBatchInfo names the records; it does
 * not carry them). `records` is a local-only extra to make failures easy to inspect.
 */
export function failureMessage(f: StreamFailure, streamArn: string, functionName: string, now = new Date()) {
  const first = f.records[0]?.dynamodb;
  const last = f.records.at(-1)?.dynamodb;
  const arrival = (t: number | undefined) => (t === undefined ? undefined : new Date(t * 1000).toISOString());
  return {
    version: '1.0',
    timestamp: now.toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: f.attempts,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    DDBStreamBatchInfo: {
      shardId: f.shardId,
      startSequenceNumber: first?.SequenceNumber,
      endSequenceNumber: last?.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first?.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: arrival(last?.ApproximateCreationDateTime),
      batchSize: f.records.length,
      streamArn,
    },
    records: f.records,
  };
}

export function sqsFailureDestination(client: SQSClient, queueUrl: string, streamArn: string, functionName: string) {
  return async (f: StreamFailure): Promise<void> => {
    await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(failureMessage(f, streamArn, functionName)) }),
    );
  };
}
