/**
 * reactor: DynamoDB stream (by the event source filters: new event items, and notice ledger items
 * that carry a delivery report) -> react to each domain event; tell the office of each delivery
 * report (delivery-records.ts). Events of one proposal are handled in order; different proposals in parallel. A proposal's
 * first failing record is reported (ReportBatchItemFailures) and its later records wait for the
 * retry, which redelivers from there; reactions are idempotent, so redelivered ones change nothing.
 */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { domainEventSchema } from '#events/domain-events.ts';
import { deliveryReportSchema } from '#events/notices.ts';
import type { AppState } from '#app/state.ts';
import { lazyHandler } from '#adapters/lambda-entry.ts';
import { sqsNotices } from '#adapters/aws-outbound.ts';
import { react } from '#app/react.ts';
import { reactToDelivery } from '#app/delivery-records.ts';
import { NOTICE_SK } from '#adapters/keys.ts';
import { log } from '#shared/log.ts';
import { flushMetrics, noEarlyTimeout, requestId } from '#functions/middlewares.ts';

/** Handles one proposal's records in order; returns the sequence number of the first that failed. */
async function inOrder(state: AppState, records: DynamoDBRecord[]): Promise<string | undefined> {
  for (const record of records) {
    const seq = record.dynamodb?.SequenceNumber ?? '';
    try {
      const image = record.dynamodb?.NewImage;
      if (!image) continue;
      // The stream image is AttributeValue-shaped (Lambda's and the SDK's types differ only nominally); zod validates it.
      const item = unmarshall(image as Record<string, AttributeValue>);
      if (item.SK === NOTICE_SK) await reactToDelivery(state, deliveryReportSchema.parse(item));
      else await react(state, domainEventSchema.parse(item));
      state.metrics.count('EventsHandled');
    } catch (err) {
      log.error('reactor: event failed', { sequenceNumber: seq, error: err });
      state.metrics.count('EventsFailed');
      return seq;
    }
  }
  return undefined;
}

export function createHandler(state: AppState) {
  async function handle(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const byProposal = new Map<string, DynamoDBRecord[]>();
    for (const r of event.Records) {
      const key = r.dynamodb?.Keys?.PK?.S ?? '';
      byProposal.set(key, [...(byProposal.get(key) ?? []), r]);
    }
    const failed = await Promise.all([...byProposal.values()].map((records) => inOrder(state, records)));
    return { batchItemFailures: failed.filter((seq) => seq !== undefined).map((itemIdentifier) => ({ itemIdentifier })) };
  }
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(noEarlyTimeout)
    .use(requestId())
    .use(flushMetrics(state.metrics))
    .handler(handle);
}

export const handler = lazyHandler(createHandler, { notices: sqsNotices });
