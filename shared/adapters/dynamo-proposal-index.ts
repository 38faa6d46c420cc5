/** ProposalIndex on the sparse byYear GSI: a Query per page, never a Scan. Cursors are opaque base64url. */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { table } from '#infra/wiring.ts';
import { proposalSchema } from '#domain/proposal.ts';
import { keys } from '#adapters/keys.ts';
import { InvalidInput } from '#app/errors.ts';
import type { ProposalIndex } from '#app/ports.ts';

const cursorSchema = z.record(z.string(), z.string());

export class DynamoProposalIndex implements ProposalIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(year: number, opts: { limit: number; cursor?: string }) {
    const { name, partitionKey } = table.indexes.byYear;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': partitionKey },
        ExpressionAttributeValues: { ':pk': keys.yearPartition(year) },
        Limit: opts.limit,
        ExclusiveStartKey: opts.cursor ? decodeCursor(opts.cursor) : undefined,
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => proposalSchema.parse(i)),
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

/** Every proposal of a year (all pages). For statistics and similarity; a city has hundreds a year. */
export async function allOfYear(index: ProposalIndex, year: number) {
  const all = [];
  let cursor: string | undefined;
  do {
    const page = await index.page(year, { limit: 200, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return all;
}
