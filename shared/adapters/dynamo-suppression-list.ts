/**
 * SuppressionList on the DynamoDB single table (item SUPPRESS#<email>, lower-cased). The entries
 * come from SES bounce/complaint notifications through the bounces function (functions/bounces;
 * locally POST /_local/bounce runs it), see docs/notices.md.
 * The lookups asked for in one turn of the event loop (every address of every notice of a mailer
 * batch) are answered by one BatchGetItem.
 */
import { BatchGetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#adapters/keys.ts';
import type { SuppressionList } from '#app/ports.ts';
import type { Clock } from '#shared/clock.ts';

/** BatchGetItem takes at most 100 keys. */
const BATCH_MAX = 100;
const MAX_UNPROCESSED_ROUNDS = 8;

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
    const pks = [...batch.keys()];
    for (let i = 0; i < pks.length; i += BATCH_MAX) {
      const chunk = pks.slice(i, i + BATCH_MAX);
      try {
        const found = await this.existing(chunk);
        for (const pk of chunk) for (const w of batch.get(pk) ?? []) w.resolve(found.has(pk));
      } catch (err) {
        for (const pk of chunk) for (const w of batch.get(pk) ?? []) w.reject(err);
      }
    }
  }

  /** The PKs of `pks` that have an item (unprocessed keys asked again). */
  private async existing(pks: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const { SK } = keys.suppression('');
    let ask: Record<string, unknown>[] = pks.map((PK) => ({ PK, SK }));
    for (let round = 0; ask.length > 0; round++) {
      if (round >= MAX_UNPROCESSED_ROUNDS) throw new Error(`suppression lookup: ${ask.length} key(s) left unprocessed`);
      if (round > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** round));
      const out = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: ask, ProjectionExpression: 'PK' } } }));
      for (const item of out.Responses?.[this.tableName] ?? []) if (typeof item.PK === 'string') found.add(item.PK);
      ask = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return found;
  }

  async add(email: string, reason: string): Promise<void> {
    const address = email.trim().toLowerCase();
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.suppression(address), email: address, reason, at: this.clock.now().toISOString() } }));
  }
}
