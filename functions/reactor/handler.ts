/**
 * reactor: DynamoDB stream (event items only, by the event source filter) -> react to each domain
 * event in order. On the first failure it reports that record and stops, so the stream retries from
 * there (ReportBatchItemFailures); earlier records are not redone.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { domainEventSchema } from '#events/domain-events.ts';
import { lazyHandler, type AppState } from '#app/state.ts';
import { react } from '#app/react.ts';
import { log } from '#shared/log.ts';

export function createHandler(state: AppState) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      const seq = record.dynamodb?.SequenceNumber ?? '';
      try {
        const image = record.dynamodb?.NewImage;
        if (!image) continue;
        // The stream record's image is AttributeValue-shaped; lambda types and SDK types differ only nominally.
        const domainEvent = domainEventSchema.parse(unmarshall(image as Record<string, AttributeValue>));
        await react(state, domainEvent);
      } catch (err) {
        log.error('reactor: event failed', { sequenceNumber: seq, error: err });
        return { batchItemFailures: [{ itemIdentifier: seq }] };
      }
    }
    return { batchItemFailures: [] };
  };
}

export const handler = lazyHandler(createHandler);
