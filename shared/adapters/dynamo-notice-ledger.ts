/**
 * NoticeLedger on the DynamoDB single table (item NOTICE#<noticeId>): the mailer's record of what
 * was sent. A conditional write claims a notice before sending, so a duplicate delivery sends nothing.
 * States: sending (claimed, with a lease) -> sent | failed; a released claim is deleted. A sent or
 * failed item may carry a delivery report (its fields, `report` = failed | suppressed): the table
 * stream brings those to the reactor (shared/wiring.ts, reactorFilterPatterns).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#adapters/keys.ts';
import { returnedItem } from '#adapters/returned-item.ts';
import type { NoticeLedger } from '#app/ports.ts';
import type { DeliveryReport } from '#events/notices.ts';

export class DynamoNoticeLedger implements NoticeLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(noticeId: string, now: Date, leaseMs: number): Promise<'claimed' | 'sent' | 'failed' | 'busy'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notice(noticeId),
          UpdateExpression: 'SET #state = :sending, leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(PK) OR (#state = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending', ':until': now.getTime() + leaseMs, ':now': now.getTime() },
          // A failed claim returns the item as the condition saw it: no second read to learn the state.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      let state = returnedItem(err.Item)?.state;
      if (state === undefined) {
        const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.notice(noticeId), ConsistentRead: true }));
        state = out.Item?.state;
      }
      return state === 'sent' || state === 'failed' ? state : 'busy';
    }
  }

  async markSent(noticeId: string, result: { messageId: string; to: string[]; at: string }, report?: DeliveryReport): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.notice(noticeId), state: 'sent', ...report, ...result } }),
    );
  }

  async markFailed(noticeId: string, result: { reason: string; to: string[]; at: string }, report: DeliveryReport): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.notice(noticeId), state: 'failed', ...report, ...result } }),
    );
  }

  async release(noticeId: string): Promise<void> {
    await this.db
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.notice(noticeId),
          ConditionExpression: '#state = :sending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      )
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }
}
