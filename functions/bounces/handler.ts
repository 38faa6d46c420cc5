/**
 * bounces: SES bounce and complaint notifications (SNS topic of the city's SES configuration set)
 * -> the suppression list, and for a bounced notice a deliveryFailed notice to the office
 * (shared/app/record-bounces.ts). A message that is not an SES notification is logged and dropped
 * (retrying cannot make it one). A storage or queue error is logged (the notification's kind and ids,
 * never its addresses: shared/log.ts) and thrown: Lambda retries the asynchronous invocation twice,
 * then puts the event, whole, on the function's on-failure queue (`proposals-<id>-bounce-failures`,
 * docs/operations.md). Locally,
 * POST /_local/bounce hands this handler the same event.
 */
import middy from '@middy/core';
import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import type { AppState, SuppressionState } from '#app/state.ts';
import { suppressionState } from '#adapters/aws-state.ts';
import { lazyHandlerOf } from '#adapters/lambda-entry.ts';
import { sqsNotices } from '#adapters/aws-outbound.ts';
import { sesNotificationSchema, type SesNotification } from '#events/ses-notifications.ts';
import { recordSesNotification } from '#app/record-bounces.ts';
import { log } from '#shared/log.ts';
import { flushMetrics, noEarlyTimeout, requestId } from '#functions/middlewares.ts';

function parse(message: string) {
  try {
    return sesNotificationSchema.safeParse(JSON.parse(message));
  } catch {
    return undefined; // not JSON
  }
}

/** What a log line may say of a notification: its kind and ids, never its addresses (the whole message waits on the on-failure queue). */
function about(record: SNSEventRecord, n?: SesNotification) {
  return {
    messageId: record.Sns.MessageId,
    ...(n
      ? { type: n.eventType ?? n.notificationType, sesMessageId: n.mail?.messageId }
      : { bytes: Buffer.byteLength(record.Sns.Message) }),
  };
}

export function createHandler(state: Pick<SuppressionState, 'suppression' | 'metrics' | 'clock'> & Pick<AppState, 'notices'>) {
  async function handle(event: SNSEvent): Promise<void> {
    for (const record of event.Records) {
      const parsed = parse(record.Sns.Message);
      if (!parsed?.success) {
        const fields = parsed?.error.issues.map((i) => i.path.join('.') || '(message)');
        log.warn('bounces: not an SES notification, dropped', {
          ...about(record),
          problem: fields ? `fields: ${fields.join(', ')}` : 'not JSON',
        });
        continue;
      }
      try {
        const { suppressed, reported } = await recordSesNotification(state, parsed.data, state.clock.now().toISOString());
        if (suppressed.length) log.info('bounces: addresses suppressed', { ...about(record, parsed.data), count: suppressed.length });
        state.metrics.count('AddressesSuppressed', suppressed.length);
        if (reported) state.metrics.count('NoticesBounced');
      } catch (err) {
        log.error('bounces: notification not recorded, will be retried', { ...about(record, parsed.data), error: err });
        throw err;
      }
    }
  }
  return middy<SNSEvent, void>(noEarlyTimeout).use(requestId()).use(flushMetrics(state.metrics)).handler(handle);
}

// The suppression list (DynamoDB) and the notices queue (SQS, for the office), none of the workflow.
export const handler = lazyHandlerOf(createHandler, (settings) => ({ ...suppressionState(settings), notices: sqsNotices(settings) }));
