/**
 * mailer: notices queue (SQS) -> deliver each notice once (shared/app/deliver-notice.ts), under the
 * city's maximum send rate (throttling retried with backoff in mail-pacing.ts).
 * A message that fails transiently, or is not a notice at all (poison), is reported in
 * batchItemFailures: only it comes back, and after 5 receives SQS moves it to the DLQ. A notice
 * SES accepted is never given back, even when its send could not be recorded (NoticesUnrecorded).
 */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { noticeSchema, type NoticeMessage } from '#events/notices.ts';
import type { MailerState } from '#app/state.ts';
import { mailerState } from '#adapters/aws-state.ts';
import { lazyHandlerOf } from '#adapters/lambda-entry.ts';
import { sesMail } from '#adapters/aws-outbound.ts';
import { deliverNotice, type DeliveryResult } from '#app/deliver-notice.ts';
import type { MetricName } from '#app/ports.ts';
import { pacedMailer } from '#app/mail-pacing.ts';
import { log } from '#shared/log.ts';
import { flushMetrics, noEarlyTimeout, requestId } from '#functions/middlewares.ts';

const resultMetric: Record<DeliveryResult, MetricName> = {
  sent: 'NoticesSent',
  unrecorded: 'NoticesUnrecorded',
  duplicate: 'NoticesDuplicate',
  failed: 'NoticesFailed',
  suppressed: 'NoticesSuppressed',
  no_recipients: 'NoticesWithoutRecipients',
};

/** The notice, or what is wrong with the message (field names only: a log line never holds the body). */
function parseNotice(body: string): { notice: NoticeMessage } | { problem: string } {
  try {
    const parsed = noticeSchema.safeParse(JSON.parse(body));
    if (parsed.success) return { notice: parsed.data };
    return { problem: `fields: ${[...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(message)'))].join(', ')}` };
  } catch {
    return { problem: 'not JSON' };
  }
}

export function createHandler(state: MailerState) {
  const deps = { ...state, mail: pacedMailer(state.mail, { maxSendRate: state.config.email.maxSendRate }) };
  /** True when the message is done with (sent, even if unrecorded; duplicate; recorded as failed); false to retry it. */
  async function handle(record: SQSRecord): Promise<boolean> {
    const receiveCount = record.attributes.ApproximateReceiveCount;
    const parsed = parseNotice(record.body);
    if ('problem' in parsed) {
      const bytes = Buffer.byteLength(record.body);
      log.error('mailer: poison message (not a notice), left for the DLQ', {
        messageId: record.messageId,
        receiveCount,
        bytes,
        problem: parsed.problem,
      });
      return false;
    }
    const { notice } = parsed;
    try {
      const result = await deliverNotice(deps, notice);
      log.info('mailer: notice handled', { noticeId: notice.id, kind: notice.kind, result });
      state.metrics.count(resultMetric[result]);
      return true;
    } catch (err) {
      log.warn('mailer: notice will be retried', { noticeId: notice.id, messageId: record.messageId, receiveCount, error: err });
      state.metrics.count('NoticesRetried');
      return false;
    }
  }
  // The messages of a batch are independent: deliver them side by side (the pacer keeps the rate).
  async function handleBatch(event: SQSEvent): Promise<SQSBatchResponse> {
    const done = await Promise.all(event.Records.map(handle));
    return { batchItemFailures: event.Records.filter((_, i) => !done[i]).map((r) => ({ itemIdentifier: r.messageId })) };
  }
  return middy<SQSEvent, SQSBatchResponse>(noEarlyTimeout).use(requestId()).use(flushMetrics(state.metrics)).handler(handleBatch);
}

// SES, and nothing else outbound: what the office must hear of goes on the ledger (delivery reports) for the reactor.
export const handler = lazyHandlerOf(createHandler, (settings) => ({ ...mailerState(settings), mail: sesMail(settings) }));
