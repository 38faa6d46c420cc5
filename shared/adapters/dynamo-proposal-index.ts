/**
 * ProposalIndex on the sparse byYear GSI: a Query per page, never a Scan, then the page's proposals
 * by key (the index holds keys only; one BatchGetItem per 100). Cursors are opaque base64url: the
 * year and the last sequence number evaluated.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '#shared/zod.ts';
import { table } from '#shared/wiring.ts';
import { proposalSchema } from '#domain/proposal.ts';
import { keys } from '#adapters/keys.ts';
import { batchGet } from '#adapters/batch-get.ts';
import { InvalidInput } from '#app/errors.ts';
import type { ProposalIndex } from '#app/ports.ts';

/**
 * A cursor names the year and the last sequence number a page evaluated (the next page starts
 * after it), nothing else: not the key of the item, which may be a proposal the caller may not see.
 * Anything else (another year's cursor, a made-up one) is the caller's bad input.
 */
const cursorSchema = (year: number) => z.strictObject({ year: z.literal(year), after: z.int().check(z.positive()) });

export class DynamoProposalIndex implements ProposalIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(year: number, opts: { limit: number; cursor?: string; afterSeq?: number }) {
    const { name, partitionKey, sortKey } = table.indexes.byYear;
    const fromCursor = opts.cursor ? decodeCursor(opts.cursor, year) : undefined;
    const after = Math.max(fromCursor ?? 0, opts.afterSeq ?? 0) || undefined;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: name,
        KeyConditionExpression: after ? '#pk = :pk AND #sk > :after' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': partitionKey, ...(after ? { '#sk': sortKey } : {}) },
        ExpressionAttributeValues: { ':pk': keys.yearPartition(year), ...(after ? { ':after': keys.yearSeq(after) } : {}) },
        Limit: opts.limit,
      }),
    );
    const keyOf = (i: Record<string, unknown>) => ({ PK: i.PK, SK: i.SK });
    const found = new Map((await batchGet(this.db, this.tableName, (out.Items ?? []).map(keyOf))).map((i) => [i.PK, i]));
    // In the index's order; a proposal gone since the index was read is left out.
    const items = (out.Items ?? []).flatMap((key) => {
      const item = found.get(key.PK);
      return item ? [proposalSchema.parse(item)] : [];
    });
    const last: unknown = out.LastEvaluatedKey?.[sortKey];
    return { items, ...(last !== undefined ? { cursor: encodeCursor(year, Number(last)) } : {}) };
  }
}

const encodeCursor = (year: number, after: number) => Buffer.from(JSON.stringify({ year, after })).toString('base64url');

function decodeCursor(cursor: string, year: number): number {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = cursorSchema(year).safeParse(value);
  if (!parsed.success) throw new InvalidInput([{ path: 'cursor', message: '不是本列表上一页返回的游标' }]);
  return parsed.data.after;
}
