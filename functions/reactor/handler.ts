/**
 * reactor: DynamoDB stream (by the event source filters: new event items, notice ledger items that
 * carry a delivery report, and redriven items) -> react to each domain event; tell the office of each
 * delivery report (delivery-records.ts). Events of one proposal are handled in order; different
 * proposals in parallel. Each record is isolated (shared/app/react-isolated.ts): one that keeps failing
 * is set aside on the stream-poison queue and the proposal's later records go on. Only when that
 * queue fails too is the record reported (ReportBatchItemFailures): the proposal's later records then
 * wait for the retry, which redelivers from there; reactions are idempotent.
 */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { domainEventSchema } from '#events/domain-events.ts';
import { deliveryReportSchema } from '#events/notices.ts';
import type { AppState } from '#app/state.ts';
import { lazyHandlerOf } from '#adapters/lambda-entry.ts';
import { reactorState } from '#adapters/aws-state.ts';
import { sqsNotices, sqsPoison } from '#adapters/aws-outbound.ts';
import { react } from '#app/react.ts';
import { reactToDelivery } from '#app/delivery-records.ts';
import { reactIsolated, type StreamItem } from '#app/react-isolated.ts';
import { NOTICE_SK } from '#adapters/keys.ts';
import { flushMetrics, noEarlyTimeout, requestId } from '#functions/middlewares.ts';

/** The record's table (arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>), key and new image. */
function streamItem(record: DynamoDBRecord): StreamItem | undefined {
  const image = record.dynamodb?.NewImage;
  if (!image) return undefined;
  // The stream image is AttributeValue-shaped (Lambda's and the SDK's types differ only nominally); zod validates it.
  const item = unmarshall(image as Record<string, AttributeValue>);
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    table: /:table\/([^/]+)/.exec(record.eventSourceARN ?? '')?.[1] ?? '',
    key: { PK: text(item.PK), SK: text(item.SK) },
    sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
    item,
  };
}

/** Handles one proposal's records in order; returns the sequence number of the first that could be neither handled nor set aside. */
async function inOrder(state: AppState, records: DynamoDBRecord[]): Promise<string | undefined> {
  for (const record of records) {
    const r = streamItem(record);
    if (!r) continue;
    const reaction = () =>
      r.item.SK === NOTICE_SK ? reactToDelivery(state, deliveryReportSchema.parse(r.item)) : react(state, domainEventSchema.parse(r.item));
    if ((await reactIsolated(state, r, reaction)) === 'failed') return r.sequenceNumber;
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

/** Its own state (reactorState): the parts it uses, so its bundle carries no more. */
export const handler = lazyHandlerOf(createHandler, (settings) => reactorState(settings, { notices: sqsNotices, poison: sqsPoison }));
