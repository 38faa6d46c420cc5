/** IdempotencyStore on the table: a conditional put holds the key; the first response is kept with it. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '#shared/zod.ts';
import { keys } from '#adapters/keys.ts';
import type { IdempotencyStore, StoredResponse } from '#app/ports.ts';

/** A pending key older than this is considered abandoned (the first request crashed). */
const PENDING_MS = 30_000;
const storedSchema = z.lazy(() => z.object({ statusCode: z.number(), headers: z.record(z.string(), z.string()), body: z.string() }));

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async begin(scope: string, key: string, now: Date) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.idempotency(scope, key), state: 'pending', startedAt: now.getTime() },
          ConditionExpression: 'attribute_not_exists(PK) OR (#s = :pending AND startedAt < :stale)',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending', ':stale': now.getTime() - PENDING_MS },
        }),
      );
      return { state: 'new' as const };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const out = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: keys.idempotency(scope, key), ConsistentRead: true }),
      );
      if (out.Item?.state === 'done') return { state: 'done' as const, response: storedSchema.parse(out.Item.response) };
      return { state: 'pending' as const };
    }
  }

  async complete(scope: string, key: string, response: StoredResponse) {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.idempotency(scope, key), state: 'done', response } }));
  }

  async abandon(scope: string, key: string) {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.idempotency(scope, key) }));
  }
}
