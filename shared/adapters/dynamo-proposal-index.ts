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

/**
 * A cursor is the LastEvaluatedKey of a page of the year's Query: the table's key of a proposal item
 * and its byYear index key, in that year. Anything else (a foreign key, another year's cursor)
 * DynamoDB would reject (ValidationException): it is the caller's bad input, so it is checked here.
 */
const cursorSchema = (year: number) => {
  const { partitionKey, sortKey } = table.indexes.byYear;
  return z.strictObject({
    [table.partitionKey]: z.string().check(z.refine((pk) => keys.proposalIdOf(pk) !== undefined)),
    [table.sortKey]: z.literal(keys.proposal('').SK),
    [partitionKey]: z.literal(keys.yearPartition(year)),
    [sortKey]: z.string().check(z.refine((sk) => keys.yearSeq(Number(sk)) === sk)),
  });
};

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
        ExclusiveStartKey: opts.cursor ? decodeCursor(opts.cursor, year) : undefined,
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

function decodeCursor(cursor: string, year: number): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const parsed = cursorSchema(year).safeParse(key);
  if (!parsed.success) throw new InvalidInput([{ path: 'cursor', message: 'not a cursor from a previous page of this list' }]);
  return parsed.data;
}
