/**
 * The item a failed condition returned (ReturnValuesOnConditionCheckFailure: ALL_OLD) as plain
 * values. The document client does not unmarshall errors, so the item comes as raw AttributeValues;
 * undefined when there is none or it is not in that form (the caller then reads the item).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

export function returnedItem(raw: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!raw) return undefined;
  try {
    return unmarshall(raw as Record<string, AttributeValue>);
  } catch {
    return undefined;
  }
}
