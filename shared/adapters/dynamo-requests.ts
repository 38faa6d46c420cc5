/**
 * What the stores on the single table share about their requests: every page of a Query, the item
 * type of a TransactWriteItems, and why a write was refused (a condition failed or conflicted, an
 * item over DynamoDB's 400 KB limit).
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient, type TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** Every page of a Query (up to `limit` items), adding up the read capacity it reports. */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: ConstructorParameters<typeof QueryCommand>[0],
  limit = Infinity,
  onCapacity: (units: number) => void = () => undefined,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({ ...input, ExclusiveStartKey: start, ...(Number.isFinite(limit) ? { Limit: limit - items.length } : {}) }),
    );
    onCapacity(out.ConsumedCapacity?.CapacityUnits ?? 0);
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start && items.length < limit);
  return items;
}

/** A condition of the write failed, or (in a transaction) another transaction held one of its items. */
export function isConditionFailure(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  return (
    err instanceof TransactionCanceledException &&
    (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')
  );
}

/**
 * DynamoDB refused an item over its 400 KB limit: "Item size has exceeded the maximum allowed size",
 * as a ValidationException (DynamoDB Local) or as a transaction's ValidationError cancellation reason.
 */
export function isItemTooLarge(err: unknown): boolean {
  const tooLarge = (message: string | undefined) => /item size has exceeded/i.test(message ?? '');
  if (err instanceof TransactionCanceledException)
    return (err.CancellationReasons ?? []).some((r) => r.Code === 'ValidationError' && tooLarge(r.Message));
  return err instanceof Error && err.name === 'ValidationException' && tooLarge(err.message);
}
