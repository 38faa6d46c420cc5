/**
 * bounces: SES bounce and complaint notifications (SNS topic of the city's SES configuration set)
 * -> the suppression list (shared/app/record-bounces.ts). A message that is not an SES notification
 * is logged and dropped (retrying cannot make it one); a DynamoDB error throws, and Lambda retries
 * the asynchronous SNS invocation. Locally, POST /_local/bounce hands this handler the same event.
 */
import type { SNSEvent } from 'aws-lambda';
import { lazyHandlerOf, suppressionStateFromEnv, type SuppressionState } from '#app/state.ts';
import { sesNotificationSchema } from '#events/ses-notifications.ts';
import { recordSesNotification } from '#app/record-bounces.ts';
import { log } from '#shared/log.ts';

function parse(message: string) {
  try {
    return sesNotificationSchema.safeParse(JSON.parse(message));
  } catch {
    return undefined; // not JSON
  }
}

export function createHandler(state: Pick<SuppressionState, 'suppression' | 'metrics'>) {
  return async (event: SNSEvent): Promise<void> => {
    for (const record of event.Records) {
      const parsed = parse(record.Sns.Message);
      if (!parsed?.success) {
        log.warn('bounces: not an SES notification, dropped', { messageId: record.Sns.MessageId, message: record.Sns.Message.slice(0, 500) });
        continue;
      }
      const suppressed = await recordSesNotification(state, parsed.data);
      if (suppressed.length) log.info('bounces: addresses suppressed', { messageId: record.Sns.MessageId, count: suppressed.length });
      state.metrics.count('AddressesSuppressed', suppressed.length);
    }
  };
}

export const handler = lazyHandlerOf(createHandler, suppressionStateFromEnv);
