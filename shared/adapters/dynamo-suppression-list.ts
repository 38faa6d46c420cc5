/**
 * SuppressionList on the DynamoDB single table (item SUPPRESS#<email>, lower-cased). The entries
 * come from SES bounce/complaint notifications through the bounces function (functions/bounces;
 * locally POST /_local/bounce runs it), see docs/notices.md.
 * The lookups asked for in one turn of the event loop (every address of every notice of a mailer
 * batch) are answered by one BatchGetItem.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#adapters/keys.ts';
import { batchGet } from '#adapters/batch-get.ts';
import type { SuppressionList } from '#app/ports.ts';
import type { Clock } from '#shared/clock.ts';

type Waiter = { resolve: (suppressed: boolean) => void; reject: (err: unknown) => void };

export class DynamoSuppressionList implements SuppressionList {
  /** Lookups waiting for the next BatchGetItem, by item key (PK). */
  private pending: Map<string, Waiter[]> | undefined;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  isSuppressed(email: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (!this.pending) {
        const batch = (this.pending = new Map<string, Waiter[]>());
        queueMicrotask(() => {
          this.pending = undefined;
          void this.lookUp(batch);
        });
      }
      const pk = keys.suppression(email.trim()).PK;
      this.pending.set(pk, [...(this.pending.get(pk) ?? []), { resolve, reject }]);
    });
  }

  private async lookUp(batch: Map<string, Waiter[]>): Promise<void> {
    const { SK } = keys.suppression('');
    try {
      const items = await batchGet(this.db, this.tableName, [...batch.keys()].map((PK) => ({ PK, SK })), { projection: 'PK' });
      const found = new Set(items.map((i) => i.PK));
      for (const [pk, waiters] of batch) for (const w of waiters) w.resolve(found.has(pk));
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    }
  }

  async add(email: string, reason: string): Promise<void> {
    const address = email.trim().toLowerCase();
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.suppression(address), email: address, reason, at: this.clock.now().toISOString() } }));
  }
}
