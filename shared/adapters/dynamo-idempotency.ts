/**
 * IdempotencyStore on the table: a conditional put holds the key; the first response is kept with it,
 * with the request's fingerprint, until `expiresAt` (epoch seconds: the table's TTL attribute, which
 * deletes the record some time after; until then an expired record counts as absent here).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '#shared/zod.ts';
import { TTL_ATTRIBUTE, keys } from '#adapters/keys.ts';
import type { IdempotencyBegun, IdempotencyRecord, IdempotencyStore, StoredResponse } from '#app/ports.ts';

const storedSchema = z.lazy(() =>
  z.object({
    state: z.enum(['pending', 'done']),
    fingerprint: z.optional(z.string()),
    response: z.optional(z.object({ statusCode: z.number(), headers: z.record(z.string(), z.string()), body: z.string() })),
  }),
);

const epochSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async begin(scope: string, key: string, record: IdempotencyRecord, now: Date): Promise<IdempotencyBegun> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.item(scope, key, record), state: 'pending', startedAt: now.getTime() },
          ConditionExpression: 'attribute_not_exists(PK) OR #ttl < :now',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': epochSeconds(now) },
        }),
      );
      return { state: 'new' };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const out = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: keys.idempotency(scope, key), ConsistentRead: true }),
      );
      if (!out.Item) return { state: 'pending' }; // abandoned just now: a retry runs
      const held = storedSchema.parse(out.Item);
      const fingerprint = held.fingerprint === undefined ? {} : { fingerprint: held.fingerprint };
      if (held.state === 'done' && held.response) return { state: 'done', ...fingerprint, response: held.response };
      return { state: 'pending', ...fingerprint };
    }
  }

  async complete(scope: string, key: string, record: IdempotencyRecord & { response: StoredResponse }) {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...this.item(scope, key, record), state: 'done', response: record.response } }),
    );
  }

  async abandon(scope: string, key: string) {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.idempotency(scope, key) }));
  }

  private item(scope: string, key: string, record: IdempotencyRecord) {
    return { ...keys.idempotency(scope, key), fingerprint: record.fingerprint, [TTL_ATTRIBUTE]: epochSeconds(record.expiresAt) };
  }
}
