/**
 * mailer: notices queue (SQS) -> deliver each notice once. A message that fails is reported in
 * batchItemFailures (only it is retried); after 5 receives SQS moves it to the DLQ.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { noticeSchema } from '#events/notices.ts';
import { lazyHandler, type AppState } from '#app/state.ts';
import { deliverNotice } from '#app/deliver-notice.ts';
import { log } from '#shared/log.ts';

export function createHandler(state: AppState) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const notice = noticeSchema.parse(JSON.parse(record.body));
        const result = await deliverNotice(state, notice);
        log.info('mailer: notice handled', { noticeId: notice.id, kind: notice.kind, result });
      } catch (err) {
        log.error('mailer: notice failed', { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount, error: err });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

export const handler = lazyHandler(createHandler);
