/**
 * NoticeQueue on SQS: batches of up to 10, every message checked for partial failure.
 * The notices sent in one turn of the event loop (e.g. by the events of a reactor batch, handled
 * side by side) share SendMessageBatch calls; each caller learns only about its own notices.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Notice } from '#events/notices.ts';
import type { NoticeQueue } from '#app/ports.ts';

/** SendMessageBatch takes at most 10 messages and 256 KiB in all (some room kept). */
const BATCH_MAX = 10;
const BATCH_BYTES = 200_000;

interface Pending {
  notices: readonly Notice[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class SqsNoticeQueue implements NoticeQueue {
  private pending: Pending[] | undefined;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  send(notices: readonly Notice[]): Promise<void> {
    if (notices.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (!this.pending) {
        const senders: Pending[] = (this.pending = []);
        setImmediate(() => {
          this.pending = undefined;
          void this.flush(senders);
        });
      }
      this.pending.push({ notices, resolve, reject });
    });
  }

  private async flush(senders: Pending[]): Promise<void> {
    const entries = senders.flatMap((sender) => sender.notices.map((n) => ({ sender, body: JSON.stringify(n) })));
    const batches: (typeof entries)[] = [];
    let bytes = 0;
    for (const e of entries) {
      const last = batches.at(-1);
      const size = Buffer.byteLength(e.body);
      if (last && last.length < BATCH_MAX && bytes + size <= BATCH_BYTES) {
        last.push(e);
        bytes += size;
      } else {
        batches.push([e]);
        bytes = size;
      }
    }
    const failures = new Map<Pending, string[]>();
    const fail = (sender: Pending, why: string) => failures.set(sender, [...(failures.get(sender) ?? []), why]);
    const errors = new Map<Pending, unknown>();
    await Promise.all(
      batches.map(async (batch) => {
        try {
          const out = await this.sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: this.queueUrl,
              Entries: batch.map((e, j) => ({ Id: String(j), MessageBody: e.body })),
            }),
          );
          for (const f of out.Failed ?? []) {
            const e = batch[Number(f.Id)];
            if (e) fail(e.sender, `${f.Code ?? ''} ${f.Message ?? ''}`);
          }
        } catch (err) {
          for (const e of batch) errors.set(e.sender, err);
        }
      }),
    );
    for (const sender of senders) {
      const failed = failures.get(sender);
      if (errors.has(sender)) sender.reject(errors.get(sender));
      else if (failed) sender.reject(new Error(`SQS rejected ${failed.length} notice(s): ${failed.join('; ')}`));
      else sender.resolve();
    }
  }
}
