/**
 * The member directory (委员名册) on the single table: one partition (MEMBERS, keys.ts) holding a
 * city's few hundred members, so the list is one Query (never a Scan); and a counter item per
 * member and day for the daily submission limit, moved by a conditional update.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { memberSchema, type Member } from '#domain/member.ts';
import { keys } from '#adapters/keys.ts';
import { batchGet } from '#adapters/batch-get.ts';
import { isConditionFailure, queryAll } from '#adapters/dynamo-requests.ts';
import type { MemberDirectory } from '#app/ports.ts';

/** The member of a stored item (its keys and `entity` left out). */
function memberOf(item: Record<string, unknown>): Member {
  const { PK: _pk, SK: _sk, entity: _e, ...rest } = item;
  return memberSchema.parse(rest);
}

export class DynamoMemberDirectory implements MemberDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(memberId: string): Promise<Member | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.member(memberId) }));
    return out.Item ? memberOf(out.Item) : undefined;
  }

  async getMany(memberIds: readonly string[]): Promise<Map<string, Member>> {
    const unique = [...new Set(memberIds)];
    const items = unique.length ? await batchGet(this.db, this.tableName, unique.map(keys.member)) : [];
    return new Map(items.map((i) => memberOf(i)).map((m) => [m.memberId, m]));
  }

  async put(member: Member): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.member(member.memberId), entity: 'member', ...member } }),
    );
  }

  async all(): Promise<Member[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.members().PK },
    });
    return items.map(memberOf);
  }

  async countSubmission(memberId: string, day: string, limit: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.submissionsOfDay(memberId, day),
          UpdateExpression: 'ADD n :one',
          ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limit },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
