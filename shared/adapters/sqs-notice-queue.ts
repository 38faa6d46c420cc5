/** NoticeQueue on SQS: batches of up to 10, every message checked for partial failure. */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Notice } from '#events/notices.ts';
import type { NoticeQueue } from '#app/ports.ts';

export class SqsNoticeQueue implements NoticeQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(notices: readonly Notice[]): Promise<void> {
    for (let i = 0; i < notices.length; i += 10) {
      const batch = notices.slice(i, i + 10);
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((n, j) => ({ Id: String(j), MessageBody: JSON.stringify(n) })),
        }),
      );
      if (out.Failed?.length) {
        throw new Error(`SQS rejected ${out.Failed.length} notice(s): ${out.Failed.map((f) => `${f.Code ?? ''} ${f.Message ?? ''}`).join('; ')}`);
      }
    }
  }
}
