/**
 * TimerStore on the DynamoDB single table (items and keys: timer-items.ts, keys.ts). The sweep finds
 * what is due through the sparse, sharded `due` index (a Query per shard, never a Scan) and moves a
 * timer on only if it is still at the step it read, so a step fires once when sweeps overlap. An item
 * there that does not parse is returned apart (unreadable), and `postpone` moves it later in the index.
 * A commit's timers are written by the proposal store, in the proposal's own transaction.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { table } from '#shared/wiring.ts';
import { keys, TIMER_PREFIX } from '#adapters/keys.ts';
import { firedTimerItem, parseTimerItem, postponedDueKey, readDueItem, timerItem } from '#adapters/timer-items.ts';
import { isConditionFailure, queryAll } from '#adapters/dynamo-requests.ts';
import type { CityTimer, ProposalTimer, Timer } from '#domain/timer-schedule.ts';
import type { TimerMove } from '#domain/commit.ts';
import type { TimerStore, UnreadableTimer } from '#app/ports.ts';

export class DynamoTimerStore implements TimerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async due(now: string, limit: number): Promise<{ timers: Timer[]; unreadable: UnreadableTimer[]; consumedRead: number }> {
    let consumedRead = 0;
    const perShard = await Promise.all(
      keys.dueShards().map((shard) =>
        queryAll(
          this.db,
          {
            TableName: this.tableName,
            IndexName: table.indexes.due.name,
            KeyConditionExpression: 'DUE_PK = :pk AND DUE_SK <= :now',
            // DUE_SK is "<fire time>#<ids>": everything at or before `now` sorts below "<now>#\uffff".
            ExpressionAttributeValues: { ':pk': shard, ':now': `${now}#\uffff` },
            ReturnConsumedCapacity: 'TOTAL',
          },
          limit,
          (units) => (consumedRead += units),
        ),
      ),
    );
    // Oldest first across the shards (DUE_SK starts with the fire time); an item that does not parse is set apart, not thrown.
    const items = perShard
      .flat()
      .sort((a, b) => String(a.DUE_SK).localeCompare(String(b.DUE_SK)))
      .slice(0, limit)
      .map(readDueItem);
    const timers = items.flatMap((i) => ('timer' in i ? [i.timer] : []));
    const unreadable = items.flatMap((i) => ('unreadable' in i ? [i.unreadable] : []));
    return { timers, unreadable, consumedRead };
  }

  async ofProposal(proposalId: string): Promise<ProposalTimer[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.proposal(proposalId).PK, ':prefix': TIMER_PREFIX },
      ConsistentRead: true,
    });
    return items.map(parseTimerItem).filter((t): t is ProposalTimer => t.kind === 'obligation');
  }

  async advance(timer: Timer, move: TimerMove): Promise<boolean> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [firedTimerItem(this.tableName, { timer, then: move })] }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async postpone(item: UnreadableTimer, nextAt: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: item.key,
          UpdateExpression: 'SET DUE_SK = :next',
          ConditionExpression: 'DUE_SK = :read',
          ExpressionAttributeValues: { ':read': item.dueKey, ':next': postponedDueKey(item.dueKey, nextAt) },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async ensureCityTimer(timer: CityTimer): Promise<void> {
    await this.db
      .send(new PutCommand({ TableName: this.tableName, Item: timerItem(timer), ConditionExpression: 'attribute_not_exists(PK)' }))
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }
}
