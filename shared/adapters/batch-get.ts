/**
 * BatchGetItem for any number of keys of one table: 100 keys a request, and the keys DynamoDB
 * leaves unprocessed (throttling, the 16 MB limit) asked again with a growing pause.
 * Items come back in no particular order; keys without an item are left out.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchGetItem takes at most 100 keys. */
const BATCH_MAX = 100;
const MAX_UNPROCESSED_ROUNDS = 8;

export async function batchGet(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  opts: { projection?: string } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += BATCH_MAX) {
    let ask = keys.slice(i, i + BATCH_MAX);
    for (let round = 0; ask.length > 0; round++) {
      if (round >= MAX_UNPROCESSED_ROUNDS) throw new Error(`BatchGetItem on ${tableName}: ${ask.length} key(s) left unprocessed`);
      if (round > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** round));
      const out = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...ask], ...(opts.projection ? { ProjectionExpression: opts.projection } : {}) } } }),
      );
      items.push(...(out.Responses?.[tableName] ?? []));
      ask = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}
