/** Reads `batchItemFailures` from a batch handler's result (DynamoDBBatchResponse / SQSBatchResponse). */

/**
 * The item identifiers reported as failed: [] for success (no result, or no failures), undefined
 * when the response is malformed (Lambda then treats the whole batch as failed).
 */
export function failedItemIds(result: unknown): string[] | undefined {
  if (result === undefined || result === null) return [];
  if (typeof result !== 'object' || !('batchItemFailures' in result)) return [];
  const failures: unknown = result.batchItemFailures;
  if (failures === undefined || failures === null) return [];
  if (!Array.isArray(failures)) return undefined;
  const ids: string[] = [];
  for (const f of failures as unknown[]) {
    if (typeof f !== 'object' || f === null || !('itemIdentifier' in f)) return undefined;
    const id: unknown = f.itemIdentifier;
    if (typeof id !== 'string' || id === '') return undefined;
    ids.push(id);
  }
  return ids;
}
