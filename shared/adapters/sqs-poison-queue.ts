/** PoisonQueue on SQS (the stream-poison queue, shared/wiring.ts): one message per record set aside. Rare: no batching. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { PoisonRecord } from '#events/stream-poison.ts';
import type { PoisonQueue } from '#app/ports.ts';

export class SqsPoisonQueue implements PoisonQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(record: PoisonRecord): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(record) }));
  }
}
