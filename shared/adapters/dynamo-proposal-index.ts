/**
 * ProposalIndex on the sparse byYear GSI: a Query per page, never a Scan, then the page's proposals
 * by key (the index holds keys only; one BatchGetItem per 100). Cursors are opaque base64url.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '#shared/zod.ts';
import { table } from '#infra/wiring.ts';
import { proposalSchema } from '#domain/proposal.ts';
import { keys } from '#adapters/keys.ts';
import { batchGet } from '#adapters/batch-get.ts';
import { InvalidInput } from '#app/errors.ts';
import type { ProposalIndex } from '#app/ports.ts';

const cursorSchema = z.lazy(() => z.record(z.string(), z.string()));

export class DynamoProposalIndex implements ProposalIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(year: number, opts: { limit: number; cursor?: string; afterSeq?: number }) {
    const { name, partitionKey, sortKey } = table.indexes.byYear;
    const after = opts.afterSeq !== undefined;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: name,
        KeyConditionExpression: after ? '#pk = :pk AND #sk > :after' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': partitionKey, ...(after ? { '#sk': sortKey } : {}) },
        ExpressionAttributeValues: { ':pk': keys.yearPartition(year), ...(after ? { ':after': keys.yearSeq(opts.afterSeq ?? 0) } : {}) },
        Limit: opts.limit,
        ExclusiveStartKey: opts.cursor ? decodeCursor(opts.cursor) : undefined,
      }),
    );
    const keyOf = (i: Record<string, unknown>) => ({ PK: i.PK, SK: i.SK });
    const found = new Map((await batchGet(this.db, this.tableName, (out.Items ?? []).map(keyOf))).map((i) => [i.PK, i]));
    // In the index's order; a proposal gone since the index was read is left out.
    const items = (out.Items ?? []).flatMap((key) => {
      const item = found.get(key.PK);
      return item ? [proposalSchema.parse(item)] : [];
    });
    return {
      items,
      ...(out.LastEvaluatedKey ? { cursor: Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') } : {}),
    };
  }
}

function decodeCursor(cursor: string): Record<string, string> {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidInput([{ path: 'cursor', message: 'not a cursor from a previous page' }]);
  }
}
